/** One plain function per payment endpoint of the API contract. */
import { api } from '../../../lib/apiClient.js';

const enc = encodeURIComponent;

// Payments
export const createSession = ({ invoiceId, amount, gatewayConfigId, savePaymentMethod } = {}) => {
  const body = { invoice_id: invoiceId };
  if (amount !== undefined && amount !== null && amount !== '') body.amount = String(amount);
  if (gatewayConfigId) body.gateway_config_id = gatewayConfigId;
  if (savePaymentMethod) body.save_payment_method = true;
  return api.post('/api/payment/create-session/', body);
};
export const getPaymentStatus = (paymentId, options) => api.get(`/api/payment/status/${enc(paymentId)}/`, options);
/** invoiceEffect: 'credit' (taken off what the client owes) or 'reopen' (the client owes it again). */
export const refundPayment = (paymentId, { amount, reason, invoiceEffect } = {}) => {
  const body = {};
  if (amount !== undefined && amount !== null && amount !== '') body.amount = String(amount);
  if (reason) body.reason = reason;
  if (invoiceEffect) body.invoice_effect = invoiceEffect;
  return api.post(`/api/payment/refund/${enc(paymentId)}/`, body);
};
// The owner's payment list is paginated; the invoice page shows every payment, so read the pages
// in turn (at most MAX_PAYMENT_PAGES of the largest size: no endless loop on a bad `next`).
const MAX_PAYMENT_PAGES = 10;
export const listInvoicePayments = async (invoiceId) => {
  const path = `/api/payment/invoice/${enc(invoiceId)}/payments/`;
  const rows = [];
  for (let page = 1; page <= MAX_PAYMENT_PAGES; page += 1) {
    const data = await api.get(path, { query: { page, page_size: 100 } });
    rows.push(...data.results);
    if (!data.next) break;
  }
  return rows;
};
export const getPublicInvoice = (invoiceId, options) =>
  api.get(`/api/payment/public/invoice/${enc(invoiceId)}/`, options);
