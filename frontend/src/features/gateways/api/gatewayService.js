/** One plain function per gateway-configuration endpoint of the API contract (owner only). */
import { api, rowsOf } from '../../../lib/apiClient.js';

const enc = encodeURIComponent;
const gateways = '/api/payment/gateways/';
const gateway = (id) => `${gateways}${enc(id)}/`;

export const listGatewayConfigs = async () => rowsOf(await api.get(gateways));
export const getGatewayConfig = (id) => api.get(gateway(id));
export const createGatewayConfig = (data) => api.post(gateways, data);
export const updateGatewayConfig = (id, data) => api.patch(gateway(id), data);
export const replaceGatewayConfig = (id, data) => api.put(gateway(id), data);
export const deleteGatewayConfig = (id) => api.delete(gateway(id));
export const verifyGatewayConfig = (id) => api.post(`${gateway(id)}verify/`);
export const listGatewayTypes = async () => rowsOf(await api.get('/api/payment/gateway-types/'));
export const repairGatewayWebhooks = (id) => api.post(`${gateway(id)}repair-webhooks/`);
