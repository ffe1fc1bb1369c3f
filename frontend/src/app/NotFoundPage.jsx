import { Link } from 'react-router';
import useTitle from '../lib/useTitle.js';
import { paths } from '../routes.js';

export default function NotFoundPage() {
  useTitle('Not found');
  return (
    <div className="card">
      <h1 className="page-title">Page not found</h1>
      <p>There is nothing at this address.</p>
      <Link to={paths.invoices}>Go to your invoices</Link>
    </div>
  );
}
