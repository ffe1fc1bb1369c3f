import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import Loading from '../components/ui/Loading.jsx';
import { paths } from '../routes.js';

// The public pages are split from the owner's app: a client opening a payment link on a phone
// downloads only what that page needs.
const InvoicePaymentPage = lazy(() => import('../features/payments/pages/InvoicePaymentPage.jsx'));
const PaymentReturnPage = lazy(() => import('../features/payments/pages/PaymentReturnPage.jsx'));
const OwnerApp = lazy(() => import('./OwnerApp.jsx'));

export default function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path={paths.pay} element={<InvoicePaymentPage />} />
        <Route path={paths.payReturn} element={<PaymentReturnPage />} />
        <Route path="*" element={<OwnerApp />} />
      </Routes>
    </Suspense>
  );
}
