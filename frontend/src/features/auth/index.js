/** What the rest of the app may use of the auth feature: the session context, its guard, sign-out. */
export { AuthProvider, RequireAuth, SignInReason, useAuth } from './components/auth.jsx';
export { logout } from './api/authService.js';
