import { api } from '../../../lib/apiClient.js';

export const getCurrentUser = () => api.get('/api/auth/me/');
export const login = ({ username, password }) => api.post('/api/auth/login/', { username, password });
export const register = ({ username, password, email }) =>
  api.post('/api/auth/register/', email ? { username, password, email } : { username, password });
export const logout = () => api.post('/api/auth/logout/');
