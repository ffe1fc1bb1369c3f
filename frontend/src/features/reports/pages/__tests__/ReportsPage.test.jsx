import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import ReportsPage from '../ReportsPage.jsx';
import { callsTo, mockApi, renderRoute } from '../../../../test/helpers.jsx';

// jsdom has no canvas: the chart shows what it was given to draw.
vi.mock('react-chartjs-2', () => ({
  Bar: ({ data }) => (
    <ul data-testid="chart">
      {data.labels.map((label, i) => (
        <li key={label}>{`${label}: ${data.datasets.map((d) => `${d.label}=${d.data[i]}`).join(' ')}`}</li>
      ))}
    </ul>
  ),
}));

const summary = (fields = {}) => ({
  currency: 'USD', currencies: ['USD'], from: '2026-01-01', to: '2026-03-31',
  invoiced: '450.00', collected: '260.00', refunded: '40.00', net: '213.60', fees: '6.40',
  outstanding: '270.00', overdue: '230.00', payments: 3, refunds: 1, fees_excluded: 1, disputed: '0.00', disputes_open: 0,
  ...fields,
});  // prettier-ignore
const timeseries = [
  { period: '2026-01-01', collected: '100.00', refunded: '0.00', net: '96.80', fees: '3.20' },
  { period: '2026-03-01', collected: '60.00', refunded: '40.00', net: '20.00', fees: '0.00' },
];
const aging = [
  { bucket: 'current', amount: '40.00', invoices: 1 },
  { bucket: '1-30', amount: '150.00', invoices: 1 },
  { bucket: '31-60', amount: '0.00', invoices: 0 },
  { bucket: '61-90', amount: '0.00', invoices: 0 },
  { bucket: '90+', amount: '80.00', invoices: 1 },
];
const clients = [{ client_name: 'Bolt', invoiced: '250.00', paid: '100.00', outstanding: '150.00', average_days_to_pay: null }];
const gateways = [
  {
    gateway_config_id: 'g1', gateway_name: 'sandbox', display_name: 'Sandbox', payments: 3, succeeded: 2, failed: 1,
    success_rate: 0.6667, volume: '200.00', refunded: '40.00', fees: '6.40', net: '153.60',
  },
];  // prettier-ignore

function reportApi(overrides = {}) {
  return mockApi({
    'GET /api/reports/summary/': summary(),
    'GET /api/reports/timeseries/': timeseries,
    'GET /api/reports/aging/': aging,
    'GET /api/reports/clients/': clients,
    'GET /api/reports/gateways/': gateways,
    ...overrides,
  });
}

