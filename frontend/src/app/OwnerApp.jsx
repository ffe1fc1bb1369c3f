/** The signed-in part of the app, loaded on demand so the public payment pages stay small. */
import { Navigate, Route, Routes } from 'react-router';
import Layout from './Layout.jsx';
import { AuthProvider, RequireAuth } from '../features/auth/index.js';
import LoginPage from '../features/auth/pages/LoginPage.jsx';
import RegisterPage from '../features/auth/pages/RegisterPage.jsx';
import InvoiceListPage from '../features/invoices/pages/InvoiceListPage.jsx';
import InvoiceFormPage from '../features/invoices/pages/InvoiceFormPage.jsx';
import InvoiceDetailPage from '../features/invoices/pages/InvoiceDetailPage.jsx';
import PaymentSettingsPage from '../features/gateways/pages/PaymentSettingsPage.jsx';
import BusinessProfilePage from '../features/settings/pages/BusinessProfilePage.jsx';
import ReportsPage from '../features/reports/pages/ReportsPage.jsx';
import RecurringPage from '../features/recurring/pages/RecurringPage.jsx';
import NotFoundPage from './NotFoundPage.jsx';
import { paths } from '../routes.js';

export default function OwnerApp({ initialUser }) {
  return (
    <AuthProvider initialUser={initialUser}>
      <Routes>
        <Route path={paths.login} element={<LoginPage />} />
        <Route path={paths.register} element={<RegisterPage />} />
        <Route
          element={
            <RequireAuth>
              <Layout />
            </RequireAuth>
          }
        >
          <Route index element={<Navigate to={paths.invoices} replace />} />
          <Route path={paths.invoices} element={<InvoiceListPage />} />
          <Route path={paths.invoiceNew} element={<InvoiceFormPage />} />
          <Route path={paths.invoiceDetail} element={<InvoiceDetailPage />} />
          <Route path={paths.invoiceEdit} element={<InvoiceFormPage key="edit" />} />
          <Route path={paths.paymentSettings} element={<PaymentSettingsPage />} />
          <Route path={paths.businessProfile} element={<BusinessProfilePage />} />
          <Route path={paths.reports} element={<ReportsPage />} />
          <Route path={paths.recurring} element={<RecurringPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </AuthProvider>
  );
}
