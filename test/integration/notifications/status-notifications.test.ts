import { ChangeStatus } from '../../../src/app/change-status';
import type { ReportStatus } from '../../../src/domain/reports/lifecycle';
import type { Actor } from '../../../src/domain/staff/actor';
import { PgReportsRepo } from '../../../src/storage/reports-repo';
import { fileReport } from '../../support/file-report';
import { createHarness, zaloTranscript, type Harness } from '../../support/harness';

const OPERATOR: Actor = { kind: 'staff', id: 'op-1', role: 'operator', agencies: [], wards: [] };

/**
 * Walks a report to `to` without queueing notices (a ChangeStatus whose job sender drops them), so
 * a test can deliver the last notice itself; returns the last event id.
 */
async function walkTo(h: Harness, code: string, to: ReportStatus): Promise<string> {
  const quiet = new ChangeStatus({ reports: new PgReportsRepo(h.t.db), jobs: { send: async () => null }, city: h.rt.content.city, clock: { now: () => new Date() }, reopenDays: 14 });
  const path: ReportStatus[] = ['assigned', 'in_progress', 'resolved'];
  let eventId = '';
  for (const step of path.slice(0, path.indexOf(to) + 1)) {
    const out = await quiet.execute(code, { to: step, agency: 'hepco', note: step === 'resolved' ? 'Đã dọn cây đổ và thông đường.' : null }, OPERATOR);
    eventId = out.eventId;
  }
  return eventId;
}

async function lastInteraction(h: Harness, userId: string, hoursAgo: number) {
  await h.t.db.query("UPDATE residents SET last_interaction_at = now() - make_interval(hours => $2) WHERE platform_user_id = $1", [userId, hoursAgo]);
}

describe('residents are told when their report changes status, within the platforms windows', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ env: { ZALO_ZBS_TEMPLATE_STATUS_ID: '' } });
  });
  afterAll(async () => h.close());

  it('a status change queued durably reaches a Messenger resident inside 24 h as a normal message', async () => {
    const psid = 'psid-notify-1';
    const { code } = await fileReport(h, 'messenger', psid);
    const before = h.graph.sentMessages(psid).length;
    await h.rt.useCases.changeStatus.execute(code, { to: 'assigned', agency: 'hepco' }, OPERATOR);
    const msgs = await h.graph.waitForMessages(psid, before + 1, 5000);
    const last = msgs.at(-1)!;
    expect(last.message?.text).toContain(code);
    expect(last.message?.text).toMatch(/Công ty CP Môi trường và Công trình đô thị Huế/);
    expect(last.messaging_type).toBe('UPDATE');
  });

  it('after 24 h a Messenger resident gets the update with the ACCOUNT_UPDATE tag', async () => {
    const psid = 'psid-notify-2';
    const { id, code } = await fileReport(h, 'messenger', psid);
    const eventId = await walkTo(h, code, 'resolved');
    await lastInteraction(h, psid, 30);
    expect(await h.rt.useCases.notify.deliver({ reportId: id, eventId })).toBe('messenger-tag');
    const last = h.graph.sentMessages(psid).at(-1)!;
    expect(last.messaging_type).toBe('MESSAGE_TAG');
    expect(last.tag).toBe('ACCOUNT_UPDATE');
  });

  it('after 7 days without a ZBS template a Zalo notice waits, then goes out when the resident writes again', async () => {
    const userId = '7000000000000000001';
    const { id, code } = await fileReport(h, 'zalo', userId);
    const eventId = await walkTo(h, code, 'resolved');
    await lastInteraction(h, userId, 8 * 24);
    const before = h.zalo.sentMessages(userId).length;
    expect(await h.rt.useCases.notify.deliver({ reportId: id, eventId })).toBe('defer');
    expect(await h.rt.useCases.notify.deliver({ reportId: id, eventId })).toBe('defer'); // no duplicate, no error loop
    expect(h.zalo.sentMessages(userId)).toHaveLength(before);
    await h.postZalo(h.zaloWebhooks.userSendText({ userId, text: 'alo' }));
    await h.idle();
    const texts = zaloTranscript(h.zalo, userId).slice(before).map((m) => m.text);
    expect(texts[0]).toContain(code);
    expect(texts[0]).toMatch(/đã được xử lý xong/);
    expect(texts[0]).toMatch(/Đã dọn cây đổ/);
    // (The Messenger resident above still has the tagged notice's question parked: a tag carries no choices.)
    const pending = await h.t.db.query('SELECT count(*)::int AS n FROM deferred_notifications d JOIN residents r ON r.id = d.resident_id WHERE d.delivered_at IS NULL AND r.platform_user_id = $1', [userId]);
    expect(pending.rows[0]!.n).toBe(0);
  });

  it('when Zalo answers -230 although our record says the window is open, the notice is parked instead of retried forever', async () => {
    const userId = '7000000000000000002';
    const { id, code } = await fileReport(h, 'zalo', userId);
    const eventId = await walkTo(h, code, 'in_progress');
    h.zalo.failNext('window', 1);
    expect(await h.rt.useCases.notify.deliver({ reportId: id, eventId })).toBe('defer');
  });
});

