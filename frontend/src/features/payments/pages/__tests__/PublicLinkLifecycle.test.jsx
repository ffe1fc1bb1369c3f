import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import InvoicePaymentPage from '../InvoicePaymentPage.jsx';
import PaymentReturnPage from '../PaymentReturnPage.jsx';
import IssuerHeader from '../../components/IssuerHeader.jsx';
import { mockApi, renderRoute } from '../../../../test/helpers.jsx';

const ID = '7c1a0b5e-1111-4d5e-9f00-000000000009';
const PUBLIC_URL = `/api/payment/public/invoice/${ID}/`;
const gone = (code) => ({ status: 410, body: { code, message: 'This payment link no longer works.', details: {} } });

describe('a payment link that no longer works', () => {
  it('says a revoked link was turned off, with no retry', async () => {
    mockApi({ [`GET ${PUBLIC_URL}`]: gone('link_revoked') });
    renderRoute(<InvoicePaymentPage />, { path: '/pay/:invoiceId', url: `/pay/${ID}` });

    expect(await screen.findByText('This payment link no longer works')).toBeInTheDocument();
    expect(screen.getByTestId('link-gone')).toHaveTextContent(/turned this link off or replaced it/);
    expect(screen.queryByRole('button', { name: /try again/i })).not.toBeInTheDocument();
  });

  it('says an expired link has expired', async () => {
    mockApi({ [`GET ${PUBLIC_URL}`]: gone('link_expired') });
    renderRoute(<InvoicePaymentPage />, { path: '/pay/:invoiceId', url: `/pay/${ID}` });

    expect(await screen.findByText('This payment link has expired')).toBeInTheDocument();
  });

  it('stops following a payment whose link was revoked', async () => {
    mockApi({ 'GET /api/payment/status/p-1/': gone('link_revoked') });
    renderRoute(<PaymentReturnPage pollInterval={1} />, { path: '/pay/:invoiceId/return', url: `/pay/${ID}/return?payment=p-1` });

    expect(await screen.findByText('This payment link no longer works')).toBeInTheDocument();
  });
});

describe('IssuerHeader', () => {
  it('shows the business profile: logo, name, contact email, address and tax id', () => {
    const issuer = { logo_url: 'http://x/media/logos/a.png', contact_email: 'hi@studio.example', address: '1 Main St', tax_id: 'DE1' };
    render(<IssuerHeader invoice={{ number: 'INV-1', issuer_name: 'Studio Nord', issuer }} />);

    expect(screen.getByRole('heading', { name: 'Studio Nord' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Studio Nord logo' })).toHaveAttribute('src', issuer.logo_url);
    expect(screen.getByRole('link', { name: 'hi@studio.example' })).toHaveAttribute('href', 'mailto:hi@studio.example');
    expect(screen.getByText('Tax ID: DE1')).toBeInTheDocument();
  });

  it('shows the invoice number, not a login name, when no business name is set', () => {
    render(<IssuerHeader invoice={{ number: 'INV-1', issuer_name: '', issuer: {} }} />);

    expect(screen.getByRole('heading', { name: 'Invoice INV-1' })).toBeInTheDocument();
    expect(screen.queryByText(/invoice from/i)).not.toBeInTheDocument();
  });
});
