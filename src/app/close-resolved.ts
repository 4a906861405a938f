/** Scheduled: reports resolved more than REOPEN_DAYS ago that the resident never answered are closed. */
import { systemActor } from '../domain/staff/actor';
import type { Clock, ReportsRepo } from '../domain/reports/ports';
import { LifecycleError } from '../domain/reports/lifecycle';
import type { ChangeStatus } from './change-status';

export class CloseResolved {
  constructor(private readonly d: { reports: ReportsRepo; changeStatus: ChangeStatus; clock: Clock; reopenDays: number }) {}

  /** Closes every report whose reopen window has passed; returns how many. */
  async run(batch = 500): Promise<number> {
    const cutoff = new Date(this.d.clock.now().getTime() - this.d.reopenDays * 86_400_000);
    let closed = 0;
    for (;;) {
      const ids = await this.d.reports.resolvedBefore(cutoff, batch);
      if (ids.length === 0) return closed;
      for (const id of ids) {
        const report = await this.d.reports.findById(id);
        if (!report) continue;
        try {
          await this.d.changeStatus.apply(report, { to: 'closed' }, systemActor('close-resolved-reports'));
          closed++;
        } catch (err) {
          // Reopened or closed by the resident meanwhile: nothing to do.
          if (!(err instanceof LifecycleError)) throw err;
        }
      }
      if (ids.length < batch) return closed;
    }
  }
}
