/**
 * The dashboard's figures against a scenario computed by hand. Five reports go through the real
 * lifecycle (console actions, a resident's rating, an Open311 filing, a reopen) on a clock the test
 * moves; the figures come from the history (report_events → report_facts) and must equal what a
 * person counts on paper from the story below.
 *
 * Huế time (UTC+7). Week 1 starts Monday 2026-03-02 00:00, week 2 Monday 2026-03-09 00:00.
 *
 * | report | filed (local)        | channel   | category       | ward  | story                                                                 |
 * |--------|----------------------|-----------|----------------|-------|-----------------------------------------------------------------------|
 * | R1     | Mon 02/03 15:00      | messenger | road-damage 72h| 19789 | +2 h assigned (so-xay-dung), +1 h started, +24 h resolved; resident rates 5 |
 * | R2     | Mon 02/03 16:00      | zalo      | trees 24h      | 19789 | +30 h assigned (hepco) — overdue; +50 h resolved; reopened; resolved; rated 2 |
 * | R3     | Tue 03/03 10:00      | open311   | waste 24h      | 19753 | +1 h rejected                                                          |
 * | R4     | Sun 08/03 23:30      | messenger | street-lights 48h | —  | nothing: due Tue 10/03 23:30 (week 2), overdue                         |
 * | R5     | Mon 09/03 00:30 (wk2)| messenger | road-damage 72h| —     | +1 h assigned (so-xay-dung), never answered: due Thu 12/03, overdue     |
 *
 * Figures are read on Wed 18/03 (week 3), after every due time.
 */
import { adminActor } from '../console/console-support';
import { weeksRange, type Figures, type FigureQuery } from '../../../src/domain/analytics/figures';
import { PgAnalyticsRepo } from '../../../src/storage/analytics-repo';
import { weeklyReport } from '../../../src/jobs/queues';
import { apiKey, fileAs, move, publicHarness, type PublicHarness } from '../../support/public-support';

const at = (iso: string) => new Date(iso).getTime();

let h: PublicHarness;
let f: Figures;
const codes: Record<string, string> = {};

/** Moves the test clock forward to a local Huế time. */
function setLocal(h: PublicHarness, local: string) {
  const target = at(`${local}+07:00`);
  const now = h.clock.now().getTime();
  if (target < now) throw new Error(`the clock cannot go back to ${local}`);
  h.clock.advance(target - now);
}

beforeAll(async () => {
  h = await publicHarness();
  const admin = await adminActor(h);
  const system = await apiKey(h, 'operator', { name: '1022 call centre' });

  setLocal(h, '2026-03-02T15:00:00');
  const r1 = await fileAs(h, 'psid-an-1', { category: 'road-damage' });
  codes.R1 = r1.code;
  setLocal(h, '2026-03-02T16:00:00');
  const r2 = await fileAs(h, '7000000000000000777', { category: 'trees', channel: 'zalo', description: 'Cây đổ chắn ngang đường Lê Lợi' });
  codes.R2 = r2.code;

  setLocal(h, '2026-03-02T17:00:00');
  await move(h, r1.code, { to: 'assigned', agency: 'so-xay-dung' }, admin);
  setLocal(h, '2026-03-02T18:00:00');
  await move(h, r1.code, { to: 'in_progress' }, admin);

  setLocal(h, '2026-03-03T10:00:00');
  const r3 = await h.rt.useCases.open311Intake.submit(system.actor, { serviceCode: 'waste', point: { lat: 16.4605, lng: 107.5985 }, addressString: null, description: 'Rác tồn đọng ở góc chợ', mediaUrls: [], locale: 'vi' });
  codes.R3 = r3.report.code;
  setLocal(h, '2026-03-03T11:00:00');
  await move(h, r3.report.code, { to: 'rejected', note: 'Đã có đơn vị thu gom theo lịch.' }, admin);

  setLocal(h, '2026-03-03T18:00:00');
  await move(h, r1.code, { to: 'resolved', note: 'Đã vá.' }, admin); // 27 h after filing
  setLocal(h, '2026-03-03T19:00:00');
  await h.rt.useCases.verdict.rate(r1.code, r1.residentId, 5);

  setLocal(h, '2026-03-03T22:00:00');
  await move(h, r2.code, { to: 'assigned', agency: 'hepco' }, admin); // 30 h: after its 24 h due time
  setLocal(h, '2026-03-04T10:00:00');
  await move(h, r2.code, { to: 'in_progress' }, admin);
  setLocal(h, '2026-03-04T18:00:00');
  await move(h, r2.code, { to: 'resolved', note: 'Đã dọn cây.' }, admin); // 50 h after filing
  setLocal(h, '2026-03-04T20:00:00');
  await move(h, r2.code, { to: 'in_progress' }, admin); // reopened
  setLocal(h, '2026-03-05T04:00:00');
  await move(h, r2.code, { to: 'resolved', note: 'Đã dọn hết cành.' }, admin);
  setLocal(h, '2026-03-05T05:00:00');
  await h.rt.useCases.verdict.rate(r2.code, r2.residentId, 2);

  setLocal(h, '2026-03-08T23:30:00');
  codes.R4 = (await fileAs(h, 'psid-an-4', { category: 'street-lights', description: 'Đèn đường không sáng' })).code;
  setLocal(h, '2026-03-09T00:30:00');
  codes.R5 = (await fileAs(h, 'psid-an-5', { category: 'road-damage' })).code;
  setLocal(h, '2026-03-09T01:30:00');
  await move(h, codes.R5, { to: 'assigned', agency: 'so-xay-dung' }, admin);

  // Wards are known for three of them (routing sets them; here a direct update, which the facts follow).
  await h.t.db.query("UPDATE reports SET ward = '19789' WHERE code = ANY($1)", [[codes.R1, codes.R2]]);
  await h.t.db.query("UPDATE reports SET ward = '19753' WHERE code = $1", [codes.R3]);

  setLocal(h, '2026-03-18T09:00:00');
  f = await h.rt.useCases.analytics.figures('2026-03-02', 2);
});
afterAll(async () => h?.close());

