/**
 * Child process: the real app, wired as `src/main.ts` does (createApplication, default pool size,
 * default inbox poll), on a real PostgreSQL database, talking to the runner's fakes (Graph API,
 * Zalo OpenAPI, Nominatim).
 *
 * Calls: `drain` waits until every accepted event has been handled and returns the inbox counts;
 * `usage` returns peak RSS and CPU time; `memory` the current RSS and heap (after a full collection
 * when the host runs with --expose-gc); `pauseWorker`/`resumeWorker` (diagnostics only) stop the
 * inbox worker from picking up new events, so the ack path can be measured alone; events accepted
 * meanwhile are marked `skipped` on resume, never handled. `discardBacklog` marks every event still
 * pending `skipped` and waits for the turns already in progress (for backlogs that would take long
 * to drain, e.g. behind the Zalo client's rate limit).
 *
 * Zalo rate limit: the Zalo client's token bucket (src/clients/zalo-oa/zalo-rate-limiter.ts, 4,000
 * requests/minute, bursts of 400) is timed here: `zaloLimiter` returns how long each OpenAPI call
 * waited in `take()` since the last reset. With BENCH_ZALO_LIMITER=off (diagnostic only) `take()`
 * returns at once, to show what the rest of the app does without the limit.
 *
 * `counters` returns the number of SQL statements the app process sent (every pool: the app's, the
 * inbox lock pool, pg-boss) since the last reset, by counting calls to pg's `Client.prototype.query`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { TokenBucket } from '../../../src/clients/zalo-oa/zalo-rate-limiter';
import { parseConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { createNlu } from '../../../src/nlu';
import { loadTrainingData } from '../../../src/storage/content-loader';
import { createApplication } from '../../../src/main';
import { createDb } from '../../../src/storage/db';
import { prepareHost, serveHost } from '../lib/host-side';
import { BENCH_MESSENGER, BENCH_ZALO } from '../lib/messenger';

prepareHost();

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; start this host through test/bench/lib/host.ts`);
  return v;
}

/** Milliseconds each Zalo OpenAPI call waited for the client's token bucket (since the last reset). */
let limiterWaits: number[] = [];
const limiterOff = process.env.BENCH_ZALO_LIMITER === 'off';
const originalTake = TokenBucket.prototype.take;
TokenBucket.prototype.take = function timedTake(this: TokenBucket): Promise<void> {
  const t0 = performance.now();
  const done = limiterOff ? Promise.resolve() : originalTake.call(this);
  return done.then(() => {
    limiterWaits.push(performance.now() - t0);
  });
};

/** SQL statements sent by this process since the last reset (diagnostic counter, no timing). */
let pgQueries = 0;
const originalQuery = PgClient.prototype.query;
PgClient.prototype.query = function countedQuery(this: PgClient, ...args: unknown[]) {
  pgQueries++;
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof originalQuery;

async function main(): Promise<void> {
  const db = createDb(required('BENCH_DATABASE_URL'));
  const config = parseConfig({
    MESSENGER_ACCESS_TOKEN: BENCH_MESSENGER.accessToken,
    MESSENGER_APP_SECRET: BENCH_MESSENGER.appSecret,
    MESSENGER_PAGE_ID: BENCH_MESSENGER.pageId,
    MESSENGER_APP_ID: BENCH_MESSENGER.appId,
    MESSENGER_VERIFY_TOKEN: BENCH_MESSENGER.verifyToken,
    MESSENGER_API_URL: required('BENCH_GRAPH_URL'),
    ZALO_APP_ID: BENCH_ZALO.appId,
    ZALO_APP_SECRET: BENCH_ZALO.appSecret,
    ZALO_OA_ID: BENCH_ZALO.oaId,
    ZALO_OA_SECRET_KEY: BENCH_ZALO.oaSecretKey,
    ZALO_REFRESH_TOKEN: BENCH_ZALO.refreshToken,
    ZALO_API_URL: required('BENCH_ZALO_URL'),
    ZALO_OAUTH_URL: required('BENCH_ZALO_URL'),
    GEOCODER_URL: required('BENCH_GEOCODER_URL'),
    DATA_DIR: required('BENCH_DATA_DIR'),
    PUBLIC_URL: 'http://bot.test',
    SIMULATOR: 'off',
    // The soak suite sends photos the fake Graph API hosts on loopback.
    ...(process.env.BENCH_MEDIA_FETCH_ALLOW ? { MEDIA_FETCH_ALLOW: process.env.BENCH_MEDIA_FETCH_ALLOW } : {}),
  });
  // warn and above only, to stderr (the runner prefixes and shows it): errors must not go unseen.
  const logger = createLogger('warn', process.stderr);
  // As in src/main.ts: with the trained model, so typed text goes through understanding (NLU) first.
  const rt = createApplication({ config, db, logger, nlu: createNlu(loadTrainingData()) });
  await rt.start();
  const server = http.createServer(rt.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  serveHost(
    { port },
    {
      async drain() {
        const t0 = Date.now();
        await rt.inbox.idle();
        const r = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM inbound_events GROUP BY status');
        return { ms: Date.now() - t0, counts: Object.fromEntries(r.rows.map((x) => [x.status, x.n])) as Record<string, number> };
      },
      async pauseWorker() {
        // Diagnostic: accept() still stores events, but nothing schedules their handling.
        rt.inbox.schedule = () => undefined;
        return null;
      },
      async resumeWorker() {
        delete (rt.inbox as { schedule?: unknown }).schedule; // back to InboxWorker.prototype.schedule
        const r = await db.query(
          "UPDATE inbound_events SET status = 'skipped', handled_at = now(), last_error = 'benchmark: accepted while the worker was paused' WHERE status = 'pending'",
        );
        return { skipped: r.rowCount ?? 0 };
      },
      async discardBacklog() {
        const t0 = Date.now();
        const r = await db.query(
          "UPDATE inbound_events SET status = 'skipped', handled_at = now(), last_error = 'benchmark: backlog discarded after the ack run' WHERE status = 'pending'",
        );
        await rt.inbox.idle();
        const c = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM inbound_events GROUP BY status');
        return { ms: Date.now() - t0, skipped: r.rowCount ?? 0, counts: Object.fromEntries(c.rows.map((x) => [x.status, x.n])) as Record<string, number> };
      },
      async zaloLimiter(arg) {
        const waits = limiterWaits;
        if ((arg as { reset?: boolean } | undefined)?.reset) limiterWaits = [];
        return { off: limiterOff, waits };
      },
      async counters(arg) {
        const out = { pgQueries };
        if ((arg as { reset?: boolean } | undefined)?.reset) pgQueries = 0;
        return out;
      },
      async memory() {
        // With --expose-gc (the soak suite), the heap is measured after a full collection, so what
        // is left is what the process still holds.
        const gc = (globalThis as { gc?: () => void }).gc;
        if (gc) gc();
        const m = process.memoryUsage();
        return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, collected: gc !== undefined };
      },
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
  process.stderr.write(`app host failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
