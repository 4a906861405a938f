/**
 * The daily overdue reminder by e-mail, wired as in production (createApplication) against real
 * PostgreSQL and a real SMTP server on loopback (dev/fakes/fake-smtp-server.ts): one mail per
 * agency with an address in the city profile (codes and links, no resident data), none again the
 * same day, a refused mail that leaves the notices and the job alone, and no mail at all without
 * SMTP_URL.
 */
import { parseCityProfile } from '../../../src/domain/city-profile';
import { loadContent, type Content } from '../../../src/storage/content-loader';
import { FakeSmtpServer } from '../../../dev/fakes/fake-smtp-server';
import { createHarness, type Harness } from '../../support/harness';
import { memoryLogger } from '../../support/memory-logger';
import { seedCode, seedReports } from '../../support/seed-reports';
import { ADMIN, createStaff, signIn, TestClock } from './console-support';

const SMTP_PASSWORD = 'smtp-secret-9:/@';
const smtp = new FakeSmtpServer({ user: 'phananh-bot', pass: SMTP_PASSWORD });
const HEPCO_MAIL = 'hepco@example.invalid';
const LIGHTS_MAIL = 'chieu-sang@example.invalid';
const HEPCO_NAME = 'Công ty CP Môi trường và Công trình đô thị Huế';

/** Huế's profile with addresses for two agencies (the shipped one has none), validated like a file. */
function contentWithAgencyEmails(): Content {
  const content = loadContent({ city: 'hue' });
  const emails: Record<string, string> = { hepco: HEPCO_MAIL, 'chieu-sang': LIGHTS_MAIL };
  const agencies = content.city.agencies.map((a) => (emails[a.id] ? { ...a, email: emails[a.id] } : a));
  return { ...content, city: parseCityProfile('test profile with agency e-mails', { ...content.city, agencies }) };
}

async function appWith(env: Record<string, string>): Promise<{ h: Harness; clock: TestClock; log: ReturnType<typeof memoryLogger> }> {
  const clock = new TestClock();
  const log = memoryLogger('info');
  const h = await createHarness({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...env }, runtime: { clock, content: contentWithAgencyEmails(), logger: log.logger } });
  return { h, clock, log };
}

let seq = 0;
/**
 * Open reports past due for hepco (two), the building department (no address), the IOC's queue;
 * one of the lighting operator's not yet due, one of hepco's already resolved. Returns the codes.
 */
async function seedOverdue(h: Harness, now: Date) {
  const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
  const code = () => seedCode(++seq, 'M');
  const c = { hepcoOld: code(), hepcoNew: code(), building: code(), queue: code(), lightsNotDue: code(), hepcoResolved: code() };
  await seedReports(h.t.db, [
    { code: c.hepcoOld, status: 'assigned', agency: 'hepco', createdAt: at(-60), dueAt: at(-36), description: 'Rác ùn ứ trước nhà bà Lan, số 12 Lê Lợi' },
    { code: c.hepcoNew, status: 'in_progress', agency: 'hepco', createdAt: at(-30), dueAt: at(-2) },
    { code: c.building, status: 'assigned', agency: 'so-xay-dung', createdAt: at(-30), dueAt: at(-5) },
    { code: c.queue, status: 'received', agency: null, createdAt: at(-30), dueAt: at(-3) },
    // Due in a month, so still not overdue on the following days of the tests.
    { code: c.lightsNotDue, status: 'assigned', agency: 'chieu-sang', createdAt: at(-2), dueAt: at(30 * 24) },
    { code: c.hepcoResolved, status: 'resolved', agency: 'hepco', createdAt: at(-60), dueAt: at(-40), resolvedAt: at(-1) },
  ]);
  return c;
}

beforeAll(async () => {
  await smtp.start();
});
afterAll(async () => smtp.stop());