describe('ReportsPage', () => {
  it('shows the totals, both charts, the top clients and the gateways', async () => {
    reportApi();
    renderRoute(<ReportsPage />, { path: '/reports', url: '/reports' });
    expect(await screen.findByTestId('summary-net')).toHaveTextContent('$213.60');
    expect(screen.getByTestId('summary-collected')).toHaveTextContent('$260.00');
    expect(screen.getByTestId('summary-overdue')).toHaveTextContent('$230.00');
    expect(screen.getByText(/1 fee was charged in another currency/)).toBeInTheDocument();
    // Each chart is loaded on its own (React.lazy): wait for both.
    await waitFor(() => expect(screen.getAllByTestId('chart')).toHaveLength(2), { timeout: 5000 });
    const charts = screen.getAllByTestId('chart');
    expect(within(charts[0]).getByText(/Collected=60 Refunded=40 Net=20/)).toBeInTheDocument();
    expect(within(charts[1]).getByText('Over 90 days late: Owed=80')).toBeInTheDocument();
    const bolt = screen.getByRole('cell', { name: 'Bolt' }).closest('tr');
    expect(within(bolt).getByText('$150.00')).toBeInTheDocument();
    const sandbox = screen.getByRole('cell', { name: 'Sandbox' }).closest('tr');
    expect(within(sandbox).getByText('66.7%')).toBeInTheDocument();
    expect(within(sandbox).getByText('$153.60')).toBeInTheDocument();
  });

  it('asks again with the chosen dates and interval, and the CSV link follows them', async () => {
    const fetchMock = reportApi();
    const user = userEvent.setup();
    renderRoute(<ReportsPage />, { path: '/reports', url: '/reports?from=2026-01-01&to=2026-03-31' });
    await screen.findByTestId('summary-net');
    await user.selectOptions(screen.getByLabelText('Chart by'), 'week');
    await screen.findByTestId('summary-net');
    const last = callsTo(fetchMock, 'GET', '/api/reports/timeseries/').at(-1);
    expect(last.url).toContain('interval=week');
    expect(last.url).toContain('from=2026-01-01');
    expect(screen.getByRole('link', { name: 'Download CSV' })).toHaveAttribute(
      'href',
      '/api/reports/payments.csv?from=2026-01-01&to=2026-03-31&interval=week',
    );
  });

  it('picks the first currency when there are several, and offers the others', async () => {
    const several = { code: 'invalid', message: 'You invoice in several currencies (EUR, USD): choose one with ?currency=.', details: { currencies: ['EUR', 'USD'] } };
    const fetchMock = mockApi({
      'GET /api/reports/summary/': (call) =>
        call.url.includes('currency=EUR') ? summary({ currency: 'EUR', currencies: ['EUR', 'USD'] }) : { status: 400, body: several },
      'GET /api/reports/timeseries/': (call) => (call.url.includes('currency=') ? timeseries : { status: 400, body: several }),
      'GET /api/reports/aging/': (call) => (call.url.includes('currency=') ? aging : { status: 400, body: several }),
      'GET /api/reports/clients/': (call) => (call.url.includes('currency=') ? clients : { status: 400, body: several }),
      'GET /api/reports/gateways/': (call) => (call.url.includes('currency=') ? gateways : { status: 400, body: several }),
    });
    renderRoute(<ReportsPage />, { path: '/reports', url: '/reports' });
    expect(await screen.findByTestId('summary-net')).toHaveTextContent('€213.60');
    expect(screen.getByLabelText('Currency')).toHaveValue('EUR');
    expect(screen.getAllByRole('option', { name: 'USD' })).toHaveLength(1);
    expect(screen.queryByText('Could not load the reports')).not.toBeInTheDocument();
    expect(callsTo(fetchMock, 'GET', '/api/reports/summary/').at(-1).url).toContain('currency=EUR');
  });

  it('says what to do when there is nothing yet', async () => {
    reportApi({
      'GET /api/reports/summary/': summary({ invoiced: '0.00', collected: '0.00', refunded: '0.00', net: '0.00', fees: '0.00', outstanding: '0.00', overdue: '0.00', payments: 0, refunds: 0, fees_excluded: 0 }),
      'GET /api/reports/timeseries/': [{ period: '2026-01-01', collected: '0.00', refunded: '0.00', net: '0.00', fees: '0.00' }],
      'GET /api/reports/aging/': aging.map((b) => ({ ...b, amount: '0.00', invoices: 0 })),
      'GET /api/reports/clients/': [],
      'GET /api/reports/gateways/': [],
    });
    renderRoute(<ReportsPage />, { path: '/reports', url: '/reports' });
    expect(await screen.findByText('Nothing to report in this range')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Create an invoice' })).toHaveAttribute('href', '/invoices/new');
    expect(screen.getByText(/No payments or refunds in this range/)).toBeInTheDocument();
    expect(screen.getByText(/Nobody owes you anything in USD/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Payment settings' })).toBeInTheDocument();
    expect(screen.queryByTestId('chart')).not.toBeInTheDocument();
  });

  it('shows an error with a retry', async () => {
    reportApi({ 'GET /api/reports/aging/': { status: 500, body: { code: 'server_error', message: 'Something went wrong on our side.', details: {} } } });
    renderRoute(<ReportsPage />, { path: '/reports', url: '/reports' });
    expect(await screen.findByText('Something went wrong on our side.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
