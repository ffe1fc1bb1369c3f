/** What other features may use of the payments feature: an invoice's payments and their refunds. */
export { default as PaymentsList } from './components/PaymentsList.jsx';
export { default as RefundDialog } from './components/RefundDialog.jsx';
export { listInvoicePayments } from './api/paymentService.js';
