import { formatMoney } from '../../../lib/money.js';

/**
 * What the gateway took from a payment and what reached the owner's balance. Both are in the
 * fee currency (the owner's balance currency), which may differ from the invoice's; "—" until the
 * gateway reports them.
 */
export default function PaymentFees({ payment }) {
  if (!payment.is_paid) return null;
  const feeCurrency = payment.fee_currency || payment.currency;
  const sameCurrency = feeCurrency.toUpperCase() === String(payment.currency).toUpperCase();
  // The API's exponent is the payment currency's; another currency takes its own places.
  const money = (amount) => formatMoney(amount, feeCurrency, sameCurrency ? payment.currency_exponent : undefined);
  return (
    <p className="payment-fees small">
      <span>Fee {money(payment.fee)}</span>
      <span>Net {money(payment.net)}</span>
      {!sameCurrency && payment.fee !== null && payment.fee !== undefined && (
        <span className="muted">in {feeCurrency.toUpperCase()}, your balance currency</span>
      )}
    </p>
  );
}
