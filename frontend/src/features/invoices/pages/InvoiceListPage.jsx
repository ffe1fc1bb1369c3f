import { Link, useSearchParams } from 'react-router';
import LoadError from '../../../components/ui/LoadError.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import StatusBadge from '../../../components/ui/StatusBadge.jsx';
import useLoad from '../../../lib/useLoad.js';
import useTitle from '../../../lib/useTitle.js';
import { formatMoney } from '../../../lib/money.js';
import { formatDate } from '../../../lib/dates.js';
import { listInvoices } from '../api/invoiceService.js';
import { invoiceDetailPath, invoiceListPath, paths } from '../../../routes.js';

export const PAGE_SIZE = 20;

export default function InvoiceListPage() {
  useTitle('Invoices');
  const [searchParams] = useSearchParams();
  const page = Math.max(1, parseInt(searchParams.get('page') || '1', 10) || 1);
  const { loading, data, error, reload } = useLoad(() => listInvoices({ page, pageSize: PAGE_SIZE }), [page]);
  const invoices = data?.results || [];
  const pages = data ? Math.max(1, Math.ceil((data.count || 0) / PAGE_SIZE)) : 1;

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">Invoices</h1>
        <Link to={paths.invoiceNew} className="btn btn-primary">
          New invoice
        </Link>
      </div>
      {loading && !data && <Loading label="Loading invoices…" />}
      {error && <LoadError title="Could not load invoices" error={error} onRetry={reload} />}
      {data && invoices.length === 0 && (
        <div className="card empty">
          <h2 className="section-title">No invoices yet</h2>
          <p className="muted">Create your first invoice, send it, and share its payment link with your client.</p>
          <Link to={paths.invoiceNew} className="btn btn-primary">
            Create an invoice
          </Link>
        </div>
      )}
      {invoices.length > 0 && (
        <div className="card card-flush">
          <div className="table-wrap">
            <table className="table invoice-table">
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Client</th>
                  <th scope="col">Status</th>
                  <th scope="col">Due date</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col" className="num">
                    Amount due
                  </th>
                </tr>
              </thead>
              <tbody>
                {invoices.map((invoice) => (
                  <tr key={invoice.id}>
                    <td data-label="Number">
                      <Link to={invoiceDetailPath(invoice.id)}>{invoice.number || 'Draft'}</Link>
                    </td>
                    <td data-label="Client">{invoice.client_name}</td>
                    <td data-label="Status">
                      <StatusBadge status={invoice.status} label={invoice.status_display} />
                    </td>
                    <td data-label="Due date">{formatDate(invoice.due_date)}</td>
                    <td data-label="Total" className="num">
                      {formatMoney(invoice.total, invoice.currency, invoice.currency_exponent)}
                    </td>
                    <td data-label="Amount due" className="num">
                      {formatMoney(invoice.amount_due, invoice.currency, invoice.currency_exponent)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {data && (data.next || data.previous) && (
        <nav className="pagination" aria-label="Pages">
          {data.previous ? (
            <Link className="btn" to={invoiceListPath(page - 1)} rel="prev">
              Previous
            </Link>
          ) : (
            <span />
          )}
          <span className="muted">
            Page {page} of {pages}
          </span>
          {data.next ? (
            <Link className="btn" to={invoiceListPath(page + 1)} rel="next">
              Next
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </>
  );
}
