import { formatMoney } from '../../lib/money.js';

/** "2.000" -> "2", "1.50" -> "1.5": quantities read like people write them. */
export function formatQuantity(value) {
  const text = String(value ?? '');
  if (!/^\d+\.\d+$/.test(text)) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/** An invoice's line items; amounts in `currency` with the API's `exponent`. */
export default function ItemsTable({ items, currency, exponent }) {
  if (!items || items.length === 0) return <p className="muted">No line items.</p>;
  return (
    <div className="table-wrap">
      <table className="table items-table">
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col" className="num">
              Unit price
            </th>
            <th scope="col" className="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, index) => (
            <tr key={index}>
              <td data-label="Description">{item.description}</td>
              <td data-label="Qty" className="num">
                {formatQuantity(item.quantity)}
              </td>
              <td data-label="Unit price" className="num">
                {formatMoney(item.unit_price, currency, exponent)}
              </td>
              <td data-label="Amount" className="num">
                {formatMoney(item.amount, currency, exponent)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
