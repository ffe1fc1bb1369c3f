import { Link } from 'react-router';
import { formatMoney } from '../../../lib/money.js';
import { paths } from '../../../routes.js';

const percent = (rate) => (rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`);

/** The clients invoiced in the range, most first. */
export function ClientsTable({ clients, currency }) {
  if (clients.length === 0) {
    return <p className="muted empty-note">No invoices were issued in this range. Widen the dates, or send an invoice.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table report-table">
        <thead>
          <tr>
            <th scope="col">Client</th>
            <th scope="col" className="num">Invoiced</th>
            <th scope="col" className="num">Paid</th>
            <th scope="col" className="num">Outstanding</th>
            <th scope="col" className="num">Days to pay</th>
          </tr>
        </thead>
        <tbody>
          {clients.map((c) => (
            <tr key={c.client_name}>
              <td data-label="Client">{c.client_name}</td>
              <td data-label="Invoiced" className="num">{formatMoney(c.invoiced, currency)}</td>
              <td data-label="Paid" className="num">{formatMoney(c.paid, currency)}</td>
              <td data-label="Outstanding" className="num">{formatMoney(c.outstanding, currency)}</td>
              <td data-label="Days to pay" className="num">{c.average_days_to_pay ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Each gateway: checkouts and how many succeeded, the money, and what it cost. */
export function GatewaysTable({ gateways, currency }) {
  if (gateways.length === 0) {
    return (
      <p className="muted empty-note">
        No checkouts in this range. Set up a gateway in <Link to={paths.paymentSettings}>Payment settings</Link> and
        share an invoice's payment link.
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table report-table">
        <thead>
          <tr>
            <th scope="col">Gateway</th>
            <th scope="col" className="num">Checkouts</th>
            <th scope="col" className="num">Success rate</th>
            <th scope="col" className="num">Volume</th>
            <th scope="col" className="num">Refunded</th>
            <th scope="col" className="num">Fees</th>
            <th scope="col" className="num">Net</th>
          </tr>
        </thead>
        <tbody>
          {gateways.map((g) => (
            <tr key={g.gateway_config_id}>
              <td data-label="Gateway">{g.display_name}</td>
              <td data-label="Checkouts" className="num">
                {g.payments} ({g.failed} failed)
              </td>
              <td data-label="Success rate" className="num">{percent(g.success_rate)}</td>
              <td data-label="Volume" className="num">{formatMoney(g.volume, currency)}</td>
              <td data-label="Refunded" className="num">{formatMoney(g.refunded, currency)}</td>
              <td data-label="Fees" className="num">{formatMoney(g.fees, currency)}</td>
              <td data-label="Net" className="num">{formatMoney(g.net, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
