'use strict';
const fs = require('node:fs');
module.exports = async function globalTeardown() {
  const h = globalThis.__PHANANH_PG__;
  if (!h) return;
  await h.server.stop();
  fs.rmSync(h.dir, { recursive: true, force: true });
};
