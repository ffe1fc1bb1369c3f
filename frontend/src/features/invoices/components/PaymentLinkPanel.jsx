import { useRef } from 'react';
import CopyButton from '../../../components/ui/CopyButton.jsx';
import { formatMoney } from '../../../lib/money.js';
import LinkControls from './LinkControls.jsx';

export function mailtoHref(invoice) {
  const amount = formatMoney(invoice.amount_due, invoice.currency, invoice.currency_exponent);
  const subject = `Invoice ${invoice.number}: ${amount} due`;
  const body = [
    `Hello ${invoice.client_name || ''},`.replace(' ,', ','),
    '',
    `Here is invoice ${invoice.number} for ${amount}. You can see the details and pay online here:`,
    invoice.payment_url,
    '',
    'Thank you!',
  ].join('\n');
  return `mailto:${encodeURIComponent(invoice.client_email || '')}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

/** The invoice's public payment link, ready to copy or e-mail to the client, and its controls. */
export default function PaymentLinkPanel({ invoice, onChange }) {
  const inputRef = useRef(null);
  return (
    <section className="card" aria-labelledby="payment-link-title">
      <h2 id="payment-link-title" className="section-title">
        Payment link
      </h2>
      <p className="muted small">
        {invoice.can_send
          ? 'Send the invoice to make this link payable. Until then your client sees that it is not ready.'
          : invoice.payable
            ? 'Share this link with your client: they can see the invoice and pay it online.'
            : 'Your client can still open this link to see the invoice.'}
      </p>
      <div className="link-row">
        <label htmlFor="payment-url" className="visually-hidden">
          Public payment link
        </label>
        <input id="payment-url" ref={inputRef} className="link-input" readOnly value={invoice.payment_url || ''} onFocus={(e) => e.target.select()} />
        <CopyButton text={invoice.payment_url || ''} label="Copy link" fallbackTarget={inputRef} className="btn btn-primary" />
        <a className="btn" href={mailtoHref(invoice)}>
          Email to client
        </a>
      </div>
      {onChange && <LinkControls key={invoice.public_id} invoice={invoice} onChange={onChange} />}
    </section>
  );
}
