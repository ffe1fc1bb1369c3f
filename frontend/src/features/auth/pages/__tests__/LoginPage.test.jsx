import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import OwnerApp from '../../../../app/OwnerApp.jsx';
import { mockApi } from '../../../../test/helpers.jsx';

const unauthenticated = { status: 401, body: { code: 'not_authenticated', message: 'Authentication credentials were not provided.', details: {} } };
const noInvoices = { count: 0, next: null, previous: null, results: [] };

function renderApp(entry) {
  return render(
    <MemoryRouter initialEntries={[entry]}>
      <OwnerApp />
    </MemoryRouter>,
  );
}

async function signInPage() {
  return screen.findByRole('heading', { name: 'Sign in' });
}

describe('the sign-in page says why the visitor is there', () => {
  it('after signing out: "You have signed out."', async () => {
    let signedIn = true;
    mockApi({
      'GET /api/auth/me/': () => (signedIn ? { id: 1, username: 'ada', email: '' } : unauthenticated),
      'GET /api/invoices/': noInvoices,
      'POST /api/auth/logout/': () => {
        signedIn = false;
        return { status: 204 };
      },
    });
    const user = userEvent.setup();
    renderApp('/invoices');
    await screen.findByRole('heading', { name: 'Invoices' });
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await signInPage();
    expect(screen.getByRole('status')).toHaveTextContent('You have signed out.');
    expect(screen.queryByText(/Please sign in/)).not.toBeInTheDocument();
  });

  it('when a protected page sent them: "Please sign in to continue."', async () => {
    mockApi({ 'GET /api/auth/me/': unauthenticated });
    renderApp('/settings/payments');
    await signInPage();
    expect(screen.getByRole('status')).toHaveTextContent('Please sign in to continue.');
    expect(screen.queryByText(/signed out/)).not.toBeInTheDocument();
  });

  it('when the session ended while using the app: asks to sign in again', async () => {
    mockApi({ 'GET /api/auth/me/': { id: 1, username: 'ada', email: '' }, 'GET /api/invoices/': unauthenticated });
    renderApp('/invoices');
    await signInPage();
    expect(screen.getByRole('status')).toHaveTextContent('Your session has ended. Please sign in again to continue.');
  });

  it('a reloaded redirect (only ?next= left) still asks to sign in to continue', async () => {
    mockApi({ 'GET /api/auth/me/': unauthenticated });
    renderApp('/login?next=%2Finvoices%2Fnew');
    await signInPage();
    expect(screen.getByRole('status')).toHaveTextContent('Please sign in to continue.');
  });

  it('opened directly: no message at all', async () => {
    mockApi({ 'GET /api/auth/me/': unauthenticated });
    renderApp('/login');
    await signInPage();
    await screen.findByLabelText('Username');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('a failed sign-in replaces the message with the error', async () => {
    mockApi({
      'GET /api/auth/me/': unauthenticated,
      'POST /api/auth/login/': { status: 400, body: { code: 'invalid_credentials', message: 'Wrong username or password.', details: {} } },
    });
    const user = userEvent.setup();
    renderApp({ pathname: '/login', state: { reason: 'signed_out' } });
    await signInPage();
    expect(screen.getByRole('status')).toHaveTextContent('You have signed out.');
    await user.type(screen.getByLabelText('Username'), 'ada');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    expect(screen.queryByText('You have signed out.')).not.toBeInTheDocument();
  });
});
