/**
 * The overdue reminder's e-mail step with in-memory ports: the message (Vietnamese, codes and links
 * only), who gets one, once per day, and a failed mail that changes nothing else.
 */
import { overdueMail, RemindOverdue, type OverdueMail } from '../../../src/app/remind-overdue';
import type { Agency } from '../../../src/domain/city-profile';
import type { Mailer, MailMessage } from '../../../src/domain/notifications/ports';
import type { OverdueGroup, StaffNotice, StaffNoticesRepo } from '../../../src/domain/reports/report-desk';
import { PlatformApiError } from '../../../src/domain/shared/errors';
import { createI18n } from '../../../src/i18n';
import { memoryLogger } from '../../support/memory-logger';

const vi = createI18n().forLocale('vi');
const HEPCO: Agency = { id: 'hepco', name: { vi: 'Công ty CP Môi trường và Công trình đô thị Huế', en: 'HEPCO' }, email: 'hepco@example.invalid' };
const LIGHTS: Agency = { id: 'chieu-sang', name: { vi: 'Đơn vị quản lý chiếu sáng đô thị', en: 'Lighting' }, email: 'den@example.invalid' };
const BUILDING: Agency = { id: 'so-xay-dung', name: { vi: 'Sở Xây dựng', en: 'Construction' } };
const IOC = 'Trung tâm Giám sát, điều hành đô thị thông minh Huế (Hue-IOC)';
// 2026-03-02 07:00 in Huế (UTC+7).
const NOW = new Date('2026-03-02T00:00:00Z');

describe('the overdue reminder e-mail', () => {
  it('greets the agency, gives the count, links its overdue list and each code, most overdue first; nothing else', () => {
    const mail = overdueMail({ agency: HEPCO, total: 2, codes: ['PA-M22222', 'PA-M33333'], day: '2026-03-02', publicUrl: 'https://phananh.hue.gov.vn', ioc: IOC }, vi);
    expect(mail.subject).toBe('Nhắc việc ngày 02/03/2026: 2 phản ánh quá hạn xử lý');
    expect(mail.text).toBe(
      [
        'Kính gửi Công ty CP Môi trường và Công trình đô thị Huế,',
        '',
        'Ngày 02/03/2026, đơn vị có 2 phản ánh đã quá hạn xử lý.',
        'Danh sách phản ánh quá hạn của đơn vị: https://phananh.hue.gov.vn/console/reports?overdue=true&agency=hepco',
        '',
        'Mã phản ánh (quá hạn lâu nhất trước):',
        '- PA-M22222: https://phananh.hue.gov.vn/console/reports/PA-M22222',
        '- PA-M33333: https://phananh.hue.gov.vn/console/reports/PA-M33333',
        '',
        '-- ',
        `Thư gửi tự động mỗi sáng từ Bàn làm việc cán bộ của ${IOC}. Đăng nhập để xem chi tiết từng phản ánh.`,
        '',
      ].join('\n'),
    );
  });

  it('says how many more are in the list when the notice lists only the most overdue codes', () => {
    const codes = Array.from({ length: 20 }, (_, i) => `PA-M${String(i).padStart(5, '2')}`);
    const mail = overdueMail({ agency: HEPCO, total: 57, codes, day: '2026-12-31', publicUrl: 'http://bot.test/', ioc: IOC }, vi);
    expect(mail.subject).toBe('Nhắc việc ngày 31/12/2026: 57 phản ánh quá hạn xử lý');
    expect(mail.text).toContain('… và 37 phản ánh khác trong danh sách trên.');
    expect(mail.text.match(/^- PA-M/gm)).toHaveLength(20);
    // A trailing slash in PUBLIC_URL does not double the slash.
    expect(mail.text).toContain('http://bot.test/console/reports?overdue=true&agency=hepco');
    expect(mail.text).not.toContain('bot.test//');
  });
});

class MemoryNotices implements StaffNoticesRepo {
  readonly rows: Array<Omit<StaffNotice, 'id'>> = [];
  async record(n: Omit<StaffNotice, 'id'>): Promise<boolean> {
    if (this.rows.some((r) => r.day === n.day && r.kind === n.kind && r.agency === n.agency)) return false;
    this.rows.push(n);
    return true;
  }
  async recent(): Promise<StaffNotice[]> {
    return [];
  }
}

class MemoryMailer implements Mailer {
  readonly sent: Array<MailMessage & { noticesThen: number }> = [];
  readonly refuse = new Set<string>();
  constructor(private readonly notices: MemoryNotices) {}
  async send(m: MailMessage): Promise<void> {
    if (this.refuse.has(m.to)) {
      throw new PlatformApiError({ platform: 'smtp', method: 'sendMail', code: 'EENVELOPE', action: 'give-up', message: 'the mail server refused the sender or the recipient (550)', status: 550 });
    }
    this.sent.push({ ...m, noticesThen: this.notices.rows.length });
  }
}

