/**
 * PostgreSQL access through `pg`. Everything that needs the database takes a {@link Db}, so tests
 * and production share the same code against a real server.
 *
 * A conversation turn runs inside one transaction (see {@link runInTransaction}): while it runs,
 * every query made through a `Db` in that async context goes to the turn's connection, and `tx()`
 * becomes a savepoint. So a turn's state changes, the replies it recorded and its "done" mark commit
 * together or not at all. `db.independent` is the same pool without that routing, for writes that
 * must stand whatever the turn does (Zalo token refreshes, failure records).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool, type PoolClient, type QueryResultRow } from 'pg';

export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface Db extends Queryable {
  /** Runs `fn` inside one transaction on one connection (a savepoint inside a turn); rolls back if it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` on one dedicated connection (for session-level advisory locks). */
  withClient<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** The same pool, ignoring any surrounding turn transaction. */
  readonly independent: Db;
  readonly pool: Pool;
  close(): Promise<void>;
}

interface TurnTransaction {
  readonly client: PoolClient;
  savepoints: number;
}

const scope = new AsyncLocalStorage<TurnTransaction>();

/** True while the current async context runs inside a turn transaction. */
export function inTurnTransaction(): boolean {
  return scope.getStore() !== undefined;
}

/** The connection of the current turn transaction, if any (for libraries that take an executor). */
export function currentTransactionClient(): PoolClient | undefined {
  return scope.getStore()?.client;
}

/**
 * Runs `fn` in a transaction on `client`; every `Db` query in `fn`'s async context joins it.
 * Commits when `fn` resolves, rolls back when it throws (and rethrows).
 */
export async function runInTransaction<T>(client: PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  let out: T;
  try {
    out = await scope.run({ client, savepoints: 0 }, fn);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  await client.query('COMMIT');
  return out;
}

/** Keeps a dead connection from crashing the process: the query in flight fails, the pool replaces it. */
export function guardClientErrors(pool: Pool, onError?: (err: Error) => void): void {
  // 'connect' fires once per new client; its listener stays for the client's life, checked out or idle.
  pool.on('connect', (client) => {
    client.on('error', (err) => onError?.(err));
  });
  pool.on('error', (err) => onError?.(err));
}

const wrap = (c: PoolClient): Queryable => ({
  query: async (text, params) => {
    const r = await c.query(text, params as unknown[] | undefined);
    return { rows: r.rows, rowCount: r.rowCount };
  },
});

export function createDb(connectionString: string, max = 10, onConnectionError?: (err: Error) => void): Db {
  const pool = new Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  guardClientErrors(pool, onConnectionError);

  const plainQuery: Queryable['query'] = async (text, params) => {
    const r = await pool.query(text, params as unknown[] | undefined);
    return { rows: r.rows, rowCount: r.rowCount };
  };
  const plainTx = async <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    let broken = false;
    try {
      await c.query('BEGIN');
      const out = await fn(wrap(c));
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      c.release(broken);
    }
  };
  const plainWithClient = async <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    try {
      return await fn(wrap(c));
    } finally {
      c.release();
    }
  };

  const independent: Db = {
    pool,
    query: plainQuery,
    tx: plainTx,
    withClient: plainWithClient,
    get independent() {
      return independent;
    },
    close: () => pool.end(),
  };

  return {
    pool,
    independent,
    async query(text, params) {
      const t = scope.getStore();
      if (!t) return plainQuery(text, params);
      const r = await t.client.query(text, params as unknown[] | undefined);
      return { rows: r.rows, rowCount: r.rowCount };
    },
    async tx(fn) {
      const t = scope.getStore();
      if (!t) return plainTx(fn);
      const name = `sp_${++t.savepoints}`;
      await t.client.query(`SAVEPOINT ${name}`);
      try {
        const out = await fn(wrap(t.client));
        await t.client.query(`RELEASE SAVEPOINT ${name}`);
        return out;
      } catch (err) {
        await t.client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
        throw err;
      }
    },
    async withClient(fn) {
      const t = scope.getStore();
      return t ? fn(wrap(t.client)) : plainWithClient(fn);
    },
    close: () => pool.end(),
  };
}
