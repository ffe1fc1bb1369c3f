import { useEffect, useRef, useState } from 'react';
import Field from '../../../components/ui/Field.jsx';
import { formatMoney, lineAmount } from '../../../lib/money.js';
import { itemError, itemsListError, newRow } from './invoiceForm.js';

/** The invoice's line items: one row per item, each with its amount; rows can be added while `editable`. */
export default function ItemRows({ form, setForm, error, editable, exponent }) {
  const [focusRow, setFocusRow] = useState(null);
  const listRef = useRef(null);

  useEffect(() => {
    if (!focusRow || !listRef.current) return;
    const input = listRef.current.querySelector(`[data-row-description="${focusRow}"]`);
    if (input) input.focus();
  }, [focusRow]);

  const setItem = (key, name) => (e) =>
    setForm((f) => ({ ...f, items: f.items.map((row) => (row.key === key ? { ...row, [name]: e.target.value } : row)) }));
  const addRow = () => {
    const row = newRow();
    setForm((f) => ({ ...f, items: [...f.items, row] }));
    setFocusRow(row.key);
  };
  const removeRow = (key) => setForm((f) => ({ ...f, items: f.items.filter((row) => row.key !== key) }));

  return (
        <fieldset ref={listRef}>
        <legend className="section-title">Line items</legend>
        {itemsListError(error) && <p className="field-error">{itemsListError(error)}</p>}
        <ol className="item-rows">
          {form.items.map((row, index) => {
            const amount = lineAmount(row.quantity, row.unit_price, form.currency, exponent);
            const n = index + 1;
            return (
              <li key={row.key} className="item-row">
                <Field label={`Description (item ${n})`} error={itemError(error, index, 'description')} className="item-description">
                  {(p) => (
                    <input
                      {...p}
                      data-row-description={row.key}
                      value={row.description}
                      onChange={setItem(row.key, 'description')}
                      disabled={!editable}
                    />
                  )}
                </Field>
                <Field label={`Quantity (item ${n})`} error={itemError(error, index, 'quantity')} className="item-qty">
                  {(p) => <input {...p} inputMode="decimal" value={row.quantity} onChange={setItem(row.key, 'quantity')} disabled={!editable} />}
                </Field>
                <Field label={`Unit price (item ${n})`} error={itemError(error, index, 'unit_price')} className="item-price">
                  {(p) => <input {...p} inputMode="decimal" value={row.unit_price} onChange={setItem(row.key, 'unit_price')} disabled={!editable} />}
                </Field>
                <div className="item-amount">
                  <span className="muted small">Amount</span>
                  <span>{amount === null ? '—' : formatMoney(amount, form.currency, exponent)}</span>
                </div>
                {editable && (
                  <button
                    type="button"
                    className="btn btn-ghost item-remove"
                    onClick={() => removeRow(row.key)}
                    disabled={form.items.length === 1}
                    aria-label={`Remove item ${n}`}
                  >
                    Remove
                  </button>
                )}
              </li>
            );
          })}
        </ol>
        {editable && (
          <button type="button" className="btn" onClick={addRow}>
            Add item
          </button>
        )}
      </fieldset>
  );
}
