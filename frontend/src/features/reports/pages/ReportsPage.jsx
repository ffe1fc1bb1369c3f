import { lazy, Suspense, useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import LoadError from '../../../components/ui/LoadError.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import useLoad from '../../../lib/useLoad.js';
import useTitle from '../../../lib/useTitle.js';
import { compareDecimal } from '../../../lib/money.js';
import { paths } from '../../../routes.js';
import { getReport } from '../api/reportService.js';
import ReportFilters from '../components/ReportFilters.jsx';
import { ClientsTable, GatewaysTable } from '../components/ReportTables.jsx';
import SummaryCards from '../components/SummaryCards.jsx';
import '../components/reports.css';

// chart.js is loaded only when the charts are drawn: no other page (above all, the client's
// payment page) carries it.
const RevenueChart = lazy(() => import('../components/RevenueChart.jsx'));
const AgingChart = lazy(() => import('../components/AgingChart.jsx'));

const FILTERS = ['from', 'to', 'currency', 'interval'];
const isZero = (amount) => compareDecimal(amount, '0') === 0;

function useFilters() {
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, searchParams.get(name) || '']));
  const setFilters = (next, options) =>
    setSearchParams(Object.fromEntries(Object.entries(next).filter(([, value]) => value)), options);
  return [filters, setFilters];
}

export default function ReportsPage() {
  useTitle('Reports');
  const [filters, setFilters] = useFilters();
  const { from, to, currency, interval } = filters;
  const { loading, data, error, reload } = useLoad(() => getReport(filters), [from, to, currency, interval]);
  const choices = error?.details?.currencies;

  // Several currencies and none chosen yet: show the first; the picker offers the others.
  useEffect(() => {
    if (!currency && Array.isArray(choices) && choices.length > 0) {
      setFilters({ ...filters, currency: choices[0] }, { replace: true });
    }
  });

  const summary = data?.summary;
  const nothingYet = summary && summary.payments === 0 && summary.refunds === 0 && isZero(summary.invoiced);
  const moneyMoved = data?.timeseries.some((p) => !isZero(p.collected) || !isZero(p.refunded));
  const owed = data?.aging.some((b) => b.invoices > 0);

  return (
    <div className="reports">
      <div className="page-head">
        <h1 className="page-title">Reports</h1>
      </div>
      <ReportFilters
        filters={{ ...filters, from: from || summary?.from || '', to: to || summary?.to || '' }}
        currencies={summary?.currencies || choices || []}
        onChange={setFilters}
      />
      {loading && !data && <Loading label="Loading reports…" />}
      {error && !choices && <LoadError title="Could not load the reports" error={error} onRetry={reload} />}
      {summary && (
        <>
          <p className="muted small">
            {summary.from} to {summary.to}, in {summary.currency}. Days follow your business profile's time zone.
          </p>
          {nothingYet && (
            <div className="card empty">
              <h2 className="section-title">Nothing to report in this range</h2>
              <p className="muted">Send an invoice and share its payment link; what your clients pay shows up here.</p>
              <Link to={paths.invoiceNew} className="btn btn-primary">
                Create an invoice
              </Link>
            </div>
          )}
          <SummaryCards summary={summary} />
          <div className="report-grid">
            <section className="card" aria-labelledby="revenue-title">
              <h2 id="revenue-title" className="section-title">Revenue</h2>
              {moneyMoved ? (
                <Suspense fallback={<Loading label="Drawing the chart…" />}>
                  <RevenueChart series={data.timeseries} currency={summary.currency} interval={interval || 'month'} />
                </Suspense>
              ) : (
                <p className="muted empty-note">No payments or refunds in this range. Try a wider range of dates.</p>
              )}
            </section>
            <section className="card" aria-labelledby="aging-title">
              <h2 id="aging-title" className="section-title">What is owed, by days late</h2>
              {owed ? (
                <Suspense fallback={<Loading label="Drawing the chart…" />}>
                  <AgingChart buckets={data.aging} currency={summary.currency} />
                </Suspense>
              ) : (
                <p className="muted empty-note">Nobody owes you anything in {summary.currency} right now.</p>
              )}
            </section>
          </div>
          <section className="card card-flush report-section" aria-labelledby="clients-title">
            <h2 id="clients-title" className="section-title">Top clients</h2>
            <ClientsTable clients={data.clients} currency={summary.currency} />
          </section>
          <section className="card card-flush report-section" aria-labelledby="gateways-title">
            <h2 id="gateways-title" className="section-title">Gateways</h2>
            <GatewaysTable gateways={data.gateways} currency={summary.currency} />
          </section>
        </>
      )}
    </div>
  );
}
