import { api } from '../../../lib/apiClient.js';

const invoice = (id) => `/api/invoices/${encodeURIComponent(id)}/`;

/** Queues the invoice's email (202); `to` defaults to the invoice's client email on the server. */
export const emailInvoice = (invoiceId, to) => api.post(`${invoice(invoiceId)}email/`, to ? { to } : {});
export const listInvoiceEmails = (invoiceId) => api.get(`${invoice(invoiceId)}emails/`);
export const retryEmail = (invoiceId, emailId) =>
  api.post(`${invoice(invoiceId)}emails/${encodeURIComponent(emailId)}/retry/`);
export const invoicePdfUrl = (invoiceId) => `${invoice(invoiceId)}pdf/`;
