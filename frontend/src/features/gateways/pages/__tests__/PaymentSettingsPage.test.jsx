import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import PaymentSettingsPage from '../PaymentSettingsPage.jsx';
import { callsTo, mockApi, renderRoute, sequence } from '../../../../test/helpers.jsx';

const TYPES = [
  { name: 'sandbox', display_name: 'Sandbox', credential_fields: [], needs_webhook_setup: false },
  {
    name: 'stripe',
    display_name: 'Stripe',
    needs_webhook_setup: true,
    credential_fields: [
      { name: 'secret_key', label: 'Secret key', secret: true, required: true, help_text: 'Starts with sk_test_ or sk_live_.' },
      { name: 'publishable_key', label: 'Publishable key', secret: false, required: true, help_text: '' },
      { name: 'webhook_secret', label: 'Webhook signing secret', secret: true, required: true, help_text: 'Starts with whsec_.' },
    ],
  },
];

const SECRET = 'sk_test_51ABCDEFsecretvalue4242';

const stripeConfig = (overrides = {}) => ({
  id: 'g-stripe',
  gateway_name: 'stripe',
  display_name: 'Stripe',
  is_active: true,
  is_default: true,
  mode: 'test',
  credentials_preview: { secret_key: 'sk_test_...4242', publishable_key: 'pk_test_...9999', webhook_secret: 'whsec_...abcd' },
  webhook_url: 'http://127.0.0.1:8000/api/payment/webhook/stripe/g-stripe/',
  needs_webhook_setup: true,
  verified: true,
  verified_at: '2026-11-01T10:05:00Z',
  created_at: '2026-11-01T10:00:00Z',
  updated_at: '2026-11-01T10:00:00Z',
  ...overrides,
});

const sandboxConfig = (overrides = {}) => ({
  id: 'g-sandbox',
  gateway_name: 'sandbox',
  display_name: 'Sandbox',
  is_active: true,
  is_default: false,
  mode: 'test',
  credentials_preview: {},
  webhook_url: 'http://127.0.0.1:8000/api/payment/webhook/sandbox/g-sandbox/',
  needs_webhook_setup: false,
  verified: true,
  verified_at: '2026-11-01T10:00:00Z',
  ...overrides,
});

function renderPage() {
  return renderRoute(<PaymentSettingsPage />, { path: '/settings/payments', url: '/settings/payments' });
}

