import { migrate } from '../../../src/storage/migrate';
import { createTestDb, type TestDb } from '../../support/db';

describe('schema migrations', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t.drop());

  it('applies every migration once and records it, so a second start changes nothing', async () => {
    const versions = (await t.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows;
    expect(versions.length).toBeGreaterThan(0);
    expect(await migrate(t.db)).toEqual([]);
    const tables = (await t.db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).rows.map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(['residents', 'inbound_events', 'bot_sessions', 'report_drafts', 'reports', 'report_photos']));
  });
});
