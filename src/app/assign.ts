/** Routing a report to an agency (IOC triage, or re-routing). */
import type { Actor } from '../domain/staff/actor';
import type { ChangeStatus, StatusChanged } from './change-status';

export function assignReport(changeStatus: ChangeStatus) {
  return (code: string, agency: string, actor: Actor, notes: { note?: string | null; internalNote?: string | null } = {}): Promise<StatusChanged> =>
    changeStatus.execute(code, { to: 'assigned', agency, ...notes }, actor);
}
