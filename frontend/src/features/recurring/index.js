/** The recurring feature's public entry: what other features may use. */
export { default as AutopayChoice } from './components/AutopayChoice.jsx';
