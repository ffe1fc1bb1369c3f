import { api } from '../../../lib/apiClient.js';

const base = '/api/invoices/';
const one = (id) => `${base}${encodeURIComponent(id)}/`;

export const listInvoices = ({ page, pageSize } = {}) =>
  api.get(base, { query: { page: page > 1 ? page : undefined, page_size: pageSize } });
export const getInvoice = (id) => api.get(one(id));
export const createInvoice = (data) => api.post(base, data);
export const updateInvoice = (id, data) => api.patch(one(id), data);
export const deleteInvoice = (id) => api.delete(one(id));
export const sendInvoice = (id) => api.post(`${one(id)}send/`);
export const voidInvoice = (id) => api.post(`${one(id)}void/`);
// The public payment link and the timeline.
export const revokeLink = (id) => api.post(`${one(id)}link/revoke/`);
export const regenerateLink = (id) => api.post(`${one(id)}link/regenerate/`);
/** expiresAt: an ISO date-time, or null for a link that never expires. */
export const setLinkExpiry = (id, expiresAt) => api.patch(one(id), { link_expires_at: expiresAt });
export const getActivity = (id) => api.get(`${one(id)}activity/`);
// The invoice's reminder schedule: {uses_default, enabled, offsets, sent: [{offset_days, claimed_at}]}.
export const getReminders = (id) => api.get(`${one(id)}reminders/`);
/** schedule: {enabled, offsets} for the invoice's own schedule, or {use_default: true}. */
export const setReminders = (id, schedule) => api.put(`${one(id)}reminders/`, schedule);
