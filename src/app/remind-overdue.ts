/**
 * The daily overdue reminder (job `overdue-reminders`, 07:00 city time): every agency with open
 * reports past their due time gets one console notice for the day (how many, the most overdue
 * codes); reports not yet assigned give the IOC's queue its own notice. Running twice on a day (a
 * retried job, two processes) writes nothing new.
 *
 * E-mail, where SMTP is configured (a {@link Mailer}) and the agency has an `email` in the city
 * profile: one message per agency in Vietnamese with the count, the codes and links to the console,
 * sent only for a notice written by this run, so a retried job never mails twice (at most once: a
 * process that dies between the notice and the mail sends none). The IOC's unassigned queue gets
 * no mail (the IOC works in the console). A failed mail is logged by agency id and leaves the
 * notices and the job alone. Design: `src/console/reports/README.md` ("Overdue reminders").
 */
import type { Agency } from '../domain/city-profile';
import type { Mailer, MailMessage } from '../domain/notifications/ports';
import type { Clock } from '../domain/reports/ports';
import type { OverdueGroup, StaffNotice, StaffNoticesRepo, StaffReportsRepo } from '../domain/reports/report-desk';
import { PlatformApiError } from '../domain/shared/errors';
import type { StaffActor } from '../domain/staff/actor';
import { can } from '../domain/staff/permissions';
import type { Translate } from '../i18n';
import type { Logger } from '../logger';

/** How many report codes a notice lists (the most overdue first). */
export const CODES_PER_NOTICE = 20;

/** What the reminder needs to mail agencies; absent without SMTP. */
export interface OverdueMail {
  readonly mailer: Mailer;
  /** The city profile's agencies: those with an `email` get the mail. */
  readonly agencies: readonly Agency[];
  /** PUBLIC_URL: where staff open the console. */
  readonly publicUrl: string;
  /** The IOC's name, signing the mail. */
  readonly ioc: string;
  /** Vietnamese texts (`console:reports.notices.mail.*`). */
  readonly t: Translate;
}

export class RemindOverdue {
  constructor(
    private readonly d: {
      reports: Pick<StaffReportsRepo, 'overdueByAgency'>;
      notices: StaffNoticesRepo;
      clock: Clock;
      timezone: string;
      logger: Logger;
      mail?: OverdueMail | null;
    },
  ) {}

  /** Writes today's notices, then mails the agencies whose notice is new; returns how many of each. */
  async run(): Promise<{ notices: number; overdue: number; mails: number }> {
    const now = this.d.clock.now();
    const day = cityDay(now, this.d.timezone);
    const groups = await this.d.reports.overdueByAgency(now, CODES_PER_NOTICE);
    const written: OverdueGroup[] = [];
    for (const g of groups) {
      if (await this.d.notices.record({ createdAt: now, day, kind: 'overdue', agency: g.agency, total: g.total, reportCodes: g.codes })) written.push(g);
    }
    // Every notice first, the mail after: a slow mail server never delays the console.
    let mails = 0;
    for (const g of written) if (await this.mail(g, day)) mails++;
    return { notices: written.length, overdue: groups.reduce((n, g) => n + g.total, 0), mails };
  }

  /** Mails one agency its new notice; false when there is nothing to send or the server refused. */
  private async mail(g: OverdueGroup, day: string): Promise<boolean> {
    const m = this.d.mail;
    if (!m || g.agency === null) return false;
    const agency = m.agencies.find((a) => a.id === g.agency);
    if (!agency?.email) return false;
    const message: MailMessage = { to: agency.email, ...overdueMail({ agency, total: g.total, codes: g.codes, day, publicUrl: m.publicUrl, ioc: m.ioc }, m.t) };
    try {
      await m.mailer.send(message);
      return true;
    } catch (err) {
      // By agency id: never the address (it may be a person's mailbox) nor the server's own text (which may repeat it).
      if (err instanceof PlatformApiError) {
        this.d.logger.warn({ agency: agency.id, code: err.code, action: err.action, reply: err.status, err: err.message }, 'overdue reminder e-mail not sent');
      } else {
        this.d.logger.error({ agency: agency.id, err: err instanceof Error ? err.name : typeof err }, 'overdue reminder e-mail failed');
      }
      return false;
    }
  }
}

/**
 * The reminder mail of one agency: subject, greeting, the count, a link to its overdue list and
 * each listed code with a link to its page. Report codes only: nothing a resident wrote, no
 * address, no photo, so the mail may sit in any inbox.
 */
export function overdueMail(
  r: { agency: Pick<Agency, 'id' | 'name'>; total: number; codes: readonly string[]; day: string; publicUrl: string; ioc: string },
  t: Translate,
): Pick<MailMessage, 'subject' | 'text'> {
  const base = r.publicUrl.replace(/\/+$/, '');
  const date = r.day.split('-').reverse().join('/');
  const listUrl = `${base}/console/reports?overdue=true&agency=${encodeURIComponent(r.agency.id)}`;
  const more = r.total - r.codes.length;
  const lines = [
    t('console:reports.notices.mail.greeting', { agency: r.agency.name.vi }),
    '',
    t('console:reports.notices.mail.summary', { date, count: r.total }),
    t('console:reports.notices.mail.list', { url: listUrl }),
    '',
    t('console:reports.notices.mail.codes'),
    ...r.codes.map((code) => `- ${code}: ${base}/console/reports/${encodeURIComponent(code)}`),
    ...(more > 0 ? [t('console:reports.notices.mail.more', { count: more })] : []),
    '',
    '-- ',
    t('console:reports.notices.mail.footer', { ioc: r.ioc }),
  ];
  return { subject: t('console:reports.notices.mail.subject', { date, count: r.total }), text: `${lines.join('\n')}\n` };
}

/** `YYYY-MM-DD` of `at` in the city's time zone. */
export function cityDay(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * The notices a staff user sees: the IOC (admin, operator) every agency's and the unassigned
 * queue's; an agency user their agencies'; other roles none.
 */
export class StaffNoticeQueries {
  constructor(private readonly notices: Pick<StaffNoticesRepo, 'recent'>) {}

  forActor(actor: StaffActor, limit = 30): Promise<StaffNotice[]> {
    if (can(actor.role, 'reports.triage')) return this.notices.recent({ agencies: 'all', ioc: true }, limit);
    if (actor.role === 'agency' && actor.agencies.length > 0) return this.notices.recent({ agencies: actor.agencies, ioc: false }, limit);
    return Promise.resolve([]);
  }
}
