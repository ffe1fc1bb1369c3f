import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import NotificationSettings from '../NotificationSettings.jsx';
import { callsTo, mockApi } from '../../../../test/helpers.jsx';

const URL = '/api/account/notifications/';
const settings = {
  notify_payment_succeeded: true,
  notify_payment_failed: true,
  notify_refund: true,
  notify_dispute: true,
  send_receipts: true,
  reminders_enabled: true,
  reminder_offsets: [-3, 0, 7],
};

describe('NotificationSettings', () => {
  it('shows a switch for each notice the API offers, as saved', async () => {
    mockApi({ [`GET ${URL}`]: { ...settings, notify_refund: false } });
    render(<NotificationSettings />);
    const switches = await screen.findAllByRole('switch');
    expect(switches).toHaveLength(6);
    expect(screen.getByRole('switch', { name: 'Email me when a client pays' })).toBeChecked();
    expect(screen.getByRole('switch', { name: 'Email me when a refund is made' })).not.toBeChecked();
    expect(screen.getByLabelText('Default reminder days')).toHaveValue('-3, 0, +7');
  });

  it('saves a switch with PATCH and says so', async () => {
    const fetchMock = mockApi({ [`GET ${URL}`]: settings, [`PATCH ${URL}`]: ({ body }) => ({ ...settings, ...body }) });
    render(<NotificationSettings />);
    await userEvent.click(await screen.findByRole('switch', { name: 'Email me when a payment fails' }));

    expect(await screen.findByText('Saved: “Email me when a payment fails” is now off.')).toBeInTheDocument();
    expect(callsTo(fetchMock, 'PATCH', URL).map((call) => call.body)).toEqual([{ notify_payment_failed: false }]);
    expect(screen.getByRole('switch', { name: 'Email me when a payment fails' })).not.toBeChecked();
  });

  it('keeps the switch as it was and says it was not saved when the API refuses', async () => {
    mockApi({
      [`GET ${URL}`]: settings,
      [`PATCH ${URL}`]: { status: 500, body: { code: 'server_error', message: 'Something went wrong on our side.', details: {} } },
    });
    render(<NotificationSettings />);
    await userEvent.click(await screen.findByRole('switch', { name: 'Email me when a client disputes a payment' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Not saved');
    expect(screen.getByRole('alert')).toHaveTextContent('Something went wrong on our side.');
    expect(screen.getByRole('switch', { name: 'Email me when a client disputes a payment' })).toBeChecked();
    expect(screen.queryByText(/^Saved/)).not.toBeInTheDocument();
  });

  it('saves the default reminder days', async () => {
    const fetchMock = mockApi({ [`GET ${URL}`]: settings, [`PATCH ${URL}`]: ({ body }) => ({ ...settings, ...body }) });
    render(<NotificationSettings />);
    fireEvent.change(await screen.findByLabelText('Default reminder days'), { target: { value: '0, +3, +10' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save reminder days' }));

    expect(await screen.findByText('Default reminder schedule saved.')).toBeInTheDocument();
    expect(callsTo(fetchMock, 'PATCH', URL)[0].body).toEqual({ reminder_offsets: [0, 3, 10] });
    expect(screen.getByLabelText('Default reminder days')).toHaveValue('0, +3, +10');
    expect(screen.getByText(/Now: on the due date; 3 days after the due date; 10 days after the due date\./)).toBeInTheDocument();
  });
});
