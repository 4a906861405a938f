/**
 * A fresh, migrated database per test file on the run's real PostgreSQL server.
 */
import crypto from 'node:crypto';
import { Client } from 'pg';
import { createDb, type Db } from '../../src/storage/db';
import { migrate } from '../../src/storage/migrate';

export interface TestDb {
  readonly db: Db;
  readonly url: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TEST_PG_SERVER_URL;
  if (!url) throw new Error('TEST_PG_SERVER_URL is not set: run tests through jest (global-setup starts PostgreSQL)');
  return url;
}

export async function createTestDb(): Promise<TestDb> {
  const name = `phananh_test_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl());
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb(url, 20);
  await migrate(db);
  return {
    db,
    url,
    async drop() {
      await db.close();
      const c = new Client({ connectionString: serverUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
