import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LIMIT_BYTES, measurePublicBundle, publicChunkFiles } from '../publicBundle.mjs';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const built = existsSync(join(dist, '.vite', 'manifest.json'));

describe('publicChunkFiles', () => {
  it('follows static imports but not the lazily loaded owner app', () => {
    const manifest = {
      'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_vendor.js'], dynamicImports: ['src/app/OwnerApp.jsx', 'src/features/payments/pages/InvoicePaymentPage.jsx', 'src/features/payments/pages/PaymentReturnPage.jsx'] },
      '_vendor.js': { file: 'assets/vendor.js' },
      '_shared.js': { file: 'assets/shared.js', imports: ['_vendor.js'] },
      'src/app/OwnerApp.jsx': { file: 'assets/owner.js', isDynamicEntry: true, imports: ['_shared.js'] },
      'src/features/payments/pages/InvoicePaymentPage.jsx': { file: 'assets/pay.js', isDynamicEntry: true, imports: ['_shared.js'] },
      'src/features/payments/pages/PaymentReturnPage.jsx': { file: 'assets/return.js', isDynamicEntry: true, imports: ['_shared.js'] },
    };
    expect(publicChunkFiles(manifest)).toEqual(['assets/index.js', 'assets/pay.js', 'assets/return.js', 'assets/shared.js', 'assets/vendor.js']);
  });
});

// Runs against the production build (npm run build); skipped when there is none yet.
describe.skipIf(!built)('production build', () => {
  it(`keeps the public payment page under ${LIMIT_BYTES / 1024} KB of gzipped JS`, () => {
    const result = measurePublicBundle(dist);
    expect(result.files.some((f) => f.file.includes('OwnerApp'))).toBe(false);
    expect(result.total).toBeLessThanOrEqual(LIMIT_BYTES);
  });
});
