import { api } from '../../../lib/apiClient.js';

const base = '/api/reports/';

/** Only the filters that are set: the API applies its own defaults (12 months, the one currency). */
export function reportQuery({ currency, from, to, interval } = {}) {
  const query = {};
  if (currency) query.currency = currency;
  if (from) query.from = from;
  if (to) query.to = to;
  if (interval) query.interval = interval;
  return query;
}

export const getSummary = (filters) => api.get(`${base}summary/`, { query: reportQuery(filters) });
export const getTimeseries = (filters) => api.get(`${base}timeseries/`, { query: reportQuery(filters) });
export const getAging = (filters) => api.get(`${base}aging/`, { query: reportQuery(filters) });
export const getClients = (filters) => api.get(`${base}clients/`, { query: reportQuery(filters) });
export const getGateways = (filters) => api.get(`${base}gateways/`, { query: reportQuery(filters) });

/** The CSV's address, for a plain download link (the session cookie signs the request). */
export function paymentsCsvUrl(filters) {
  const params = new URLSearchParams(reportQuery(filters));
  const query = params.toString();
  return `${base}payments.csv${query ? `?${query}` : ''}`;
}

/** Everything the page shows, in parallel; one failure fails the load (the page offers a retry). */
export async function getReport(filters) {
  const [summary, timeseries, aging, clients, gateways] = await Promise.all([
    getSummary(filters),
    getTimeseries(filters),
    getAging(filters),
    getClients(filters),
    getGateways(filters),
  ]);
  return { summary, timeseries, aging, clients, gateways };
}
