/**
 * The daily overdue reminder (job `overdue-reminders`, 07:00 city time): every agency with open
 * reports past their due time gets one console notice for the day (how many, the most overdue
 * codes); reports not yet assigned give the IOC's queue its own notice. Running twice on a day (a
 * retried job, two processes) writes nothing new.
 *
 * E-mail: only when SMTP is configured, and no mailer is installed yet, so notices live in the
 * console (the reports list shows them to the agency, `/console/notices` lists them). The design
 * for e-mail is in `src/console/reports/README.md` ("Overdue reminders").
 */
import type { Clock } from '../domain/reports/ports';
import type { StaffNotice, StaffNoticesRepo, StaffReportsRepo } from '../domain/reports/report-desk';
import type { StaffActor } from '../domain/staff/actor';
import { can } from '../domain/staff/permissions';

/** How many report codes a notice lists (the most overdue first). */
export const CODES_PER_NOTICE = 20;

export class RemindOverdue {
  constructor(private readonly d: { reports: Pick<StaffReportsRepo, 'overdueByAgency'>; notices: StaffNoticesRepo; clock: Clock; timezone: string }) {}

  /** Writes today's notices; returns how many were new. */
  async run(): Promise<{ notices: number; overdue: number }> {
    const now = this.d.clock.now();
    const day = cityDay(now, this.d.timezone);
    const groups = await this.d.reports.overdueByAgency(now, CODES_PER_NOTICE);
    let notices = 0;
    for (const g of groups) {
      if (await this.d.notices.record({ createdAt: now, day, kind: 'overdue', agency: g.agency, total: g.total, reportCodes: g.codes })) notices++;
    }
    return { notices, overdue: groups.reduce((n, g) => n + g.total, 0) };
  }
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
