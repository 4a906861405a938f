/**
 * The resident's answer to a resolution: confirming it (then rating it 1–5, which closes the
 * report, with an optional comment after) or saying it is not fixed (which reopens it).
 */
import type { ReportsRepo } from '../domain/reports/ports';
import { DomainError } from '../domain/shared/errors';
import type { Actor } from '../domain/staff/actor';
import type { ChangeStatus, StatusChanged } from './change-status';

export class ResidentVerdict {
  constructor(private readonly d: { changeStatus: ChangeStatus; reports: ReportsRepo }) {}

  /** Rates a resolved report and closes it. */
  async rate(code: string, residentId: string, rating: number): Promise<StatusChanged> {
    return this.d.changeStatus.execute(code, { to: 'closed', rating }, this.resident(residentId));
  }

  /** Attaches a comment to the rating the resident just gave. */
  async comment(code: string, residentId: string, text: string): Promise<void> {
    const r = await this.d.reports.findByCode(code);
    if (!r || r.residentId !== residentId) throw new DomainError('report.not-found', `there is no report ${code} of this resident`);
    const comment = text.normalize('NFC').trim().slice(0, 1000);
    if (comment) await this.d.reports.setRatingComment(r.id, comment);
  }

  /** The resident says the problem is not fixed: back to in progress, flagged reopened. */
  async reopen(code: string, residentId: string): Promise<StatusChanged> {
    return this.d.changeStatus.execute(code, { to: 'in_progress' }, this.resident(residentId));
  }

  private resident(id: string): Actor {
    return { kind: 'resident', id };
  }
}
