/** The signed-in part of the app, loaded on demand so the public payment pages stay small. */
import { Navigate, Route, Routes } from 'react-router';
import Layout from './components/Layout.jsx';
import { AuthProvider, RequireAuth } from './components/auth.jsx';
import LoginPage from './pages/LoginPage.jsx';
import RegisterPage from './pages/RegisterPage.jsx';
import InvoiceListPage from './pages/InvoiceListPage.jsx';
import InvoiceFormPage from './pages/InvoiceFormPage.jsx';
import InvoiceDetailPage from './pages/InvoiceDetailPage.jsx';
import PaymentSettingsPage from './pages/PaymentSettingsPage.jsx';
import NotFoundPage from './pages/NotFoundPage.jsx';
import { paths } from './routes.js';

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
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </AuthProvider>
  );
}
