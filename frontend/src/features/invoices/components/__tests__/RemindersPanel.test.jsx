import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import RemindersPanel from '../RemindersPanel.jsx';
import { callsTo, mockApi } from '../../../../test/helpers.jsx';

const URL = '/api/invoices/inv-1/reminders/';
const invoice = { id: 'inv-1', number: 'INV-0001' };
const state = (overrides = {}) => ({ uses_default: true, enabled: true, offsets: [-3, 0, 7], sent: [], ...overrides });

const renderPanel = () => render(<RemindersPanel invoice={invoice} />);

describe('RemindersPanel', () => {
  it('shows the default schedule and the reminders already sent', async () => {
    mockApi({ [`GET ${URL}`]: state({ sent: [{ offset_days: -3, claimed_at: '2026-11-27T09:00:00Z' }] }) });
    renderPanel();
    expect(
      await screen.findByText('Your default schedule: 3 days before the due date; on the due date; 7 days after the due date.'),
    ).toBeInTheDocument();
    const sent = screen.getByRole('list', { name: 'Reminders sent' });
    expect(within(sent).getByRole('listitem')).toHaveTextContent(/^Sent 3 days before the due date \(Nov 27, 2026/);
    expect(screen.getByLabelText('Reminder days')).toHaveValue('-3, 0, +7');
    expect(screen.queryByRole('button', { name: 'Use my default' })).not.toBeInTheDocument();
  });

  it('gives the invoice its own schedule and says it was saved', async () => {
    const fetchMock = mockApi({
      [`GET ${URL}`]: state(),
      [`PUT ${URL}`]: ({ body }) => state({ uses_default: false, ...body }),
    });
    renderPanel();
    const field = await screen.findByLabelText('Reminder days');
    fireEvent.change(field, { target: { value: '+14, -1 ,0' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save schedule' }));

    expect(await screen.findByText('Reminder schedule saved for this invoice.')).toBeInTheDocument();
    expect(callsTo(fetchMock, 'PUT', URL)[0].body).toEqual({ enabled: true, offsets: [-1, 0, 14] });
    expect(screen.getByText(/^This invoice’s own schedule: 1 day before the due date; on the due date; 14 days after/)).toBeInTheDocument();
    expect(screen.getByLabelText('Reminder days')).toHaveValue('-1, 0, +14');
  });

  it('turns reminders off for one invoice and goes back to the default', async () => {
    const fetchMock = mockApi({
      [`GET ${URL}`]: state({ uses_default: false, offsets: [1] }),
      [`PUT ${URL}`]: ({ body }) => (body.use_default ? state() : state({ uses_default: false, offsets: [1], enabled: body.enabled })),
    });
    renderPanel();
    await userEvent.click(await screen.findByLabelText('Send reminders for this invoice'));
    await userEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect(await screen.findByText('Reminders are off for this invoice.')).toBeInTheDocument();
    expect(callsTo(fetchMock, 'PUT', URL)[0].body).toEqual({ enabled: false, offsets: [1] });

    await userEvent.click(screen.getByRole('button', { name: 'Use my default' }));
    expect(await screen.findByText('This invoice follows your default schedule again.')).toBeInTheDocument();
    expect(callsTo(fetchMock, 'PUT', URL)[1].body).toEqual({ use_default: true });
    expect(screen.getByText(/^Your default schedule: 3 days before/)).toBeInTheDocument();
  });

  it('refuses days that are not whole numbers before calling the API, and shows the API refusal', async () => {
    const fetchMock = mockApi({
      [`GET ${URL}`]: state(),
      [`PUT ${URL}`]: {
        status: 400,
        body: { code: 'invalid', message: 'Some fields are not valid.', details: { offsets: { 0: ['Ensure this value is less than or equal to 90.'] } } },
      },
    });
    renderPanel();
    const field = await screen.findByLabelText('Reminder days');
    fireEvent.change(field, { target: { value: '-3, soon' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect(screen.getByText(/“soon” is not a whole number of days/)).toBeInTheDocument();
    expect(callsTo(fetchMock, 'PUT', URL)).toHaveLength(0);

    fireEvent.change(field, { target: { value: '120' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect(await screen.findByText('Ensure this value is less than or equal to 90.')).toBeInTheDocument();
    expect(screen.queryByText(/saved/)).not.toBeInTheDocument();
  });

  it('offers a retry when the schedule could not be loaded', async () => {
    mockApi({ [`GET ${URL}`]: { status: 500, body: { code: 'server_error', message: 'Something broke.', details: {} } } });
    renderPanel();
    expect(await screen.findByText('Could not load the reminders')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
