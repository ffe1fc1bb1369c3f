import { useState } from 'react';
import useLoad from '../../../lib/useLoad.js';
import useSubmit from '../../../lib/useSubmit.js';
import { disableAutopay, getAutopayState } from '../api/recurringService.js';

/**
 * On the public payment page of an invoice a recurring template issued: the client's consent to
 * autopay (a checkbox sent with the checkout as `save_payment_method`), or, once autopay is on,
 * the switch to turn it off. Shows nothing for other invoices or gateways without autopay.
 */
export default function AutopayChoice({ publicId, checked, onChange }) {
  const { data, reload } = useLoad(() => getAutopayState(publicId), [publicId]);
  const { run, busy, error } = useSubmit();
  const [turnedOff, setTurnedOff] = useState(false);
  if (!data || !data.recurring) return null;

  if (data.autopay) {
    const off = async () => {
      await run(() => disableAutopay(publicId));
      setTurnedOff(true);
      reload();
    };
    return (
      <div className="autopay-choice">
        <p>Autopay is on: future invoices are charged to your saved payment method.</p>
        <button type="button" className="btn" onClick={off} disabled={Boolean(busy)}>
          Turn autopay off
        </button>
        {error && <p className="field-error">{error.message}</p>}
      </div>
    );
  }
  if (turnedOff) return <p className="autopay-choice">Autopay is off. Future invoices will be sent to you to pay.</p>;
  if (!data.autopay_available) return null;
  return (
    <label className="checkbox autopay-choice">
      <input type="checkbox" name="save_payment_method" checked={checked} onChange={(e) => onChange(e.target.checked)} /> Charge
      future invoices of this subscription automatically (you can turn this off at any time)
    </label>
  );
}
