/**
 * PostgreSQL for the benchmarks. Jest's global setup is not involved here, so the runner starts the
 * server itself: the one in DATABASE_URL when set, otherwise an embedded server in a temporary
 * directory (stopped at the end of the run). Each suite gets its own freshly migrated database.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createDb } from '../../../src/storage/db';
import { ensureDatabase, startEmbeddedPostgres } from '../../../src/storage/embedded-postgres';
import { migrate } from '../../../src/storage/migrate';
import { treeCpuMs } from './cpu';

export interface PgServer {
  /** Connection string of a maintenance database on the server (used to create and drop ours). */
  readonly url: string;
  /** Where the server came from, for the report. */
  readonly origin: 'DATABASE_URL' | 'embedded';
  /** `PostgreSQL 17.x`, plus the durability settings that shape commit latency. */
  readonly description: string;
  /** CPU ms used so far by the server (postmaster and all backends); null for a DATABASE_URL server. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

export interface BenchDatabase {
  readonly url: string;
  /** Drops the database, closing whatever is still connected to it. */
  drop(): Promise<void>;
}

/** Starts (or attaches to) PostgreSQL. `dir` must be an empty directory the run owns. */
export async function startPostgres(dir: string, log: (msg: string) => void): Promise<PgServer> {
  let url = process.env.DATABASE_URL;
  let origin: PgServer['origin'] = 'DATABASE_URL';
  let stop = async (): Promise<void> => undefined;
  let cpuMs = (): number | null => null;
  if (!url) {
    origin = 'embedded';
    // When run as root the server runs as the `postgres` user, which must reach the directory.
    fs.chmodSync(dir, 0o755);
    try {
      const server = await startEmbeddedPostgres(dir);
      url = server.url;
      stop = () => server.stop();
      const pidFile = path.join(dir, 'postgres', 'postmaster.pid');
      const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
      cpuMs = () => treeCpuMs(postmaster);
    } catch (err: unknown) {
      throw new Error(
        `the embedded PostgreSQL failed to start (${err instanceof Error ? err.message : String(err)}); ` +
          'set DATABASE_URL to a server you control, or fix the embedded-postgres install',
        { cause: err },
      );
    }
  }
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const row = (await c.query<{ v: string; fsync: string; sc: string }>(
      "SELECT current_setting('server_version') AS v, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc",
    )).rows[0];
    const description = `PostgreSQL ${row?.v ?? '?'} (${origin}; fsync=${row?.fsync ?? '?'}, synchronous_commit=${row?.sc ?? '?'})`;
    log(`using ${description}`);
    return { url, origin, description, cpuMs, stop };
  } finally {
    await c.end();
  }
}

/** Creates and migrates a database named after `label`, unique to this run. */
export async function createBenchDatabase(server: PgServer, label: string): Promise<BenchDatabase> {
  const name = `phananh_bench_${label.replace(/\W/g, '_')}_${crypto.randomBytes(4).toString('hex')}`;
  const url = await ensureDatabase(server.url, name);
  const db = createDb(url, 2);
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  return {
    url,
    async drop() {
      const c = new Client({ connectionString: server.url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
