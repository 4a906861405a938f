/**
 * No internet in benchmarks: every TCP connection must go to loopback, or to the host of
 * DATABASE_URL when one is configured. Same idea as test/support/setup-env.js, which cannot allow a
 * remote database because tests never connect to one from the test files' side.
 */
import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;
let installed = false;

export function installLoopbackGuard(): void {
  if (installed) return;
  installed = true;
  const allowed = new Set<string>();
  if (process.env.DATABASE_URL) {
    try {
      allowed.add(new URL(process.env.DATABASE_URL).hostname);
    } catch {
      // An unparsable DATABASE_URL fails later with a clearer message from pg.
    }
  }
  const original = net.Socket.prototype.connect;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- connect has many overloads; we only inspect the first argument
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: any[]) {
    const first: unknown = args[0];
    const opts = (typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined }) as {
      path?: string;
      host?: string;
      port?: unknown;
    };
    if (!opts.path) {
      const host = opts.host || 'localhost';
      if (!LOOPBACK.test(host) && !allowed.has(host)) {
        throw new Error(`benchmark tried to reach ${host}:${String(opts.port)}; benchmarks may only use loopback`);
      }
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
}