function setUp(groups: OverdueGroup[], o: { mail?: boolean; agencies?: Agency[] } = {}) {
  const notices = new MemoryNotices();
  const mailer = new MemoryMailer(notices);
  const log = memoryLogger();
  let now = NOW;
  const mail: OverdueMail = { mailer, agencies: o.agencies ?? [HEPCO, LIGHTS, BUILDING], publicUrl: 'http://bot.test', ioc: IOC, t: vi };
  const remind = new RemindOverdue({
    reports: { overdueByAgency: async () => groups },
    notices,
    clock: { now: () => now },
    timezone: 'Asia/Ho_Chi_Minh',
    logger: log.logger,
    mail: o.mail === false ? null : mail,
  });
  return { remind, notices, mailer, log, nextDay: () => (now = new Date(now.getTime() + 86_400_000)) };
}

const GROUPS: OverdueGroup[] = [
  { agency: null, total: 4, codes: ['PA-M44444'] },
  { agency: 'chieu-sang', total: 1, codes: ['PA-M55555'] },
  { agency: 'hepco', total: 2, codes: ['PA-M22222', 'PA-M33333'] },
  { agency: 'so-xay-dung', total: 3, codes: ['PA-M66666'] },
  { agency: 'gone-agency', total: 1, codes: ['PA-M77777'] },
];

describe('RemindOverdue with a mailer', () => {
  it('writes every notice first, then mails each agency that has an address; not the IOC queue, not agencies without one', async () => {
    const { remind, notices, mailer } = setUp(GROUPS);
    expect(await remind.run()).toEqual({ notices: 5, overdue: 11, mails: 2 });
    expect(notices.rows).toHaveLength(5);
    expect(mailer.sent.map((m) => m.to)).toEqual(['den@example.invalid', 'hepco@example.invalid']);
    expect(mailer.sent.every((m) => m.noticesThen === 5)).toBe(true);
    const hepco = mailer.sent[1]!;
    expect(hepco.subject).toBe('Nhắc việc ngày 02/03/2026: 2 phản ánh quá hạn xử lý');
    expect(hepco.text).toContain('- PA-M22222: http://bot.test/console/reports/PA-M22222');
    expect(hepco.text).not.toContain('PA-M44444');
  });

  it('sends nothing again the same day (a retried job), and again the next day', async () => {
    const { remind, mailer, nextDay } = setUp(GROUPS);
    await remind.run();
    expect(await remind.run()).toEqual({ notices: 0, overdue: 11, mails: 0 });
    expect(mailer.sent).toHaveLength(2);
    nextDay();
    expect((await remind.run()).mails).toBe(2);
    expect(mailer.sent).toHaveLength(4);
  });

  it('logs a refused mail by agency id, without the address, and goes on with the others; the notice stays', async () => {
    const { remind, notices, mailer, log } = setUp(GROUPS);
    mailer.refuse.add('den@example.invalid');
    expect(await remind.run()).toEqual({ notices: 5, overdue: 11, mails: 1 });
    expect(notices.rows.find((r) => r.agency === 'chieu-sang')).toBeDefined();
    expect(mailer.sent.map((m) => m.to)).toEqual(['hepco@example.invalid']);
    const warn = log.lines().find((l) => l.msg === 'overdue reminder e-mail not sent');
    expect(warn).toMatchObject({ level: 40, agency: 'chieu-sang', code: 'EENVELOPE', action: 'give-up', reply: 550 });
    expect(log.text()).not.toContain('den@example.invalid');
    // The notice was written, so tomorrow's run is the next chance: no second try today.
    expect((await remind.run()).mails).toBe(0);
  });

  it('does not fail the job on an unexpected error either', async () => {
    const { remind, log } = setUp(GROUPS.filter((g) => g.agency === 'hepco'));
    const failing = setUp(GROUPS.filter((g) => g.agency === 'hepco'));
    (failing.mailer as { send: Mailer['send'] }).send = async () => {
      throw new TypeError('boom with hepco@example.invalid inside');
    };
    expect(await failing.remind.run()).toEqual({ notices: 1, overdue: 2, mails: 0 });
    expect(failing.log.lines().find((l) => l.msg === 'overdue reminder e-mail failed')).toMatchObject({ level: 50, agency: 'hepco', err: 'TypeError' });
    expect(failing.log.text()).not.toContain('example.invalid');
    expect((await remind.run()).mails).toBe(1);
    expect(log.lines()).toEqual([]);
  });
});

describe('RemindOverdue without SMTP', () => {
  it('writes the notices and mails nobody', async () => {
    const { remind, notices, mailer } = setUp(GROUPS, { mail: false });
    expect(await remind.run()).toEqual({ notices: 5, overdue: 11, mails: 0 });
    expect(notices.rows).toHaveLength(5);
    expect(mailer.sent).toEqual([]);
  });
});
