import './issuer.css';

/**
 * Who the invoice is from, as the business profile presents it: logo, business name, contact
 * email and address. No "from" line without a name: never a login username in its place.
 */
export default function IssuerHeader({ invoice }) {
  const issuer = invoice.issuer || {};
  const name = invoice.issuer_name;
  return (
    <div className="issuer">
      {issuer.logo_url && <img className="issuer-logo" src={issuer.logo_url} alt={name ? `${name} logo` : 'Logo'} />}
      {name ? (
        <div>
          <p className="muted small">Invoice from</p>
          <h1 className="invoice-issuer">{name}</h1>
          {(issuer.contact_email || issuer.address || issuer.tax_id) && (
            <address className="issuer-contact muted small">
              {issuer.contact_email && <a href={`mailto:${issuer.contact_email}`}>{issuer.contact_email}</a>}
              {issuer.address && <span className="block pre-line">{issuer.address}</span>}
              {issuer.tax_id && <span className="block">Tax ID: {issuer.tax_id}</span>}
            </address>
          )}
        </div>
      ) : (
        <h1 className="invoice-issuer">Invoice {invoice.number}</h1>
      )}
    </div>
  );
}

const HEX = /^#[0-9a-f]{6}$/i;

/** The profile's accent colour as a CSS variable for the invoice card (only a plain #rrggbb). */
export const accentStyle = (invoice) => {
  const color = invoice.issuer?.accent_color;
  return color && HEX.test(color) ? { '--accent': color } : undefined;
};
