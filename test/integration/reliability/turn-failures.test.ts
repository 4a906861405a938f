/**
 * A turn that fails in the middle (a database error after part of its work) is rolled back and
 * retried with back-off, its input is not lost, and the resident is apologised to only after the
 * last attempt, when the event is parked as failed with a log line at error.
 */
import { createHarness, transcript, type Harness } from '../../support/harness';
import { memoryLogger } from '../../support/memory-logger';

let h: Harness;
const log = memoryLogger('info');
beforeAll(async () => {
  h = await createHarness({ runtime: { retryBackoffMs: [100, 100, 100], pollMs: 100, logger: log.logger } });
});
afterAll(async () => h.close());

/** Makes the next `n` writes of report drafts fail with a database error (a sequence survives rollbacks). */
async function failDraftWrites(n: number): Promise<void> {
  await h.t.db.query(`DROP TRIGGER IF EXISTS inject_fault ON report_drafts`);
  await h.t.db.query(`DROP SEQUENCE IF EXISTS fault_seq`);
  await h.t.db.query(`CREATE SEQUENCE fault_seq`);
  await h.t.db.query(`CREATE OR REPLACE FUNCTION inject_fault() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF nextval('fault_seq') <= ${n} THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$`);
  await h.t.db.query(`CREATE TRIGGER inject_fault BEFORE INSERT OR UPDATE ON report_drafts FOR EACH ROW EXECUTE FUNCTION inject_fault()`);
}

async function settled(psid: string, status: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await h.t.db.query<{ status: string }>('SELECT status FROM inbound_events WHERE conversation_key = $1 ORDER BY id DESC LIMIT 1', [`messenger:${psid}`]);
    if (r.rows[0]?.status === status) return;
    if (Date.now() > until) throw new Error(`event of ${psid} did not become ${status} (is ${r.rows[0]?.status})`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('a turn that fails is retried, not lost', () => {
  afterEach(async () => {
    await h.t.db.query(`DROP TRIGGER IF EXISTS inject_fault ON report_drafts`);
  });

  it('a database error mid-turn rolls the turn back and the retry answers as if nothing had happened', async () => {
    const psid = 'tf-retry';
    await h.postMessenger(h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await h.idle();
    const before = transcript(h.graph, psid).length;
    await failDraftWrites(1);
    await h.postMessenger(h.webhooks.text({ psid, text: 'Ổ gà lớn giữa đường Lê Lợi, rất nguy hiểm' }));
    await settled(psid, 'done');
    const after = transcript(h.graph, psid).slice(before);
    // One answer (the retry's), asking for the photo: the description was kept, no apology.
    expect(after).toHaveLength(1);
    expect(after[0]!.text).toMatch(/ảnh/i);
    expect(after.map((m) => m.text).join(' ')).not.toMatch(/Xin lỗi|sự cố/);
    const ev = await h.t.db.query<{ attempts: number }>('SELECT attempts FROM inbound_events WHERE conversation_key = $1 ORDER BY id DESC LIMIT 1', [`messenger:${psid}`]);
    expect(ev.rows[0]!.attempts).toBe(1);
    const draft = await h.t.db.query<{ data: { description?: string } }>('SELECT data FROM report_drafts d JOIN residents r ON r.id = d.resident_id WHERE r.platform_user_id = $1', [psid]);
    expect(draft.rows[0]!.data.description).toMatch(/Ổ gà lớn/);
  });

  it('after the last attempt the resident gets one apology and the event is parked as failed', async () => {
    const psid = 'tf-giveup';
    await h.postMessenger(h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await h.idle();
    const before = transcript(h.graph, psid).length;
    await failDraftWrites(1000);
    await h.postMessenger(h.webhooks.text({ psid, text: 'Đèn đường tắt cả tuần nay ở kiệt 5' }));
    await settled(psid, 'failed');
    await h.graph.waitForMessages(psid, before + 1, 5000);
    const after = transcript(h.graph, psid).slice(before);
    expect(after).toHaveLength(1);
    expect(after[0]!.text).toMatch(/1022/); // the apology names the hotline
    const ev = await h.t.db.query<{ attempts: number; last_error: string }>('SELECT attempts, last_error FROM inbound_events WHERE conversation_key = $1 ORDER BY id DESC LIMIT 1', [`messenger:${psid}`]);
    expect(ev.rows[0]).toEqual({ attempts: 4, last_error: 'injected fault' });
    const errorLines = log.lines().filter((l) => l.level === 50 && l.msg === 'event given up after its last attempt');
    expect(errorLines).toHaveLength(1);
    expect(log.text()).not.toContain('Đèn đường tắt'); // never the resident's words
    expect(log.text()).not.toContain(psid);
    // The next message is handled normally.
    await h.t.db.query(`DROP TRIGGER IF EXISTS inject_fault ON report_drafts`);
    await h.postMessenger(h.webhooks.text({ psid, text: 'PA-ZZZZZZ' }));
    await settled(psid, 'done');
  });
});
