import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import OwnerApp from '../../../../app/OwnerApp.jsx';
import { callsTo, mockApi, sequence } from '../../../../test/helpers.jsx';

function renderApp(url) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <OwnerApp />
    </MemoryRouter>,
  );
}

const unauthenticated = { status: 401, body: { code: 'not_authenticated', message: 'Authentication credentials were not provided.', details: {} } };

describe('sign in and the route guard', () => {
  it('sends a signed-out visitor to the sign-in page, then back where they were going', async () => {
    document.cookie = 'csrftoken=tok';
    const fetchMock = mockApi({
      'GET /api/auth/me/': sequence(unauthenticated, unauthenticated, { id: 1, username: 'ada', email: '' }),
      'POST /api/auth/login/': { id: 1, username: 'ada' },
      'GET /api/payment/gateways/': [],
      'GET /api/payment/gateway-types/': [],
    });
    const user = userEvent.setup();
    renderApp('/settings/payments');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Username'), 'ada');
    await user.type(screen.getByLabelText('Password'), 'pass-1234-word');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Payment settings' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    const login = callsTo(fetchMock, 'POST', '/api/auth/login/')[0];
    expect(login.body).toEqual({ username: 'ada', password: 'pass-1234-word' });
    expect(login.headers['X-CSRFToken']).toBe('tok');
  });

  it('shows the message for bad credentials', async () => {
    mockApi({
      'GET /api/auth/me/': unauthenticated,
      'POST /api/auth/login/': { status: 400, body: { code: 'invalid_credentials', message: 'Wrong username or password.', details: {} } },
    });
    const user = userEvent.setup();
    renderApp('/login');
    await user.type(screen.getByLabelText('Username'), 'ada');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
  });

  it('registers a new account and shows field errors', async () => {
    const fetchMock = mockApi({
      'POST /api/auth/register/': sequence(
        { status: 400, body: { code: 'invalid', message: 'Invalid input.', details: { username: ['A user with that username already exists.'] } } },
        { status: 201, body: { id: 2, username: 'bob2' } },
      ),
      'GET /api/auth/me/': sequence(unauthenticated, { id: 2, username: 'bob2', email: 'bob@example.test' }),
      'GET /api/payment/gateways/': [],
      'GET /api/payment/gateway-types/': [],
    });
    const user = userEvent.setup();
    renderApp('/register');
    await user.type(screen.getByLabelText('Username'), 'bob');
    await user.type(screen.getByLabelText('Email (optional)'), 'bob@example.test');
    await user.type(screen.getByLabelText('Password'), 'pass-1234-word');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('A user with that username already exists.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Username'), '2');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('heading', { name: 'Payment settings' })).toBeInTheDocument();
    expect(callsTo(fetchMock, 'POST', '/api/auth/register/')[1].body).toEqual({ username: 'bob2', password: 'pass-1234-word', email: 'bob@example.test' });
  });

  it('signs out from the navigation', async () => {
    // As on the server: once the session is gone, "me" answers 401 (the sign-in page asks it).
    let signedIn = true;
    const fetchMock = mockApi({
      'GET /api/auth/me/': () => (signedIn ? { id: 1, username: 'ada', email: '' } : unauthenticated),
      'GET /api/invoices/': { count: 0, next: null, previous: null, results: [] },
      'POST /api/auth/logout/': () => {
        signedIn = false;
        return { status: 204 };
      },
    });
    const user = userEvent.setup();
    renderApp('/');
    expect(await screen.findByRole('heading', { name: 'Invoices' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    await waitFor(() => expect(callsTo(fetchMock, 'POST', '/api/auth/logout/')).toHaveLength(1));
  });
});

describe('the sign-in page', () => {
  it('moves on when the visitor is already signed in', async () => {
    mockApi({
      'GET /api/auth/me/': { id: 1, username: 'ada', email: '' },
      'GET /api/invoices/': { count: 0, next: null, previous: null, results: [] },
    });
    renderApp('/login?next=%2Finvoices');
    expect(await screen.findByRole('heading', { name: 'Invoices' })).toBeInTheDocument();
  });
});

describe('an expired session', () => {
  it('sends the user to sign in when any API call answers 401', async () => {
    mockApi({
      'GET /api/auth/me/': { id: 1, username: 'ada', email: '' },
      'GET /api/invoices/': unauthenticated,
    });
    renderApp('/invoices');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });
});
