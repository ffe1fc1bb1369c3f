import { useEffect, useRef, useState } from 'react';
import Alert from '../../../components/ui/Alert.jsx';
import { getPaymentStatus } from '../api/paymentService.js';

export const OUTCOME_POLL_MS = 1500;
export const OUTCOME_POLLS = 8; // about ten seconds for a webhook still on its way

/**
 * What happened to the payment the checkout sent the client back about, from the payment's own
 * status and the API's `is_paid` (the URL says nothing trustworthy): declined or failed with the provider's reason,
 * expired, canceled, left unpaid, still processing, or paid.
 */
export function checkoutOutcome(payment) {
  const noMoney = 'No money was taken.';
  const reason = payment.failure_message;
  if (payment.is_paid) {
    return { kind: 'success', title: 'Payment received. Thank you!', text: 'It has been recorded on this invoice.' };
  }
  // A pending payment with a reason: a card declined inside a checkout that is still open.
  if (payment.status === 'failed' || (payment.status === 'pending' && reason)) {
    return {
      kind: 'error',
      title: 'Your payment did not go through',
      text: `${noMoney} You can try again, perhaps with another card.`,
      reason: reason || 'The payment provider did not accept the payment.',
    };
  }
  switch (payment.status) {
    case 'expired':
      return { kind: 'warning', title: 'The checkout expired', text: `${noMoney} Start a new payment when you are ready.` };
    case 'canceled':
      return { kind: 'warning', title: 'Payment canceled', text: `${noMoney} You can try again whenever you are ready.` };
    case 'processing':
      return {
        kind: 'info',
        title: 'Your payment is processing',
        text: 'The payment provider has not confirmed it yet. You do not need to pay again.',
      };
    default:
      return { kind: 'info', title: 'You left the checkout before paying', text: `${noMoney} You can pay whenever you are ready.` };
  }
}

/** Follows the payment named in the URL until its status is final (or we stop asking). */
export function usePaymentOutcome(paymentId, invoiceId, onSettled) {
  const [payment, setPayment] = useState(null);
  // The latest callback, without restarting the polling each time the page renders.
  const settled = useRef(onSettled);
  useEffect(() => {
    settled.current = onSettled;
  });
  useEffect(() => {
    if (!paymentId) return undefined;
    let active = true;
    let timer = null;
    let polls = 0;
    async function poll() {
      try {
        const result = await getPaymentStatus(paymentId);
        if (!active) return;
        // A payment of another invoice (an edited link) says nothing about this one.
        if (result.invoice_id && String(result.invoice_id) !== String(invoiceId)) return;
        setPayment(result);
        if (result.is_paid) settled.current();
        if (!result.is_open || result.failure_message) return;
      } catch {
        if (!active) return;
      }
      polls += 1;
      if (polls < OUTCOME_POLLS) timer = setTimeout(poll, OUTCOME_POLL_MS);
    }
    poll();
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [paymentId, invoiceId]);
  return payment;
}

export default function CheckoutOutcome({ payment }) {
  const outcome = checkoutOutcome(payment);
  return (
    <Alert kind={outcome.kind} title={outcome.title}>
      {outcome.reason && <span className="block">{outcome.reason}</span>}
      {outcome.text}
    </Alert>
  );
}
