/** What other features may use of the notifications feature: an invoice's Emails section. */
export { default as InvoiceEmails } from './components/InvoiceEmails.jsx';
