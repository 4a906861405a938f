/**
 * Changing a report's status: the lifecycle decides, the repository writes the change and its
 * history event together, and a public change queues the resident's notice (durably, on the jobs
 * module). Every other way of changing a report (assign, rate, reopen, close) goes through here.
 */
import type { CityProfile } from '../domain/city-profile';
import { decideTransition, LifecycleError, mayAttempt, type TransitionRequest } from '../domain/reports/lifecycle';
import type { Clock, ReportsRepo } from '../domain/reports/ports';
import type { Report } from '../domain/reports/report';
import { DomainError } from '../domain/shared/errors';
import type { Actor } from '../domain/staff/actor';
import type { JobSender } from '../jobs/job-queue';
import { residentNotice } from '../jobs/queues';

export interface ChangeStatusDeps {
  readonly reports: ReportsRepo;
  readonly jobs: JobSender;
  readonly city: Pick<CityProfile, 'agencies'>;
  readonly clock: Clock;
  /** Days after `resolved` during which the resident may say it is not fixed (REOPEN_DAYS). */
  readonly reopenDays: number;
}

export interface StatusChanged {
  readonly report: Report;
  readonly eventId: string;
}

export class ChangeStatus {
  private readonly agencies: ReadonlySet<string>;

  constructor(private readonly d: ChangeStatusDeps) {
    this.agencies = new Set(d.city.agencies.map((a) => a.id));
  }

  /**
   * Applies `request` to the report `code` on behalf of `actor`.
   * @throws LifecycleError (forbidden / conflict / invalid) and DomainError `report.not-found`.
   */
  async execute(code: string, request: TransitionRequest, actor: Actor): Promise<StatusChanged> {
    if (!mayAttempt(actor, request.to)) throw new LifecycleError('lifecycle.forbidden', `this user may not move a report to ${request.to}`);
    const report = await this.d.reports.findByCode(code);
    if (!report) throw new DomainError('report.not-found', `there is no report ${code}`);
    return this.apply(report, request, actor);
  }

  /** As {@link execute}, for a report already read. */
  async apply(report: Report, request: TransitionRequest, actor: Actor): Promise<StatusChanged> {
    const duplicateTarget = request.to === 'duplicate' && request.duplicateOf ? await this.d.reports.findByCode(request.duplicateOf.trim()) : null;
    const transition = decideTransition(report, request, actor, { now: this.d.clock.now(), reopenDays: this.d.reopenDays, agencies: this.agencies }, duplicateTarget);
    const out = await this.d.reports.applyTransition(report.id, transition);
    if (transition.notifyResident) await this.d.jobs.send(residentNotice, { reportId: out.report.id, eventId: out.eventId });
    return out;
  }
}