const row = (rows: Figures['byWard'], key: string) => rows.find((r) => r.key === key);

it('counts received, resolved and overdue per week', () => {
  expect(f.period).toEqual({ start: '2026-03-02', end: '2026-03-16', weeks: ['2026-03-02', '2026-03-09'] });
  expect(f.weekly).toEqual([
    { key: '2026-03-02', received: 4, resolved: 2, overdue: 1 },
    { key: '2026-03-09', received: 1, resolved: 0, overdue: 2 },
  ]);
  expect(f.totals).toEqual({ received: 5, resolved: 2, overdue: 3 });
});

it('counts per ward, category, agency and channel', () => {
  expect(row(f.byWard, '19789')).toEqual({ key: '19789', received: 2, resolved: 2, overdue: 1 });
  expect(row(f.byWard, '19753')).toEqual({ key: '19753', received: 1, resolved: 0, overdue: 0 });
  expect(row(f.byWard, '')).toEqual({ key: '', received: 2, resolved: 0, overdue: 2 });
  expect(f.byCategory).toEqual(expect.arrayContaining([
    { key: 'road-damage', received: 2, resolved: 1, overdue: 1 },
    { key: 'trees', received: 1, resolved: 1, overdue: 1 },
    { key: 'waste', received: 1, resolved: 0, overdue: 0 },
    { key: 'street-lights', received: 1, resolved: 0, overdue: 1 },
  ]));
  expect(f.byCategory).toHaveLength(4);
  expect(f.byAgency).toEqual(expect.arrayContaining([
    { key: 'so-xay-dung', received: 2, resolved: 1, overdue: 1 },
    { key: 'hepco', received: 1, resolved: 1, overdue: 1 },
    { key: '', received: 2, resolved: 0, overdue: 1 },
  ]));
  expect(f.byChannel).toEqual([
    { key: 'messenger', received: 3, resolved: 1, overdue: 2 },
    { key: 'open311', received: 1, resolved: 0, overdue: 0 },
    { key: 'zalo', received: 1, resolved: 1, overdue: 1 },
  ]);
});

it('measures the median and 90th percentile of time to first response and to resolution', () => {
  // First responses: R1 2 h, R2 30 h, R3 1 h, R5 1 h → sorted 1, 1, 2, 30.
  expect(f.firstResponse.count).toBe(4);
  expect(f.firstResponse.medianHours).toBeCloseTo(1.5, 6);
  expect(f.firstResponse.p90Hours).toBeCloseTo(2 + 0.7 * 28, 6); // 21.6
  // First resolutions: R1 27 h, R2 50 h.
  expect(f.resolution.count).toBe(2);
  expect(f.resolution.medianHours).toBeCloseTo(38.5, 6);
  expect(f.resolution.p90Hours).toBeCloseTo(27 + 0.9 * 23, 6); // 47.7
});

it('computes the reopen rate and satisfaction', () => {
  expect(f.reopen).toEqual({ resolved: 2, reopened: 1, rate: 0.5 });
  expect(f.satisfaction).toEqual({ rated: 2, average: 3.5, share4or5: 0.5 });
});

it('one week alone, and an agency user sees only their reports', async () => {
  const w2 = await h.rt.useCases.analytics.figures('2026-03-09', 1);
  expect(w2.totals).toEqual({ received: 1, resolved: 0, overdue: 2 });
  const hepco = await h.rt.useCases.analytics.figures('2026-03-02', 2, { agencies: ['hepco'], wards: ['19753'] });
  expect(hepco.totals).toEqual({ received: 2, resolved: 1, overdue: 1 });
  expect(hepco.byChannel.map((r) => r.key).sort()).toEqual(['open311', 'zalo']);
});

it('the figures are derived from the history: the facts table equals a recomputation from report_events', async () => {
  const diff = await h.t.db.query(
    `(SELECT * FROM report_facts EXCEPT SELECT * FROM report_facts_source)
     UNION ALL (SELECT * FROM report_facts_source EXCEPT SELECT * FROM report_facts)`,
  );
  expect(diff.rows).toEqual([]);
});

