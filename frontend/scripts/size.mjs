#!/usr/bin/env node
// npm run size: fails when the public payment page's JavaScript is over 100 KB gzipped.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { measurePublicBundle } from './publicBundle.mjs';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
let result;
try {
  result = measurePublicBundle(dist);
} catch (error) {
  console.error(`Cannot measure the public bundle (run "npm run build" first): ${error.message}`);
  process.exit(2);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const f of result.files) console.log(`  ${f.file.padEnd(44)} ${kb(f.bytes).padStart(9)}  gzip ${kb(f.gzip).padStart(8)}`);
console.log(`Public payment page JS: ${kb(result.total)} gzipped (limit ${kb(result.limit)})`);
if (!result.ok) {
  console.error('Too big: keep the owner app behind React.lazy and out of the public pages.');
  process.exit(1);
}