describe('with SMTP configured', () => {
  let app: Awaited<ReturnType<typeof appWith>>;
  beforeAll(async () => {
    app = await appWith({ SMTP_URL: smtp.url, SMTP_FROM: 'Phản ánh Huế <no-reply@hue.gov.vn>' });
  });
  afterAll(async () => app.h.close());
  beforeEach(() => smtp.reset());

  it('mails each agency with an address and overdue reports once: the count, the codes most overdue first and links that open its list; nothing about residents', async () => {
    const { h, clock, log } = app;
    const c = await seedOverdue(h, clock.now());
    const out = await h.rt.useCases.reportDesk.remindOverdue.run();
    expect(out).toEqual({ notices: 3, overdue: 4, mails: 1 });

    // One mail: hepco's. The building department has no address, the lighting operator nothing overdue, the IOC's queue no mail.
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail).toMatchObject({ from: 'no-reply@hue.gov.vn', to: [HEPCO_MAIL], fromHeader: 'Phản ánh Huế <no-reply@hue.gov.vn>', user: 'phananh-bot' });
    // 08:00 UTC is 15:00 in Huế, on 2 March.
    expect(mail.subject).toBe('Nhắc việc ngày 02/03/2026: 2 phản ánh quá hạn xử lý');
    expect(mail.text).toContain(`Kính gửi ${HEPCO_NAME},`);
    expect(mail.text).toContain('Ngày 02/03/2026, đơn vị có 2 phản ánh đã quá hạn xử lý.');
    expect(mail.text).toContain('http://bot.test/console/reports?overdue=true&agency=hepco');
    const listed = [...mail.text.matchAll(/^- (PA-\w+): http:\/\/bot\.test\/console\/reports\/(PA-\w+)$/gm)].map((m) => [m[1], m[2]]);
    expect(listed).toEqual([[c.hepcoOld, c.hepcoOld], [c.hepcoNew, c.hepcoNew]]);
    for (const other of [c.building, c.queue, c.lightsNotDue, c.hepcoResolved]) expect(mail.text).not.toContain(other);
    expect(mail.text).not.toContain('bà Lan');
    expect(mail.text).not.toContain('Lê Lợi');

    // The link opens the agency's overdue list in the console, with exactly those reports.
    const staff = await createStaff(h, 'agency', { agencies: ['hepco'] });
    const hepco = await signIn(h, staff.email, staff.password);
    const link = new URL(/(http:\/\/bot\.test\/console\/reports\?\S+)/.exec(mail.text)![1]!);
    const list = await hepco.agent.get(link.pathname + link.search);
    expect(list.status).toBe(200);
    expect(list.text).toContain(c.hepcoOld);
    expect(list.text).toContain(c.hepcoNew);
    expect(list.text).not.toContain(c.hepcoResolved);

    // Nothing secret or personal in the logs.
    expect(log.text()).not.toContain(SMTP_PASSWORD);
    expect(log.text()).not.toContain(encodeURIComponent(SMTP_PASSWORD));
    expect(log.text()).not.toContain(HEPCO_MAIL);
  });

  it('a second run the same day (a retried job) mails nobody; the next day mails again', async () => {
    const { h, clock } = app;
    expect(await h.rt.useCases.reportDesk.remindOverdue.run()).toMatchObject({ notices: 0, mails: 0 });
    expect(smtp.attempts).toBe(0);
    clock.advance(24 * 3_600_000);
    expect(await h.rt.useCases.reportDesk.remindOverdue.run()).toMatchObject({ notices: 3, mails: 1 });
    expect(smtp.messages.map((m) => m.subject)).toEqual(['Nhắc việc ngày 03/03/2026: 2 phản ánh quá hạn xử lý']);
  });

  it('a refused mail is logged by agency id only and changes nothing else: the notices are written and the job succeeds', async () => {
    const { h, clock, log } = app;
    clock.advance(24 * 3_600_000);
    smtp.failNext('reject-recipient');
    expect(await h.rt.useCases.reportDesk.remindOverdue.run()).toEqual({ notices: 3, overdue: 4, mails: 0 });
    expect(smtp.attempts).toBe(1);
    expect(smtp.messages).toEqual([]);
    const today = (await h.t.db.query<{ agency: string | null }>("SELECT agency FROM staff_notices WHERE day = '2026-03-04' ORDER BY agency NULLS FIRST")).rows.map((r) => r.agency);
    expect(today).toEqual([null, 'hepco', 'so-xay-dung']);
    const warn = log.lines().find((l) => l.msg === 'overdue reminder e-mail not sent');
    expect(warn).toMatchObject({ level: 40, agency: 'hepco', code: 'EENVELOPE', action: 'give-up', reply: 550 });
    expect(log.text()).not.toContain(HEPCO_MAIL);
    expect(log.text()).not.toContain(SMTP_PASSWORD);
    // Retried the same day: the notice exists, so no second try (at most one mail per agency and day).
    expect(await h.rt.useCases.reportDesk.remindOverdue.run()).toMatchObject({ notices: 0, mails: 0 });
    expect(smtp.attempts).toBe(1);
  });
});

describe('without SMTP_URL', () => {
  it('writes the console notices and mails nobody, although agencies have addresses', async () => {
    smtp.reset();
    const { h, clock } = await appWith({});
    try {
      expect(h.config.smtp).toBeNull();
      await seedOverdue(h, clock.now());
      expect(await h.rt.useCases.reportDesk.remindOverdue.run()).toEqual({ notices: 3, overdue: 4, mails: 0 });
      expect(smtp.attempts).toBe(0);
      expect(smtp.messages).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
