import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import PaymentSettingsPage from '../PaymentSettingsPage.jsx';
import { callsTo, mockApi, renderRoute, sequence } from '../../../../test/helpers.jsx';

// What /api/payment/gateway-types/ answers with the trackify-paypal plugin installed.
const TYPES = [
  { name: 'sandbox', display_name: 'Sandbox', credential_fields: [], needs_webhook_setup: false },
  {
    name: 'paypal',
    display_name: 'PayPal',
    needs_webhook_setup: false,
    credential_fields: [
      {
        name: 'client_id',
        label: 'Client ID',
        secret: false,
        required: true,
        help_text:
          "From your REST app under Apps & Credentials in PayPal's developer dashboard (a Sandbox app for test mode, a Live app for live mode).",
      },
      {
        name: 'client_secret',
        label: 'Secret',
        secret: true,
        required: true,
        help_text:
          "The same app's secret. Trackify checks it with PayPal and registers its own webhook for this connection: no webhook set-up on your side.",
      },
    ],
  },
];

const paypalConfig = {
  id: 'g-paypal',
  gateway_name: 'paypal',
  display_name: 'PayPal',
  is_active: true,
  is_default: true,
  mode: 'test',
  credentials_preview: { client_id: 'AZfakeClientId0123456789abcdefXYZ', client_secret: '...4XYZ' },
  webhook_url: 'http://127.0.0.1:8000/api/payment/webhook/paypal/g-paypal/',
  needs_webhook_setup: false,
  verified: true,
  verified_at: '2026-11-01T10:05:00Z',
  created_at: '2026-11-01T10:00:00Z',
  updated_at: '2026-11-01T10:00:00Z',
};

describe('PaymentSettingsPage with the PayPal plugin', () => {
  it('offers PayPal with its fields and help, and connects it with the typed keys', async () => {
    const fetchMock = mockApi({
      'GET /api/payment/gateways/': sequence([], [paypalConfig]),
      'GET /api/payment/gateway-types/': TYPES,
      'POST /api/payment/gateways/': { status: 201, body: paypalConfig },
    });
    const user = userEvent.setup();
    renderRoute(<PaymentSettingsPage />, { path: '/settings/payments', url: '/settings/payments' });

    // The sandbox needs no keys (it has its own button): PayPal is the form's only gateway.
    expect(await screen.findByRole('heading', { name: 'Connect PayPal' })).toBeInTheDocument();
    expect(screen.getByLabelText('Client ID')).toHaveAttribute('type', 'text');
    expect(screen.getByLabelText('Secret')).toHaveAttribute('type', 'password');
    expect(screen.getByText(/Apps & Credentials in PayPal's developer dashboard/)).toBeInTheDocument();
    expect(screen.getByText(/registers its own webhook for this connection/)).toBeInTheDocument();

    await user.type(screen.getByLabelText('Client ID'), 'AZfakeClientId0123456789abcdefXYZ');
    await user.type(screen.getByLabelText('Secret'), 'EFfakeSecret0123456789abcdefghijXYZ');
    await user.click(screen.getByRole('button', { name: 'Connect PayPal' }));

    expect(await screen.findByText(/PayPal connected/)).toBeInTheDocument();
    expect(callsTo(fetchMock, 'POST', '/api/payment/gateways/')[0].body).toEqual({
      gateway_name: 'paypal',
      display_name: 'PayPal',
      mode: 'test',
      credentials: { client_id: 'AZfakeClientId0123456789abcdefXYZ', client_secret: 'EFfakeSecret0123456789abcdefghijXYZ' },
    });
    expect(screen.getByLabelText('Secret')).toHaveValue('');
    expect(document.body.innerHTML).not.toContain('EFfakeSecret0123456789abcdefghijXYZ');
  });
});
