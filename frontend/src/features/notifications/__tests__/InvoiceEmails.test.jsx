import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import InvoiceEmails from '../components/InvoiceEmails.jsx';
import { callsTo, mockApi, sequence } from '../../../test/helpers.jsx';

const ID = 'inv-7';
const EMAILS = `/api/invoices/${ID}/emails/`;
const invoice = { id: ID, number: 'INV-0007', status: 'sent', client_email: 'billing@acme.test' };
const row = (overrides = {}) => ({
  id: 'em-1',
  kind: 'invoice',
  kind_display: 'Invoice to the client',
  to: 'billing@acme.test',
  status: 'sent',
  status_display: 'Sent',
  error: '',
  attempts: 1,
  created_at: '2026-11-20T10:00:00Z',
  sent_at: '2026-11-20T10:00:05Z',
  can_retry: false,
  ...overrides,
});

describe('InvoiceEmails', () => {
  it('emails the invoice to the address given and lists the email', async () => {
    const api = mockApi({
      [`GET ${EMAILS}`]: sequence([], [row({ to: 'boss@acme.test' })]),
      [`POST /api/invoices/${ID}/email/`]: { status: 202, body: row({ to: 'boss@acme.test', status: 'queued' }) },
    });
    render(<InvoiceEmails invoice={invoice} />);
    expect(await screen.findByText('No emails yet.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download PDF' })).toHaveAttribute('href', `/api/invoices/${ID}/pdf/`);

    await userEvent.click(screen.getByRole('button', { name: 'Email invoice' }));
    const to = screen.getByLabelText('To');
    expect(to).toHaveValue('billing@acme.test');
    await userEvent.clear(to);
    await userEvent.type(to, 'boss@acme.test');
    await userEvent.click(screen.getByRole('button', { name: 'Send email' }));

    expect(await screen.findByText('Invoice emailed to boss@acme.test.')).toBeInTheDocument();
    expect(callsTo(api, 'POST', `/api/invoices/${ID}/email/`)[0].body).toEqual({ to: 'boss@acme.test' });
    const table = await screen.findByRole('table', { name: 'Emails' });
    expect(within(table).getByText('boss@acme.test')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('shows the server refusal in the dialog', async () => {
    mockApi({
      [`GET ${EMAILS}`]: [],
      [`POST /api/invoices/${ID}/email/`]: {
        status: 400,
        body: { code: 'no_recipient', message: 'This invoice has no client email.', details: {} },
      },
    });
    render(<InvoiceEmails invoice={{ ...invoice, client_email: '' }} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Email invoice' }));
    await userEvent.click(screen.getByRole('button', { name: 'Send email' }));

    expect(await within(screen.getByRole('dialog')).findByText('This invoice has no client email.')).toBeInTheDocument();
  });

  it('shows a failed email with its error and retries it', async () => {
    const failed = row({ status: 'failed', status_display: 'Failed', error: 'ConnectionRefusedError: refused', can_retry: true, sent_at: null });
    const api = mockApi({
      [`GET ${EMAILS}`]: sequence([failed], [row({ attempts: 2 })]),
      [`POST /api/invoices/${ID}/emails/em-1/retry/`]: { status: 202, body: { ...failed, status: 'queued' } },
    });
    render(<InvoiceEmails invoice={invoice} />);

    expect(await screen.findByText('ConnectionRefusedError: refused')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(await screen.findByText('Sending the email to billing@acme.test again.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument());
    expect(callsTo(api, 'POST', `/api/invoices/${ID}/emails/em-1/retry/`)).toHaveLength(1);
  });

  it('offers no email for a void invoice', async () => {
    mockApi({ [`GET ${EMAILS}`]: [] });
    render(<InvoiceEmails invoice={{ ...invoice, status: 'void' }} />);
    expect(await screen.findByText('No emails yet.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Email invoice' })).not.toBeInTheDocument();
  });
});
