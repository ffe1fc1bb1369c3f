import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const backend = process.env.TRACKIFY_BACKEND || 'http://127.0.0.1:8000';
const proxy = Object.fromEntries(['/api', '/sandbox', '/admin', '/static'].map((p) => [p, { target: backend, changeOrigin: false }]));

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    manifest: true,
    sourcemap: false,
  },
  server: { port: 5173, proxy },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.js'],
    include: ['src/**/__tests__/**/*.test.{js,jsx}', 'scripts/__tests__/**/*.test.js'],
    restoreMocks: true,
    clearMocks: true,
  },
});
