/**
 * What a suite gets from the runner: logging, temporary directories, PostgreSQL (started on first
 * use, shared by the run), fresh databases, and cleanup that runs when the suite ends, however it
 * ends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBenchDatabase, startPostgres, type BenchDatabase, type PgServer } from './postgres';

export interface BenchContext {
  /** Progress line on stderr (stdout is kept for the summary). */
  log(msg: string): void;
  /** A new directory under the run's temporary root; removed at the end of the run. */
  tmpDir(prefix: string): string;
  /** A fresh migrated database on the run's PostgreSQL (started on first use); dropped when the suite ends. */
  database(label: string): Promise<BenchDatabase>;
  /** Registers cleanup, run when the suite ends (last registered first), even after a failure. */
  defer(fn: () => Promise<void> | void): void;
  /** CPU ms used so far by PostgreSQL, when it is the embedded server started by this run; else null. */
  postgresCpuMs(): number | null;
}

export interface RunContext {
  readonly log: (msg: string) => void;
  /** A context for one suite, and the function that runs its cleanups. */
  forSuite(): { ctx: BenchContext; close(): Promise<void> };
  /** The server description if PostgreSQL was started during the run. */
  postgresDescription(): string | undefined;
  /** Stops PostgreSQL and removes temporary files; never throws. */
  cleanup(): Promise<void>;
}

class Cleanups {
  private readonly fns: Array<() => Promise<void> | void> = [];
  constructor(private readonly log: (msg: string) => void) {}
  add(fn: () => Promise<void> | void): void {
    this.fns.push(fn);
  }
  async run(): Promise<void> {
    while (this.fns.length > 0) {
      const fn = this.fns.pop()!;
      try {
        await fn();
      } catch (err: unknown) {
        this.log(`cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

export function createContext(): RunContext {
  const started = Date.now();
  const log = (msg: string): void => {
    process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);
  };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-bench-'));
  const runCleanups = new Cleanups(log);
  runCleanups.add(() => fs.rmSync(root, { recursive: true, force: true }));
  const tmpDir = (prefix: string): string => fs.mkdtempSync(path.join(root, `${prefix}-`));

  let pg: Promise<PgServer> | undefined;
  let pgServer: PgServer | undefined;
  let pgDescription: string | undefined;
  const postgres = (): Promise<PgServer> => {
    pg ??= (async () => {
      log('starting PostgreSQL…');
      // Its own directory under the system temp dir: when run as root the server runs as the
      // `postgres` user, which must be able to traverse every parent of its data directory.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-bench-pg-'));
      runCleanups.add(() => fs.rmSync(dir, { recursive: true, force: true }));
      const server = await startPostgres(dir, log);
      pgDescription = server.description;
      pgServer = server;
      runCleanups.add(async () => {
        log('stopping PostgreSQL');
        await server.stop();
      });
      return server;
    })();
    return pg;
  };

  return {
    log,
    forSuite() {
      const suiteCleanups = new Cleanups(log);
      const ctx: BenchContext = {
        log,
        tmpDir,
        defer: (fn) => suiteCleanups.add(fn),
        postgresCpuMs: () => pgServer?.cpuMs() ?? null,
        async database(label) {
          const db = await createBenchDatabase(await postgres(), label);
          suiteCleanups.add(() => db.drop());
          return db;
        },
      };
      return { ctx, close: () => suiteCleanups.run() };
    },
    postgresDescription: () => pgDescription,
    cleanup: () => runCleanups.run(),
  };
}
