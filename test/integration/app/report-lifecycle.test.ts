/**
 * The lifecycle use cases against real PostgreSQL and the fakes: every change is written with its
 * history event by one writer, refused changes write nothing, public changes reach the resident
 * once through the jobs module, and scheduled work closes what the resident never answered.
 */
import sharp from 'sharp';
import { LifecycleError } from '../../../src/domain/reports/lifecycle';
import type { Actor } from '../../../src/domain/staff/actor';
import { closeResolved, residentNotice } from '../../../src/jobs/queues';
import { fileReport } from '../../support/file-report';
import { createHarness, type Harness } from '../../support/harness';

const OPERATOR: Actor = { kind: 'staff', id: '11', role: 'operator', agencies: [], wards: [] };
const HEPCO: Actor = { kind: 'staff', id: '12', role: 'agency', agencies: ['hepco'], wards: [] };

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

async function waitFor<T>(what: () => Promise<T | null | undefined | false>, ms = 8000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('changing a report through the use cases', () => {
  it('IOC assigns, the agency starts and resolves with a reply and a result photo; history keeps actor, notes and order; the resident hears each step', async () => {
    const psid = 'psid-life-1';
    const { code } = await fileReport(h, 'messenger', psid);
    const uc = h.rt.useCases;
    const sent = () => h.graph.sentMessages(psid).length;
    const before = sent();

    await uc.changeStatus.execute(code, { to: 'assigned', agency: 'hepco', internalNote: 'ưu tiên' }, OPERATOR);
    await uc.changeStatus.execute(code, { to: 'in_progress' }, HEPCO);
    const photo = await uc.recordPhoto.fromBytes(await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3a6' } }).jpeg().toBuffer());
    const { report } = await uc.changeStatus.execute(code, { to: 'resolved', note: 'Đã thu dọn cây đổ.', photoIds: [photo.key] }, HEPCO);

    expect(report).toMatchObject({ status: 'resolved', agency: 'hepco', publicReply: 'Đã thu dọn cây đổ.', reopened: false });
    expect(report.resultPhotos.map((p) => p.key)).toEqual([photo.key]);
    expect(report.resolvedAt).toBeInstanceOf(Date);
    expect(report.dueAt!.getTime() - report.createdAt.getTime()).toBe(24 * 3_600_000); // trees: 24 h in the Huế profile

    const history = await uc.queries.history(report.id);
    expect(history.map((e) => [e.from, e.to, e.actor.kind, e.actor.id])).toEqual([
      [null, 'received', 'resident', report.residentId],
      ['received', 'assigned', 'staff', '11'],
      ['assigned', 'in_progress', 'staff', '12'],
      ['in_progress', 'resolved', 'staff', '12'],
    ]);
    expect(history[1]!.internalNote).toBe('ưu tiên');
    expect(history[3]!.publicNote).toBe('Đã thu dọn cây đổ.');

    // Three notices, in the thread, each naming the code; the resolution carries the result photo
    // first and is followed by its question (is it really fixed?).
    const msgs = await h.graph.waitForMessages(psid, before + 5, 8000);
    const after = msgs.slice(before);
    const texts = after.map((m) => m.message?.text ?? '').filter(Boolean);
    expect(texts).toHaveLength(4);
    for (const t of texts) expect(t).toContain(code);
    expect(texts[2]).toContain('Đã thu dọn cây đổ.');
    expect(after.at(-1)!.message?.quick_replies?.map((q) => q.payload)).toEqual([`RESOLVED_CONFIRM:${code}`, `RESOLVED_REJECT:${code}`]);
    const image = after.find((m) => m.message?.attachment?.type === 'image');
    expect(JSON.stringify(image)).toContain(photo.key);
    // The resolution's job completes once its question is remembered too (after the last message).
    await waitFor(async () => (await h.rt.jobs.count(residentNotice, 'completed')) >= 3);
  });

  it('an illegal change is a typed error and writes nothing', async () => {
    const { code, id } = await fileReport(h, 'zalo', '7100000000000000001');
    await expect(h.rt.useCases.changeStatus.execute(code, { to: 'resolved', note: 'x' }, OPERATOR)).rejects.toMatchObject({ code: 'lifecycle.illegal-transition', kind: 'conflict' });
    await expect(h.rt.useCases.changeStatus.execute(code, { to: 'assigned', agency: 'hepco' }, HEPCO)).rejects.toMatchObject({ code: 'lifecycle.forbidden' });
    await expect(h.rt.useCases.changeStatus.execute(code, { to: 'rejected' }, OPERATOR)).rejects.toBeInstanceOf(LifecycleError);
    await expect(h.rt.useCases.changeStatus.execute('PA-NOTHERE', { to: 'rejected', note: 'x' }, OPERATOR)).rejects.toMatchObject({ code: 'report.not-found' });
    const r = await h.t.db.query('SELECT status, (SELECT count(*)::int FROM report_events WHERE report_id = $1) AS events FROM reports WHERE id = $1', [id]);
    expect(r.rows[0]).toEqual({ status: 'received', events: 1 });
  });

  it('two officers changing the same report at once: one wins, the other gets a conflict, history has one event', async () => {
    const { code, id } = await fileReport(h, 'zalo', '7100000000000000002');
    const results = await Promise.allSettled([
      h.rt.useCases.changeStatus.execute(code, { to: 'assigned', agency: 'hepco' }, OPERATOR),
      h.rt.useCases.changeStatus.execute(code, { to: 'rejected', note: 'Trùng lặp' }, OPERATOR),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ kind: 'conflict' });
    const ev = await h.t.db.query('SELECT count(*)::int AS n FROM report_events WHERE report_id = $1', [id]);
    expect(ev.rows[0]!.n).toBe(2);
  });

  it('a duplicate names the other report; the resident is told the other code', async () => {
    const first = await fileReport(h, 'zalo', '7100000000000000003');
    const second = await fileReport(h, 'zalo', '7100000000000000004');
    const before = h.zalo.sentMessages('7100000000000000004').length;
    const { report } = await h.rt.useCases.changeStatus.execute(second.code, { to: 'duplicate', duplicateOf: first.code.toLowerCase() }, OPERATOR);
    expect(report.duplicateOf).toBe(first.code);
    await waitFor(async () => h.zalo.sentMessages('7100000000000000004').length > before);
    expect(JSON.stringify(h.zalo.sentMessages('7100000000000000004').at(-1))).toContain(first.code);
  });

  it('the resident rates a resolution (closed) or reopens it within REOPEN_DAYS (flagged, counted, back to the agency)', async () => {
    const a = await fileReport(h, 'zalo', '7100000000000000005');
    const b = await fileReport(h, 'zalo', '7100000000000000006');
    for (const c of [a.code, b.code]) {
      await h.rt.useCases.changeStatus.execute(c, { to: 'assigned', agency: 'hepco' }, OPERATOR);
      await h.rt.useCases.changeStatus.execute(c, { to: 'in_progress' }, HEPCO);
      await h.rt.useCases.changeStatus.execute(c, { to: 'resolved', note: 'Đã xử lý.' }, HEPCO);
    }
    const residentOf = async (id: string) => (await h.t.db.query<{ resident_id: string }>('SELECT resident_id FROM reports WHERE id = $1', [id])).rows[0]!.resident_id;
    const closed = await h.rt.useCases.verdict.rate(a.code, String(await residentOf(a.id)), 5);
    await h.rt.useCases.verdict.comment(a.code, String(await residentOf(a.id)), '  Cảm ơn, rất nhanh!  ');
    expect(closed.report).toMatchObject({ status: 'closed', rating: 5 });
    expect((await h.rt.useCases.queries.findByCode(a.code))!.ratingComment).toBe('Cảm ơn, rất nhanh!');

    const reopened = await h.rt.useCases.verdict.reopen(b.code, String(await residentOf(b.id)));
    expect(reopened.report).toMatchObject({ status: 'in_progress', reopened: true, reopenCount: 1, agency: 'hepco', resolvedAt: null });
    // Someone else cannot rate or reopen it.
    await expect(h.rt.useCases.verdict.reopen(a.code, '999999')).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('the scheduled job closes resolutions older than REOPEN_DAYS and leaves recent ones', async () => {
    const old = await fileReport(h, 'zalo', '7100000000000000007');
    const recent = await fileReport(h, 'zalo', '7100000000000000008');
    for (const c of [old.code, recent.code]) {
      await h.rt.useCases.changeStatus.execute(c, { to: 'assigned', agency: 'hepco' }, OPERATOR);
      await h.rt.useCases.changeStatus.execute(c, { to: 'in_progress' }, OPERATOR);
      await h.rt.useCases.changeStatus.execute(c, { to: 'resolved', note: 'Xong.' }, OPERATOR);
    }
    await h.t.db.query("UPDATE reports SET resolved_at = now() - interval '15 days' WHERE id = $1", [old.id]);
    await h.rt.jobs.send(closeResolved, {});
    await waitFor(async () => (await h.rt.useCases.queries.findByCode(old.code))?.status === 'closed');
    expect((await h.rt.useCases.queries.findByCode(recent.code))!.status).toBe('resolved');
    const last = (await h.rt.useCases.queries.history(old.id)).at(-1)!;
    expect(last.actor).toEqual({ kind: 'system', id: 'close-resolved-reports' });
  });
});

describe('jobs module', () => {
  it('a job whose payload fails validation is dead-lettered with a log line, not retried', async () => {
    // Bypass the validating sender, as an old version of the app or a manual insert would.
    await h.t.db.query("SELECT pgboss.create_queue('report-status-notification', '{}'::json)").catch(() => undefined);
    const boss = (h.rt.jobs as unknown as { boss: { send(name: string, data: object): Promise<string> } }).boss;
    await boss.send('report-status-notification', { reportId: 'not-a-number', status: 'resolved' });
    const dead = await waitFor(async () => {
      const r = await h.t.db.query<{ data: { queue: string; reason: string } }>("SELECT data FROM pgboss.job WHERE name = 'dead-letter'");
      return r.rows[0];
    });
    expect(dead.data.queue).toBe('report-status-notification');
    expect(dead.data.reason).toMatch(/reportId/);
    const failed = await h.t.db.query("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'report-status-notification' AND state IN ('retry', 'failed')");
    expect(failed.rows[0]!.n).toBe(0);
  });

  it('refuses to queue an invalid payload, and queues one job per history event', async () => {
    await expect(h.rt.jobs.send(residentNotice, { reportId: 'x', eventId: '1' })).rejects.toThrow();
    const a = await h.rt.jobs.send(residentNotice, { reportId: '999999', eventId: '888888' });
    const b = await h.rt.jobs.send(residentNotice, { reportId: '999999', eventId: '888888' });
    expect(a).not.toBeNull();
    expect(b).toBeNull();
  });
});
