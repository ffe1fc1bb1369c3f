import { describe, expect, it } from 'vitest';
import * as auth from '../authService.js';
import { callsTo, mockApi } from '../../../../test/helpers.jsx';

describe('authService', () => {
  it('signs in, reads the current user and signs out', async () => {
    const fetchMock = mockApi({
      'POST /api/auth/login/': { id: 1, username: 'ada' },
      'GET /api/auth/me/': { id: 1, username: 'ada', email: '' },
      'POST /api/auth/logout/': { status: 204 },
      'POST /api/auth/register/': { status: 201, body: { id: 2, username: 'bob' } },
    });
    await auth.login({ username: 'ada', password: 'pw' });
    expect((await auth.getCurrentUser()).username).toBe('ada');
    await auth.logout();
    await auth.register({ username: 'bob', password: 'pw', email: '' });
    expect(callsTo(fetchMock, 'POST', '/api/auth/login/')[0].body).toEqual({ username: 'ada', password: 'pw' });
    expect(callsTo(fetchMock, 'POST', '/api/auth/register/')[0].body).toEqual({ username: 'bob', password: 'pw' });
  });
});
