/**
 * PostgreSQL access through `pg`. Everything that needs the database takes a {@link Db}, so tests
 * and production share the same code against a real server.
 */
import { Pool, type PoolClient, type QueryResultRow } from 'pg';

export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface Db extends Queryable {
  /** Runs `fn` inside one transaction on one connection; rolls back if it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` on one dedicated connection (for session-level advisory locks). */
  withClient<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  readonly pool: Pool;
  close(): Promise<void>;
}

export function createDb(connectionString: string, max = 10): Db {
  const pool = new Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  // An idle client error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const query: Queryable['query'] = async (text, params) => {
    const r = await pool.query(text, params as unknown[] | undefined);
    return { rows: r.rows, rowCount: r.rowCount };
  };
  const wrap = (c: PoolClient): Queryable => ({
    query: async (text, params) => {
      const r = await c.query(text, params as unknown[] | undefined);
      return { rows: r.rows, rowCount: r.rowCount };
    },
  });
  return {
    pool,
    query,
    async tx(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const out = await fn(wrap(c));
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    async withClient(fn) {
      const c = await pool.connect();
      try {
        return await fn(wrap(c));
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}
