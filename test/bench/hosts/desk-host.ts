/**
 * Child process: the real app wired as `src/main.ts` does (createApplication), on the bench's
 * PostgreSQL database with a million generated reports, for the report desk benchmark. No channel
 * credentials and no simulator (the report desk does not need the platforms); the first admin from
 * ADMIN_EMAIL/ADMIN_PASSWORD; limits that a benchmark would otherwise trip raised.
 *
 * Calls: `usage` (peak RSS, CPU time).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { createApplication } from '../../../src/main';
import { createDb } from '../../../src/storage/db';
import { prepareHost, serveHost } from '../lib/host-side';

prepareHost();

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; start this host through test/bench/lib/host.ts`);
  return v;
}

async function main(): Promise<void> {
  const db = createDb(required('BENCH_DATABASE_URL'));
  const config = parseConfig({
    DATA_DIR: required('BENCH_DATA_DIR'),
    PUBLIC_URL: 'http://bot.test',
    SIMULATOR: 'off',
    ADMIN_EMAIL: required('BENCH_ADMIN_EMAIL'),
    ADMIN_PASSWORD: required('BENCH_ADMIN_PASSWORD'),
    SESSION_SECRET: 'bench-session-secret-that-is-long-enough-0000',
    LOGIN_IP_LIMIT: '100000',
    STAFF_API_RATE_PER_MINUTE: '1000000',
  });
  const logger = createLogger('warn', process.stderr);
  const rt = createApplication({ config, db, logger });
  await rt.start();
  const server = http.createServer(rt.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  serveHost(
    { port },
    {
      async usage() {
        const u = process.resourceUsage();
        return { maxRssBytes: u.maxRSS * 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 };
      },
    },
    async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rt.stop();
      await db.close();
    },
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`desk host failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
