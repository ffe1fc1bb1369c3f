import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import PaymentSettingsPage from '../PaymentSettingsPage.jsx';
import { callsTo, mockApi, renderRoute, sequence } from '../../../../test/helpers.jsx';

const TYPES = [
  {
    name: 'stripe',
    display_name: 'Stripe',
    needs_webhook_setup: true,
    credential_fields: [
      { name: 'secret_key', label: 'Secret key', secret: true, required: true, help_text: '' },
      { name: 'publishable_key', label: 'Publishable key', secret: false, required: true, help_text: '' },
      { name: 'webhook_secret', label: 'Webhook signing secret', secret: true, required: false, help_text: 'Optional.' },
    ],
  },
];
const WEBHOOK_URL = 'http://127.0.0.1:8000/api/payment/webhook/stripe/g-stripe/';

const config = (overrides = {}) => ({
  id: 'g-stripe',
  gateway_name: 'stripe',
  display_name: 'Stripe',
  is_active: true,
  is_default: true,
  mode: 'test',
  credentials_preview: { secret_key: 'sk_test_...4242', publishable_key: 'pk_test_...9999' },
  webhook_url: WEBHOOK_URL,
  needs_webhook_setup: true,
  manages_webhooks: true,
  verified: true,
  verify_error: '',
  webhook_mode: 'managed',
  ...overrides,
});

const renderPage = () => renderRoute(<PaymentSettingsPage />, { path: '/settings/payments', url: '/settings/payments' });

describe('Payment settings: verification and webhooks', () => {
  it('connects Stripe without a webhook secret and says the webhook is managed', async () => {
    const fetchMock = mockApi({
      'GET /api/payment/gateways/': sequence([], [config()]),
      'GET /api/payment/gateway-types/': TYPES,
      'POST /api/payment/gateways/': { status: 201, body: config() },
    });
    const user = userEvent.setup();
    renderPage();
    expect(await screen.findByLabelText('Webhook signing secret (optional)')).not.toBeRequired();
    await user.type(screen.getByLabelText('Secret key'), 'sk_test_51ABC4242');
    await user.type(screen.getByLabelText('Publishable key'), 'pk_test_51ABC9999');
    await user.click(screen.getByRole('button', { name: 'Connect Stripe' }));

    expect(await screen.findByText(/keys are verified and the webhook is managed by Trackify/)).toBeInTheDocument();
    expect(callsTo(fetchMock, 'POST', '/api/payment/gateways/')[0].body.credentials).toEqual({
      secret_key: 'sk_test_51ABC4242',
      publishable_key: 'pk_test_51ABC9999',
    });
    const card = await screen.findByRole('listitem', { name: 'Stripe' });
    expect(within(card).getByText('Managed by Trackify')).toBeInTheDocument();
    expect(within(card).getByText('Verified')).toBeInTheDocument();
    expect(within(card).queryByText(WEBHOOK_URL)).not.toBeInTheDocument(); // nothing to paste anywhere
  });

  it('shows why the keys are not verified and retries', async () => {
    const reason = 'Stripe could not check these keys: Stripe could not be reached (connection failed or timed out).';
    const fetchMock = mockApi({
      'GET /api/payment/gateways/': sequence([config({ verified: false, verify_error: reason, webhook_mode: 'manual' })], [config()]),
      'GET /api/payment/gateway-types/': TYPES,
      'POST /api/payment/gateways/g-stripe/verify/': { ok: true, verified: true, webhook_mode: 'managed' },
    });
    const user = userEvent.setup();
    renderPage();
    const card = await screen.findByRole('listitem', { name: 'Stripe' });
    expect(within(card).getByText(reason)).toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: 'Repair webhooks' })).not.toBeInTheDocument();

    await user.click(within(card).getByRole('button', { name: 'Retry' }));

    expect(await within(card).findByText('Managed by Trackify')).toBeInTheDocument();
    expect(within(card).getByText('Verified')).toBeInTheDocument();
    expect(callsTo(fetchMock, 'POST', '/api/payment/gateways/g-stripe/verify/')).toHaveLength(1);
  });

  it('in manual mode shows the URL to register, and Repair webhooks switches to managed', async () => {
    const fetchMock = mockApi({
      'GET /api/payment/gateways/': sequence([config({ webhook_mode: 'manual' })], [config()]),
      'GET /api/payment/gateway-types/': TYPES,
      'POST /api/payment/gateways/g-stripe/repair-webhooks/': config(),
    });
    const user = userEvent.setup();
    renderPage();
    const card = await screen.findByRole('listitem', { name: 'Stripe' });
    expect(within(card).getByText('Manual: paste the signing secret')).toBeInTheDocument();
    expect(within(card).getByText(WEBHOOK_URL)).toBeInTheDocument();

    await user.click(within(card).getByRole('button', { name: 'Repair webhooks' }));

    expect(await within(card).findByText(/Webhooks repaired/)).toBeInTheDocument();
    expect(await within(card).findByText('Managed by Trackify')).toBeInTheDocument();
    expect(callsTo(fetchMock, 'POST', '/api/payment/gateways/g-stripe/repair-webhooks/')).toHaveLength(1);
  });

  it('shows the gateway refusing a repair', async () => {
    mockApi({
      'GET /api/payment/gateways/': [config()],
      'GET /api/payment/gateway-types/': TYPES,
      'POST /api/payment/gateways/g-stripe/repair-webhooks/': {
        status: 502,
        body: { code: 'gateway_error', message: 'Stripe could not be reached (connection failed or timed out).', details: {} },
      },
    });
    const user = userEvent.setup();
    renderPage();
    const card = await screen.findByRole('listitem', { name: 'Stripe' });
    await user.click(within(card).getByRole('button', { name: 'Repair webhooks' }));
    expect(await within(card).findByRole('alert')).toHaveTextContent('Stripe could not be reached');
  });
});
