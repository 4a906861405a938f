/**
 * The writes a turn saves: an unchanged Bottender session is not written back, and a resident's
 * interaction time is rewritten only when it is more than a minute old. Both against PostgreSQL.
 */
import type Session from 'bottender/dist/session/Session';
import { PgResidentsRepo, TOUCH_GRANULARITY_MS } from '../../../src/storage/residents-repo';
import { PgSessionStore } from '../../../src/storage/session-store';
import { createTestDb, type TestDb } from '../../support/db';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t.drop());

async function storedSession(id: string): Promise<{ data: Record<string, unknown>; xmin: string }> {
  const r = await t.db.query<{ data: Record<string, unknown>; xmin: string }>('SELECT data, xmin::text AS xmin FROM bot_sessions WHERE id = $1', [id]);
  return r.rows[0]!;
}

describe('PgSessionStore', () => {
  it('does not write back a session whose only change is lastActivity, and writes a changed one', async () => {
    const store = new PgSessionStore(t.db);
    const id = 'messenger:unchanged-1';
    await store.write(id, { id, platform: 'messenger', step: 'idle', lastActivity: 1 } as unknown as Session);
    const first = await storedSession(id);

    const read = (await store.read(id)) as unknown as Record<string, unknown>;
    expect(read.step).toBe('idle');
    read.lastActivity = Date.now(); // what Bottender does after every turn
    await store.write(id, read as unknown as Session);
    expect((await storedSession(id)).xmin).toBe(first.xmin); // row untouched

    const again = (await store.read(id)) as unknown as Record<string, unknown>;
    again.step = 'awaiting-photo';
    await store.write(id, again as unknown as Session);
    const changed = await storedSession(id);
    expect(changed.xmin).not.toBe(first.xmin);
    expect(changed.data.step).toBe('awaiting-photo');
  });

  it('writes a session that was not read by this store (another process, or a new conversation)', async () => {
    const a = new PgSessionStore(t.db);
    const b = new PgSessionStore(t.db);
    const id = 'messenger:two-stores';
    await a.write(id, { id, platform: 'messenger', step: 'one' } as unknown as Session);
    const read = (await a.read(id)) as unknown as Record<string, unknown>;
    await b.write(id, { ...read, step: 'two' } as unknown as Session);
    expect((await storedSession(id)).data.step).toBe('two');
    // a's remembered read is stale now, but a write with a real change still goes through
    await a.write(id, { ...read, step: 'three' } as unknown as Session);
    expect((await storedSession(id)).data.step).toBe('three');
  });
});

describe('PgResidentsRepo.touch', () => {
  it('creates the resident, then rewrites the interaction time only when the stored one is over a minute old', async () => {
    const repo = new PgResidentsRepo(t.db);
    const t0 = new Date('2026-11-20T08:00:00Z');
    const created = await repo.touch('messenger', 'touch-1', t0);
    expect(created.lastInteractionAt?.toISOString()).toBe(t0.toISOString());
    expect(created.hasDeferredNotifications).toBe(false);

    const soon = await repo.touch('messenger', 'touch-1', new Date(t0.getTime() + TOUCH_GRANULARITY_MS - 1000));
    expect(soon.id).toBe(created.id);
    expect(soon.lastInteractionAt?.toISOString()).toBe(t0.toISOString()); // not rewritten: at most a minute early

    const later = new Date(t0.getTime() + TOUCH_GRANULARITY_MS + 1000);
    expect((await repo.touch('messenger', 'touch-1', later)).lastInteractionAt?.toISOString()).toBe(later.toISOString());

    // an older, late-delivered event never moves the time back
    expect((await repo.touch('messenger', 'touch-1', t0)).lastInteractionAt?.toISOString()).toBe(later.toISOString());
  });

  it('tells whether status notifications are parked for the resident', async () => {
    const repo = new PgResidentsRepo(t.db);
    const r = await repo.touch('zalo', 'touch-2', new Date());
    const report = await t.db.query<{ id: string }>(
      "INSERT INTO reports (code, resident_id, channel, category, description, lat, lng) VALUES ('PA-TOUCH22', $1, 'zalo', 'other', 'mô tả thử nghiệm', 16.46, 107.59) RETURNING id",
      [r.id],
    );
    await t.db.query("INSERT INTO deferred_notifications (resident_id, report_id, status) VALUES ($1, $2, 'resolved')", [r.id, report.rows[0]!.id]);
    expect((await repo.touch('zalo', 'touch-2', new Date())).hasDeferredNotifications).toBe(true);
    await t.db.query('UPDATE deferred_notifications SET delivered_at = now() WHERE resident_id = $1', [r.id]);
    expect((await repo.touch('zalo', 'touch-2', new Date())).hasDeferredNotifications).toBe(false);
  });
});
