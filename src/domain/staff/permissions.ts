/**
 * What each staff role may do: the one permission matrix the server checks on every console page
 * and every `/api/staff/v1` call (`requireCapability` in `src/console/auth`), and that the console
 * uses to show only what a role may do. Pure.
 *
 * | capability          | admin | operator | agency  | communications | viewer |
 * |---------------------|-------|----------|---------|----------------|--------|
 * | `reports.read`      | all   | all      | own ¹   | resolved ²     | all    |
 * | `reports.triage`    | ✓     | ✓        |         |                |        |
 * | `reports.work`      | ✓     | ✓        | own ¹   |                |        |
 * | `handovers.handle`  | ✓     | ✓        |         |                |        |
 * | `broadcasts.compose`| ✓     |          |         | ✓              |        |
 * | `broadcasts.approve`| ✓     |          |         | ✓              |        |
 * | `users.manage`      | ✓     |          |         |                |        |
 * | `api-keys.manage`   | ✓     |          |         |                |        |
 * | `settings.manage`   | ✓     |          |         |                |        |
 * | `audit.read`        | ✓     |          |         |                |        |
 * | `health.read`       | ✓     |          |         |                |        |
 *
 * ¹ reports routed to one of the user's agencies or located in one of their wards ({@link reportVisibility});
 * ² resolved and closed reports only.
 *
 * `reports.triage` is the IOC's work: assign, re-route, mark duplicate, reject a report not yet
 * assigned, reopen a resolved one. `reports.work` is starting, resolving and rejecting. The report
 * lifecycle (`domain/reports/lifecycle.ts`) decides each transition with the same roles; a unit test
 * keeps the two in step.
 */
import type { StaffRole, StaffScope } from './actor';

export const CAPABILITIES = [
  'reports.read',
  'reports.triage',
  'reports.work',
  'handovers.handle',
  'broadcasts.compose',
  'broadcasts.approve',
  'users.manage',
  'api-keys.manage',
  'settings.manage',
  'audit.read',
  'health.read',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const isCapability = (v: unknown): v is Capability => typeof v === 'string' && (CAPABILITIES as readonly string[]).includes(v);

const MATRIX: Readonly<Record<StaffRole, readonly Capability[]>> = {
  admin: CAPABILITIES,
  operator: ['reports.read', 'reports.triage', 'reports.work', 'handovers.handle'],
  agency: ['reports.read', 'reports.work'],
  communications: ['reports.read', 'broadcasts.compose', 'broadcasts.approve'],
  viewer: ['reports.read'],
};

/** Whether a role has a capability (for scoped capabilities, see {@link reportVisibility}). */
export function can(role: StaffRole, capability: Capability): boolean {
  return MATRIX[role].includes(capability);
}

/** Every capability of a role, in the order of {@link CAPABILITIES}. */
export function capabilitiesOf(role: StaffRole): readonly Capability[] {
  return CAPABILITIES.filter((c) => can(role, c));
}

/** Which reports a scope may read. Report lists and pages filter with it. */
export type ReportVisibility =
  | { readonly kind: 'all' }
  | { readonly kind: 'routed'; readonly agencies: readonly string[]; readonly wards: readonly string[] }
  | { readonly kind: 'statuses'; readonly statuses: readonly string[] };

/** Statuses the communications role sees: what was fixed, for broadcasts. */
export const COMMUNICATIONS_STATUSES = ['resolved', 'closed'] as const;

export function reportVisibility(scope: StaffScope): ReportVisibility {
  switch (scope.role) {
    case 'admin':
    case 'operator':
    case 'viewer':
      return { kind: 'all' };
    case 'agency':
      return { kind: 'routed', agencies: scope.agencies, wards: scope.wards };
    case 'communications':
      return { kind: 'statuses', statuses: COMMUNICATIONS_STATUSES };
  }
}

/** Whether a scope may read one report. */
export function maySeeReport(scope: StaffScope, report: { readonly status: string; readonly agency: string | null; readonly ward: string | null }): boolean {
  const v = reportVisibility(scope);
  switch (v.kind) {
    case 'all':
      return true;
    case 'routed':
      return (report.agency !== null && v.agencies.includes(report.agency)) || (report.ward !== null && v.wards.includes(report.ward));
    case 'statuses':
      return v.statuses.includes(report.status);
  }
}