describe('PaymentSettingsPage', () => {
  it('builds the connect form from the gateway types, with secrets as password inputs', async () => {
    mockApi({ 'GET /api/payment/gateways/': [], 'GET /api/payment/gateway-types/': TYPES });
    renderPage();
    expect(await screen.findByRole('heading', { name: 'Connect Stripe' })).toBeInTheDocument();
    expect(screen.getByLabelText('Secret key')).toHaveAttribute('type', 'password');
    expect(screen.getByLabelText('Webhook signing secret')).toHaveAttribute('type', 'password');
    expect(screen.getByLabelText('Publishable key')).toHaveAttribute('type', 'text');
    expect(screen.getByText('Starts with sk_test_ or sk_live_.')).toBeInTheDocument();
    expect(screen.getByText(/No gateway connected yet/)).toBeInTheDocument();
  });

  it('connects Stripe, clears the secrets and never shows them again', async () => {
    const fetchMock = mockApi({
      'GET /api/payment/gateways/': sequence([], [stripeConfig()]),
      'GET /api/payment/gateway-types/': TYPES,
      'POST /api/payment/gateways/': { status: 201, body: stripeConfig() },
    });
    const user = userEvent.setup();
    renderPage();
    await user.type(await screen.findByLabelText('Secret key'), SECRET);
    await user.type(screen.getByLabelText('Publishable key'), 'pk_test_51ABCDEF9999');
    await user.type(screen.getByLabelText('Webhook signing secret'), 'whsec_abcdabcd');
    await user.click(screen.getByRole('radio', { name: 'Live' }));
    await user.click(screen.getByRole('radio', { name: 'Test' }));
    await user.click(screen.getByRole('button', { name: 'Connect Stripe' }));

    expect(await screen.findByText(/Stripe connected/)).toBeInTheDocument();
    expect(callsTo(fetchMock, 'POST', '/api/payment/gateways/')[0].body).toEqual({
      gateway_name: 'stripe',
      display_name: 'Stripe',
      mode: 'test',
      credentials: { secret_key: SECRET, publishable_key: 'pk_test_51ABCDEF9999', webhook_secret: 'whsec_abcdabcd' },
    });
    await waitFor(() => expect(screen.getByText('sk_test_...4242')).toBeInTheDocument());
    expect(screen.getByLabelText('Secret key')).toHaveValue('');
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain('whsec_abcdabcd');
  });

  it('shows field errors for rejected keys', async () => {
    mockApi({
      'GET /api/payment/gateways/': [],
      'GET /api/payment/gateway-types/': TYPES,
      'POST /api/payment/gateways/': {
        status: 400,
        body: {
          code: 'invalid',
          message: 'Secret key: Must start with sk_ or rk_. Webhook signing secret: Starts with whsec_.',
          details: { credentials: { secret_key: ['Must start with sk_ or rk_.'], webhook_secret: ['Starts with whsec_.'] } },
        },
      },
    });
    const user = userEvent.setup();
    renderPage();
    await user.type(await screen.findByLabelText('Secret key'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Connect Stripe' }));
    // The banner is the API's sentence, naming fields by label; each problem shows under its input.
    expect(await screen.findByRole('alert')).toHaveTextContent(/^Secret key: Must start with sk_ or rk_\. Webhook signing secret: Starts with whsec_\.$/);
    expect(screen.getByText('Must start with sk_ or rk_.')).toBeInTheDocument();
    expect(screen.getByLabelText('Secret key')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Secret key')).toHaveAccessibleDescription(/Must start with sk_ or rk_\./);
    expect(screen.getByLabelText('Webhook signing secret')).toHaveAccessibleDescription(/Starts with whsec_\./);
  });

  it('lists configs with masked previews, webhook URL and badges, and never a stored secret', async () => {
    mockApi({
      'GET /api/payment/gateways/': [stripeConfig({ credentials: { secret_key: SECRET } }), sandboxConfig()],
      'GET /api/payment/gateway-types/': TYPES,
    });
    renderPage();
    const stripe = await screen.findByRole('listitem', { name: 'Stripe' });
    expect(within(stripe).getByText('sk_test_...4242')).toBeInTheDocument();
    expect(within(stripe).getByText('Default')).toBeInTheDocument();
    expect(within(stripe).getByText('http://127.0.0.1:8000/api/payment/webhook/stripe/g-stripe/')).toBeInTheDocument();
    expect(within(stripe).getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    expect(within(stripe).getByText('Secret key')).toBeInTheDocument(); // keys named as the form labels them
    expect(document.body.innerHTML).not.toContain(SECRET);
    const sandbox = screen.getByRole('listitem', { name: 'Sandbox' });
    expect(within(sandbox).getByRole('button', { name: 'Make default' })).toBeInTheDocument();
  });

  it('shows no webhook URL for a gateway that needs no webhook set-up (the sandbox)', async () => {
    mockApi({ 'GET /api/payment/gateways/': [sandboxConfig({ is_default: true })], 'GET /api/payment/gateway-types/': TYPES });
    renderPage();
    const sandbox = await screen.findByRole('listitem', { name: 'Sandbox' });
    expect(within(sandbox).queryByText('Webhook URL')).not.toBeInTheDocument();
    expect(within(sandbox).queryByRole('button', { name: 'Copy' })).not.toBeInTheDocument();
    expect(within(sandbox).getByText('Active')).toBeInTheDocument();
  });

  it('says "Not verified" until the gateway accepts the keys, then "Active"', async () => {
    const unverified = stripeConfig({ verified: false, verified_at: null });
    mockApi({
      'GET /api/payment/gateways/': sequence([unverified], [stripeConfig()]),
      'GET /api/payment/gateway-types/': TYPES,
      'POST /api/payment/gateways/g-stripe/verify/': { ok: true, verified: true },
    });
    const user = userEvent.setup();
    renderPage();
    const card = await screen.findByRole('listitem', { name: 'Stripe' });
    expect(within(card).getByText('Not verified')).toBeInTheDocument();
    expect(within(card).queryByText('Active')).not.toBeInTheDocument();
    expect(within(card).getByText(/the gateway has not accepted these keys/)).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: 'Verify' })).toHaveClass('btn-primary');

    await user.click(within(card).getByRole('button', { name: 'Verify' }));
    expect(await within(card).findByText('Active')).toBeInTheDocument();
    expect(within(card).queryByText('Not verified')).not.toBeInTheDocument();
    expect(within(card).getByRole('button', { name: 'Verify' })).not.toHaveClass('btn-primary');
  });

  it('a refused verify leaves the card "Not verified" with the gateway\'s reason', async () => {
    mockApi({
      'GET /api/payment/gateways/': sequence([stripeConfig()], [stripeConfig({ verified: false, verified_at: null })]),
      'GET /api/payment/gateway-types/': TYPES,
      'POST /api/payment/gateways/g-stripe/verify/': {
        status: 400,
        body: { code: 'gateway_credentials_invalid', message: 'Stripe did not accept this configuration\'s secret key.', details: {} },
      },
    });
    const user = userEvent.setup();
    renderPage();
    const card = await screen.findByRole('listitem', { name: 'Stripe' });
    expect(within(card).getByText('Active')).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: 'Verify' }));
    expect(await within(card).findByText('Not verified')).toBeInTheDocument();
    expect(within(card).getByText("Stripe did not accept this configuration's secret key.")).toBeInTheDocument();
  });

  it('verifies a config and shows ok or the error message', async () => {
    mockApi({
      'GET /api/payment/gateways/': [stripeConfig()],
      'GET /api/payment/gateway-types/': TYPES,
      'POST /api/payment/gateways/g-stripe/verify/': sequence(
        { ok: true },
        { status: 400, body: { code: 'gateway_credentials_invalid', message: 'Stripe rejected the secret key.', details: {} } },
      ),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Verify' }));
    expect(await screen.findByText(/Connection verified/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByText('Stripe rejected the secret key.')).toBeInTheDocument();
  });

  it('adds the sandbox gateway in one click', async () => {
    const fetchMock = mockApi({
      'GET /api/payment/gateways/': sequence([], [sandboxConfig({ is_default: true })]),
      'GET /api/payment/gateway-types/': TYPES,
      'POST /api/payment/gateways/': { status: 201, body: sandboxConfig({ is_default: true }) },
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Add sandbox gateway' }));
    expect(await screen.findByRole('listitem', { name: 'Sandbox' })).toBeInTheDocument();
    expect(callsTo(fetchMock, 'POST', '/api/payment/gateways/')[0].body).toEqual({ gateway_name: 'sandbox', display_name: 'Sandbox' });
  });

  it('sets the default, deactivates, and deletes after confirming', async () => {
    const fetchMock = mockApi({
      'GET /api/payment/gateways/': [stripeConfig(), sandboxConfig()],
      'GET /api/payment/gateway-types/': TYPES,
      'PATCH /api/payment/gateways/g-sandbox/': sandboxConfig({ is_default: true }),
      'PATCH /api/payment/gateways/g-stripe/': stripeConfig({ is_active: false }),
      'DELETE /api/payment/gateways/g-sandbox/': { status: 204 },
    });
    const user = userEvent.setup();
    renderPage();
    const sandbox = await screen.findByRole('listitem', { name: 'Sandbox' });
    await user.click(within(sandbox).getByRole('button', { name: 'Make default' }));
    await user.click(within(screen.getByRole('listitem', { name: 'Stripe' })).getByRole('button', { name: 'Deactivate' }));
    await user.click(within(screen.getByRole('listitem', { name: 'Sandbox' })).getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Sandbox?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(callsTo(fetchMock, 'DELETE', '/api/payment/gateways/g-sandbox/')).toHaveLength(1));
    expect(callsTo(fetchMock, 'PATCH', '/api/payment/gateways/g-sandbox/')[0].body).toEqual({ is_default: true });
    expect(callsTo(fetchMock, 'PATCH', '/api/payment/gateways/g-stripe/')[0].body).toEqual({ is_active: false });
  });

  it('shows an error when the settings cannot load', async () => {
    mockApi({
      'GET /api/payment/gateways/': { status: 500, body: { code: 'server_error', message: 'Something went wrong on our side.', details: {} } },
      'GET /api/payment/gateway-types/': TYPES,
    });
    renderPage();
    expect(await screen.findByText('Something went wrong on our side.')).toBeInTheDocument();
  });
});

describe('PaymentSettingsPage keys', () => {
  it('updates only the keys that were typed, e.g. the webhook secret added later', async () => {
    const fetchMock = mockApi({
      'GET /api/payment/gateways/': [stripeConfig()],
      'GET /api/payment/gateway-types/': TYPES,
      'PATCH /api/payment/gateways/g-stripe/': stripeConfig(),
    });
    const user = userEvent.setup();
    renderPage();
    const card = await screen.findByRole('listitem', { name: 'Stripe' });
    await user.click(within(card).getByRole('button', { name: 'Update keys' }));
    const dialog = screen.getByRole('dialog', { name: 'Update Stripe keys' });
    expect(within(dialog).getByLabelText('Secret key (optional)')).toHaveAttribute('type', 'password');
    await user.type(within(dialog).getByLabelText('Webhook signing secret (optional)'), 'whsec_new');
    await user.click(within(dialog).getByRole('button', { name: 'Save keys' }));
    expect(await screen.findByText(/Keys saved/)).toBeInTheDocument();
    expect(callsTo(fetchMock, 'PATCH', '/api/payment/gateways/g-stripe/')[0].body).toEqual({ credentials: { webhook_secret: 'whsec_new' } });
    expect(document.body.innerHTML).not.toContain('whsec_new');
  });
});
