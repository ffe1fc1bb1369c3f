import { describe, expect, it } from 'vitest';
import * as gateways from '../gatewayService.js';
import { callsTo, mockApi } from '../../../../test/helpers.jsx';

describe('gatewayService', () => {
  it('manages gateway configs', async () => {
    const fetchMock = mockApi({
      'GET /api/payment/gateways/': [{ id: 'g1' }],
      'POST /api/payment/gateways/': { status: 201, body: { id: 'g2' } },
      'PATCH /api/payment/gateways/g1/': { id: 'g1', is_default: true },
      'PUT /api/payment/gateways/g1/': { id: 'g1' },
      'GET /api/payment/gateways/g1/': { id: 'g1' },
      'DELETE /api/payment/gateways/g1/': { status: 204 },
      'POST /api/payment/gateways/g1/verify/': { ok: true },
      'GET /api/payment/gateway-types/': [{ name: 'sandbox', credential_fields: [] }],
    });
    expect(await gateways.listGatewayConfigs()).toEqual([{ id: 'g1' }]);
    await gateways.createGatewayConfig({ gateway_name: 'sandbox', display_name: 'Sandbox' });
    await gateways.updateGatewayConfig('g1', { is_default: true });
    await gateways.replaceGatewayConfig('g1', { display_name: 'x' });
    await gateways.getGatewayConfig('g1');
    await gateways.deleteGatewayConfig('g1');
    expect(await gateways.verifyGatewayConfig('g1')).toEqual({ ok: true });
    expect(await gateways.listGatewayTypes()).toHaveLength(1);
    expect(callsTo(fetchMock, 'POST', '/api/payment/gateways/')[0].body).toEqual({ gateway_name: 'sandbox', display_name: 'Sandbox' });
    expect(callsTo(fetchMock, 'PATCH', '/api/payment/gateways/g1/')[0].body).toEqual({ is_default: true });
  });
});
