#!/usr/bin/env node
// Proves the production build starts with plain `node` (no ts-node) and answers /readyz: runs
// `node dist/src/main.js` on a free port with an embedded PostgreSQL in a temporary DATA_DIR, no
// credentials and SIMULATOR=off, waits for /readyz, checks that the public page, Open311, the
// console's sign-in page and their static files answer, then stops it with SIGTERM.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-prod-'));
fs.chmodSync(dataDir, 0o755);
const env = { ...process.env, PORT: '0', DATA_DIR: dataDir, SIMULATOR: 'off', LOG_LEVEL: 'info' };
for (const k of Object.keys(env)) if (/^(MESSENGER_|ZALO_|DATABASE_URL)/.test(k)) delete env[k];
const child = spawn(process.execPath, [path.join(root, 'dist', 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });

const fail = (why) => {
  process.stderr.write(`prod-smoke: ${why}\n`);
  child.kill('SIGKILL');
  process.exit(1);
};
const timer = setTimeout(() => fail('no /readyz within 90 s'), 90_000);
let buffer = '';
let ready = false;
child.stdout.on('data', async (chunk) => {
  buffer += chunk.toString('utf8');
  const m = buffer.match(/"port":(\d+)[^\n]*phananh-bot listening/);
  if (!m) return;
  buffer = '';
  try {
    const res = await fetch(`http://127.0.0.1:${m[1]}/readyz`);
    const body = await res.json();
    if (res.status !== 200 || body.status !== 'ready') fail(`/readyz answered ${res.status} ${JSON.stringify(body)}`);
    process.stdout.write(`prod-smoke: dist/src/main.js on ${process.version} answered /readyz ${JSON.stringify(body)}\n`);
    // Pages and files that only exist when the build copied templates, locales and static files.
    for (const [p, type] of [['/', 'text/html'], ['/open311/v2/services.json', 'application/json'], ['/open311/v2/discovery.xml', 'xml'], ['/console/login', 'text/html'], ['/console/static/console.css', 'text/css']]) {
      const r = await fetch(`http://127.0.0.1:${m[1]}${p}`);
      if (r.status !== 200 || !(r.headers.get('content-type') || '').includes(type)) fail(`${p} answered ${r.status} ${r.headers.get('content-type')}`);
      await r.arrayBuffer();
    }
    process.stdout.write('prod-smoke: the public page, Open311 and the console sign-in page answer\n');
    ready = true;
    clearTimeout(timer);
    child.kill('SIGTERM');
  } catch (err) {
    fail(String(err));
  }
});
child.on('exit', (code, signal) => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (!ready) fail(`the app exited early (code ${code}, signal ${signal})`);
  process.exit(0);
});
