// ESLint for the web app: JavaScript's recommended rules, the rules of React hooks, JSX use, and
// the import boundaries between the parts of src/ (see the zones below).
import js from '@eslint/js';
import importPlugin from 'eslint-plugin-import';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const FEATURES = ['auth', 'invoices', 'payments', 'gateways', 'reports', 'notifications', 'recurring'];

// A feature reaches another only through that feature's public entry (its index.js).
const featureZones = FEATURES.map((name) => ({
  target: `./src/features/${name}`,
  from: './src/features',
  except: [`./${name}`, ...FEATURES.filter((other) => other !== name).map((other) => `./${other}/index.js`)],
  message: 'Import another feature only through its index.js.',
}));

export default [
  { ignores: ['dist/**', 'node_modules/**', 'e2e/**'] },
  js.configs.recommended,
  {
    files: ['**/*.{js,jsx,mjs}'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      parserOptions: { ecmaFeatures: { jsx: true } },
      globals: { ...globals.browser },
    },
    plugins: { react, 'react-hooks': reactHooks, import: importPlugin },
    settings: { react: { version: 'detect' } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'react/jsx-uses-vars': 'error',
      'react/jsx-key': 'error',
      'react/jsx-no-undef': 'error',
      'react/jsx-no-target-blank': 'error',
      'react/no-unknown-property': 'error',
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Where each part of src/ may import from; tests may reach into what they test.
    files: ['src/**/*.{js,jsx}'],
    ignores: ['src/**/__tests__/**', 'src/test/**'],
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            ...featureZones,
            {
              target: ['./src/components', './src/lib'],
              from: ['./src/features', './src/app'],
              message: 'Generic UI and lib know no feature and no app shell.',
            },
            { target: './src/lib', from: './src/components', message: 'lib holds no UI.' },
            {
              target: ['./src/features', './src/components', './src/lib'],
              from: './src/features/*/pages/**',
              message: 'Only the route tables in src/app import pages.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'vite.config.js', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/__tests__/**', 'src/test/**'],
    languageOptions: { globals: { ...globals.node } },
  },
];
