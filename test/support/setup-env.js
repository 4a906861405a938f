// Runs before every test file: tests may talk to loopback only. Any other destination fails loudly.
'use strict';
const net = require('node:net');
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;
const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = args[0];
  const opts = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (!opts.path) {
    const host = opts.host || 'localhost';
    if (!LOOPBACK.test(host)) throw new Error(`Test tried to reach ${host}:${opts.port}; tests may only use loopback`);
  }
  return original.apply(this, args);
};
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