describe('the weekly counts kept beside report_facts (report_weeks)', () => {
  const TZ = 'Asia/Ho_Chi_Minh';
  const at = (local: string) => new Date(`${local}+07:00`);
  const query = (first: string, weeks: number, now: string, scope: FigureQuery['scope'] = null): FigureQuery => {
    const r = weeksRange(first, weeks, TZ);
    return { start: r.start, end: r.end, now: at(now), timeZone: TZ, scope };
  };

  it('equal a rebuild from report_facts (the trigger keeps them as the history moves)', async () => {
    const kept = await h.t.db.query('SELECT week, ward, category, agency, channel, received, resolved, late FROM report_weeks WHERE received <> 0 OR resolved <> 0 OR late <> 0 ORDER BY 1, 2, 3, 4, 5');
    expect(kept.rows.length).toBeGreaterThan(0);
    await h.t.db.query('SELECT report_weeks_rebuild()');
    const rebuilt = await h.t.db.query('SELECT week, ward, category, agency, channel, received, resolved, late FROM report_weeks ORDER BY 1, 2, 3, 4, 5');
    expect(rebuilt.rows).toEqual(kept.rows);
  });

  it('give the same counts as report_facts for whole weeks, also in the week that is under way and for an agency user', async () => {
    const live = new PgAnalyticsRepo(h.t.db);
    const weeks = new PgAnalyticsRepo(h.t.db);
    await weeks.useTimeZone(TZ);
    const scope = { agencies: ['hepco'], wards: ['19753'] };
    const cases = [
      query('2026-03-02', 2, '2026-03-18T09:00:00'),
      query('2026-03-02', 2, '2026-03-10T12:00:00'),
      query('2026-03-09', 1, '2026-03-09T05:00:00'),
      query('2026-03-02', 3, '2026-03-04T08:00:00'),
      query('2026-03-02', 2, '2026-03-18T09:00:00', scope),
      query('2026-03-02', 2, '2026-03-10T12:00:00', scope),
    ];
    for (const q of cases) {
      expect(await weeks.weekly(q)).toEqual(await live.weekly(q));
      for (const by of ['ward', 'category', 'agency', 'channel'] as const) expect(await weeks.breakdown(q, by)).toEqual(await live.breakdown(q, by));
    }
    // The kept counts are what answers (not report_facts again): a tampered row shows, until rebuilt.
    await h.t.db.query("UPDATE report_weeks SET received = received + 100 WHERE week = '2026-03-02' AND received > 0 AND ctid = (SELECT ctid FROM report_weeks WHERE week = '2026-03-02' AND received > 0 LIMIT 1)");
    expect((await weeks.weekly(cases[0]!)).find((r) => r.key === '2026-03-02')!.received).toBe(104);
    await h.t.db.query('SELECT report_weeks_rebuild()');
    expect(await weeks.weekly(cases[0]!)).toEqual(await live.weekly(cases[0]!));
    // A period that is not whole weeks is counted from report_facts, and still the same.
    const odd: FigureQuery = { start: at('2026-03-03T00:00:00'), end: at('2026-03-12T00:00:00'), now: at('2026-03-18T09:00:00'), timeZone: TZ, scope: null };
    expect(await weeks.weekly(odd)).toEqual(await live.weekly(odd));
  });
});

it('refuses a period that does not start on a Monday', async () => {
  await expect(h.rt.useCases.analytics.figures('2026-03-03', 1)).rejects.toMatchObject({ code: 'analytics.bad-period' });
  await expect(h.rt.useCases.analytics.figures('2026-03-02', 54)).rejects.toMatchObject({ code: 'analytics.bad-period' });
});

describe('the weekly report', () => {
  it('is scheduled every Monday at 07:00 Huế time', async () => {
    const s = await h.t.db.query<{ cron: string; timezone: string }>("SELECT cron, timezone FROM pgboss.schedule WHERE name = 'weekly-report'");
    expect(s.rows).toEqual([{ cron: '0 7 * * 1', timezone: 'Asia/Ho_Chi_Minh' }]);
  });

  it('the job stores the last complete week by default, and the same figures as the dashboard', async () => {
    await h.rt.jobs.send(weeklyReport, {});
    let stored = null;
    for (let i = 0; i < 100 && !stored; i++) {
      stored = await h.rt.useCases.analytics.storedWeekly('2026-03-09');
      if (!stored) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stored).toMatchObject({ weekStart: '2026-03-09', generatedBy: 'system' });
    expect(stored!.figures.totals).toEqual({ received: 1, resolved: 0, overdue: 2 });
    await h.rt.useCases.analytics.generateWeekly('2026-03-02', 'someone');
    expect((await h.rt.useCases.analytics.listWeekly()).map((w) => w.weekStart)).toEqual(['2026-03-09', '2026-03-02']);
    expect((await h.rt.useCases.analytics.storedWeekly('2026-03-02'))!.figures.weekly).toEqual([{ key: '2026-03-02', received: 4, resolved: 2, overdue: 1 }]);
  });
});
