import { api } from '../../../lib/apiClient.js';

const base = '/api/recurring-invoices/';
const one = (id) => `${base}${encodeURIComponent(id)}/`;

export const listRecurring = () => api.get(base, { query: { page_size: 100 } });
export const createRecurring = (body) => api.post(base, body);
export const updateRecurring = (id, body) => api.patch(one(id), body);
export const pauseRecurring = (id) => api.post(`${one(id)}pause/`);
export const resumeRecurring = (id) => api.post(`${one(id)}resume/`);
export const cancelRecurring = (id) => api.delete(one(id));

const publicBase = (publicId) => `/api/payment/public/invoice/${encodeURIComponent(publicId)}/autopay/`;
/** Whether the invoice behind a payment link is recurring, on autopay, and may offer autopay. */
export const getAutopayState = (publicId) => api.get(publicBase(publicId));
/** The client turns autopay off (public: keyed by the payment link). */
export const disableAutopay = (publicId) => api.post(`${publicBase(publicId)}disable/`, {});
