import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import BusinessProfilePage from '../BusinessProfilePage.jsx';
import { logoProblem } from '../../components/LogoField.jsx';
import { callsTo, mockApi } from '../../../../test/helpers.jsx';

const URL = '/api/account/profile/';
const NOTIFICATIONS = { [`GET /api/account/notifications/`]: { notify_payment_succeeded: true, notify_payment_failed: true, notify_refund: true, notify_dispute: true, send_receipts: true, reminders_enabled: true, reminder_offsets: [-3, 0, 7] } };
const profile = {
  business_name: '',
  contact_email: '',
  address: '',
  tax_id: '',
  accent_color: '#2563eb',
  logo_url: null,
  time_zone: 'UTC',
};

describe('BusinessProfilePage', () => {
  it('saves the profile and says so', async () => {
    const fetchMock = mockApi({ ...NOTIFICATIONS, [`GET ${URL}`]: profile, [`PATCH ${URL}`]: ({ body }) => ({ ...profile, ...body }) });
    render(<BusinessProfilePage />);

    fireEvent.change(await screen.findByLabelText('Business name'), { target: { value: 'Studio Nord' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Business profile saved.')).toBeInTheDocument();
    expect(callsTo(fetchMock, 'PATCH', URL)[0].body).toMatchObject({ business_name: 'Studio Nord', time_zone: 'UTC' });
  });

  it('shows the API error beside the field', async () => {
    mockApi({
      ...NOTIFICATIONS,
      [`GET ${URL}`]: profile,
      [`PATCH ${URL}`]: { status: 400, body: { code: 'invalid', message: 'Some fields are not valid.', details: { contact_email: ['Enter a valid email address.'] } } },
    });
    render(<BusinessProfilePage />);

    await userEvent.click(await screen.findByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Enter a valid email address.')).toBeInTheDocument();
  });

  it('refuses an SVG or a file over 512 KB before sending it', async () => {
    expect(logoProblem({ type: 'image/svg+xml', size: 10 })).toMatch(/PNG, JPEG or WebP/);
    expect(logoProblem({ type: 'image/png', size: 600 * 1024 })).toMatch(/512 KB/);
    expect(logoProblem({ type: 'image/webp', size: 1000 })).toBeNull();

    mockApi({ ...NOTIFICATIONS, [`GET ${URL}`]: profile });
    render(<BusinessProfilePage />);
    const input = await screen.findByLabelText(/PNG, JPEG or WebP, at most 512 KB/);
    fireEvent.change(input, { target: { files: [new File(['<svg/>'], 'logo.svg', { type: 'image/svg+xml' })] } });

    expect(await screen.findByText(/SVG is not accepted/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Upload logo' })).toBeDisabled();
  });
});