describe('with a ZBS status template configured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ env: { ZALO_ZBS_TEMPLATE_STATUS_ID: 'tpl-status-01' } });
  });
  afterAll(async () => h.close());

  it('a Zalo resident outside the 7-day window gets the template message by user id', async () => {
    const userId = '7000000000000000003';
    const { id, code } = await fileReport(h, 'zalo', userId);
    const eventId = await walkTo(h, code, 'resolved');
    await lastInteraction(h, userId, 10 * 24);
    expect(await h.rt.useCases.notify.deliver({ reportId: id, eventId })).toBe('zbs-template');
    const sent = h.zalo.templateMessages(userId).at(-1)!;
    expect(JSON.stringify(sent)).toContain('tpl-status-01');
    expect(JSON.stringify(sent)).toContain(code);
  });
});

describe('Messenger failures through the notification job use the same typed contract as Zalo', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h.close());

  async function resolvedReport(psid: string) {
    const { id, code } = await fileReport(h, 'messenger', psid);
    const eventId = await walkTo(h, code, 'resolved');
    return { id, code, eventId };
  }

  it('a closed 24-hour window (code 10 / 2018278) falls back to the ACCOUNT_UPDATE tag', async () => {
    const psid = 'psid-fail-window';
    const { id, eventId } = await resolvedReport(psid);
    h.graph.failNext('window', 1);
    expect(await h.rt.useCases.notify.deliver({ reportId: id, eventId })).toBe('messenger-tag');
    const last = h.graph.sentMessages(psid).at(-1)!;
    expect(last.tag).toBe('ACCOUNT_UPDATE');
  });

  it('a resident who blocked the Page (551) gets the notice parked, not an error loop', async () => {
    const psid = 'psid-fail-blocked';
    const { id, eventId } = await resolvedReport(psid);
    h.graph.failNext('blocked', 1);
    expect(await h.rt.useCases.notify.deliver({ reportId: id, eventId })).toBe('defer');
    const parked = await h.t.db.query('SELECT count(*)::int AS n FROM deferred_notifications WHERE event_id = $1 AND delivered_at IS NULL', [eventId]);
    expect(parked.rows[0]!.n).toBe(1);
  });

  it('an invalid Page token (190) is thrown as a token outcome so the job retries later', async () => {
    const psid = 'psid-fail-token';
    const { id, eventId } = await resolvedReport(psid);
    h.graph.failNext('token', 1);
    await expect(h.rt.useCases.notify.deliver({ reportId: id, eventId })).rejects.toMatchObject({ name: 'PlatformApiError', platform: 'messenger', action: 'refresh', retryable: true });
  });

  it('rate limits and server errors are retried by the client, then thrown as retryable for the job', async () => {
    const psid = 'psid-fail-rate';
    const { id, eventId } = await resolvedReport(psid);
    h.graph.failNext('rate-limit', 1);
    expect(await h.rt.useCases.notify.deliver({ reportId: id, eventId })).toBe('message');
    h.graph.failNext('server', 5);
    await expect(h.rt.useCases.notify.deliver({ reportId: id, eventId })).rejects.toMatchObject({ platform: 'messenger', action: 'retry', retryable: true });
    // The message text never carries the token.
    h.graph.failNext('token', 1);
    const err = await h.rt.useCases.notify.deliver({ reportId: id, eventId }).catch((e: unknown) => e as Error);
    expect(String((err as Error).message)).not.toContain('test-page-token');
  });
});
