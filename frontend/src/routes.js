/** Every path of the app, in one place. */
export const paths = {
  home: '/',
  login: '/login',
  register: '/register',
  invoices: '/invoices',
  invoiceNew: '/invoices/new',
  invoiceDetail: '/invoices/:id',
  invoiceEdit: '/invoices/:id/edit',
  paymentSettings: '/settings/payments',
  businessProfile: '/settings/business',
  reports: '/reports',
  recurring: '/recurring',
  pay: '/pay/:invoiceId',
  payReturn: '/pay/:invoiceId/return',
};

const enc = encodeURIComponent;
export const invoiceListPath = (page) => (page > 1 ? `${paths.invoices}?page=${page}` : paths.invoices);
export const invoiceDetailPath = (id) => `/invoices/${enc(id)}`;
export const invoiceEditPath = (id) => `/invoices/${enc(id)}/edit`;
export const payPath = (invoiceId) => `/pay/${enc(invoiceId)}`;
export const payReturnPath = (invoiceId, paymentId) =>
  `/pay/${enc(invoiceId)}/return${paymentId ? `?payment=${enc(paymentId)}` : ''}`;
export const loginPath = (next) => (next && next !== paths.login ? `${paths.login}?next=${enc(next)}` : paths.login);

/** Only same-site paths are followed after signing in. */
export function safeNext(next) {
  if (typeof next === 'string' && next.startsWith('/') && !next.startsWith('//')) return next;
  return paths.invoices;
}
