/** Leaves the app for another site (the gateway's hosted checkout). A module of its own so tests can replace it. */
export function redirectTo(url) {
  window.location.assign(url);
}
