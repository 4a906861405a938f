// Starts one real PostgreSQL for the whole test run: the server in DATABASE_URL if set, otherwise an
// embedded one in a fresh temporary directory. Test files create their own databases on it.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.TEST_PG_SERVER_URL = process.env.DATABASE_URL;
    return;
  }
  require('ts-node').register({ transpileOnly: true });
  const { startEmbeddedPostgres } = require('../../src/storage/embedded-postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-test-'));
  fs.chmodSync(dir, 0o755);
  let server;
  try {
    server = await startEmbeddedPostgres(dir);
  } catch (err) {
    throw new Error(`Tests need PostgreSQL: the embedded server failed to start (${err && err.message}). ` +
      'Set DATABASE_URL to a server you control, or fix the embedded-postgres install.');
  }
  process.env.TEST_PG_SERVER_URL = server.url;
  globalThis.__PHANANH_PG__ = { server, dir };
};
