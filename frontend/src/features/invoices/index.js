/** What other features may use of the invoices feature: how reminder days are written and read. */
export { describeOffset, offsetsError, offsetsText, parseOffsets } from './components/reminderOffsets.js';
