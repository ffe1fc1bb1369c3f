import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import LinkControls from '../LinkControls.jsx';
import ActivityTimeline from '../ActivityTimeline.jsx';
import { callsTo, mockApi } from '../../../../test/helpers.jsx';

const ID = '5a0c2a2e-2222-4d5e-9f00-000000000001';
const invoice = { id: ID, public_id: 'p-1', link_state: 'live', link_expires_at: null, can_edit: true, currency: 'USD', currency_exponent: 2 };

describe('LinkControls', () => {
  it('turns the link off after asking, and hands back the updated invoice', async () => {
    const fetchMock = mockApi({ [`POST /api/invoices/${ID}/link/revoke/`]: { ...invoice, link_enabled: false, link_state: 'revoked' } });
    const onChange = vi.fn();
    render(<LinkControls invoice={invoice} onChange={onChange} />);

    await userEvent.click(screen.getByRole('button', { name: 'Turn link off' }));
    await userEvent.click(screen.getAllByRole('button', { name: 'Turn link off' }).at(-1));

    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(onChange.mock.calls[0][0].link_state).toBe('revoked');
    expect(onChange.mock.calls[0][1]).toMatch(/turned off/);
    expect(callsTo(fetchMock, 'POST', `/api/invoices/${ID}/link/revoke/`)).toHaveLength(1);
  });

  it('says when the link is revoked and offers a new one', () => {
    render(<LinkControls invoice={{ ...invoice, link_state: 'revoked' }} onChange={() => {}} />);

    expect(screen.getByTestId('link-state')).toHaveTextContent(/turned off/);
    expect(screen.queryByRole('button', { name: 'Turn link off' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'New link' })).toBeInTheDocument();
  });

  it('shows the server refusing an expiry in the past', async () => {
    mockApi({
      [`PATCH /api/invoices/${ID}/`]: {
        status: 400,
        body: { code: 'invalid', message: "The link's expiry must be in the future.", details: { link_expires_at: ['x'] } },
      },
    });
    render(<LinkControls invoice={invoice} onChange={() => {}} />);

    fireEvent.change(screen.getByLabelText('Link expires'), { target: { value: '2020-01-01T10:00' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save expiry' }));

    expect(await screen.findByText("The link's expiry must be in the future.")).toBeInTheDocument();
  });
});

describe('ActivityTimeline', () => {
  it('lists the events oldest first with who did them and their amounts', async () => {
    mockApi({
      [`GET /api/invoices/${ID}/activity/`]: [
        { at: '2026-05-01T10:00:00Z', kind: 'created', kind_display: 'Created', actor: 'owner', details: {} },
        { at: '2026-05-02T10:00:00Z', kind: 'viewed', kind_display: 'Viewed by the client', actor: 'client', details: { view: 'last', count: 3 } },
        { at: '2026-05-03T10:00:00Z', kind: 'paid', kind_display: 'Payment received', actor: 'sandbox', details: { amount: '120.00', currency: 'USD' } },
      ],
    });
    render(<ActivityTimeline invoice={invoice} />);

    const rows = await screen.findAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringMatching(/Created by you/),
      expect.stringMatching(/Viewed by the client by your client.*last visit \(3 in all\)/),
      expect.stringMatching(/Payment received by sandbox.*\$120\.00/),
    ]);
  });
});
