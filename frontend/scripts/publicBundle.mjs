/**
 * Measures the JavaScript a client downloads to open a payment link: the entry chunk, everything it
 * imports statically, and the public pages' chunks with their static imports. Reads Vite's
 * build manifest (dist/.vite/manifest.json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const LIMIT_BYTES = 100 * 1024;
export const PUBLIC_PAGES = ['src/features/payments/pages/InvoicePaymentPage.jsx', 'src/features/payments/pages/PaymentReturnPage.jsx'];

export function publicChunkFiles(manifest) {
  const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
  if (entries.length !== 1) throw new Error(`Expected one entry in the manifest, found ${entries.length}.`);
  const files = new Set();
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`Chunk ${key} is missing from the manifest.`);
    if (chunk.file.endsWith('.js')) files.add(chunk.file);
    for (const imported of chunk.imports || []) visit(imported);
  };
  visit(entries[0][0]);
  for (const page of PUBLIC_PAGES) {
    if (!manifest[page]) throw new Error(`${page} is not in the manifest: is it still its own chunk?`);
    visit(page);
  }
  return [...files].sort();
}

export function measurePublicBundle(distDir) {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8'));
  const files = publicChunkFiles(manifest).map((file) => {
    const content = readFileSync(join(distDir, file));
    return { file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
  });
  const total = files.reduce((sum, f) => sum + f.gzip, 0);
  return { files, total, limit: LIMIT_BYTES, ok: total <= LIMIT_BYTES };
}
