#!/usr/bin/env node
// `npm run build`, second half: copies what the compiled app reads at run time next to it in dist/
// (content, locales, static pages, SQL migrations). dev/ and test/ are never copied.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const copies = [
  ['content', 'content'],
  ['locales', 'locales'],
  ['src/server/public', 'src/server/public'],
  ['src/storage/migrations', 'src/storage/migrations'],
  ['src/console/views', 'src/console/views'],
  ['src/console/public', 'src/console/public'],
];
for (const [from, to] of copies) {
  const src = path.join(root, from);
  if (!fs.existsSync(src)) continue;
  fs.rmSync(path.join(dist, to), { recursive: true, force: true });
  fs.cpSync(src, path.join(dist, to), { recursive: true, filter: (p) => !p.endsWith('.ts') });
}
if (fs.existsSync(path.join(dist, 'dev')) || fs.existsSync(path.join(dist, 'test'))) {
  throw new Error('dist/ must not contain dev/ or test/: something in src/ imports them');
}
process.stdout.write('dist/ assets copied\n');
