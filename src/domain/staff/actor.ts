/**
 * Who does something to a report: a resident (in their chat), a staff user (console), an
 * integration (an API key of the IOC's systems) or the system itself (scheduled jobs).
 */

/** Staff roles, most powerful first. */
export const STAFF_ROLES = ['admin', 'operator', 'agency', 'communications', 'viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const isStaffRole = (v: unknown): v is StaffRole => typeof v === 'string' && (STAFF_ROLES as readonly string[]).includes(v);

/** What a staff user or an integration key may see and act on. */
export interface StaffScope {
  readonly role: StaffRole;
  /** For `agency` users: the agency ids they are focal officer of. */
  readonly agencies: readonly string[];
  /** For `agency` users: the ward codes they are focal officer of. */
  readonly wards: readonly string[];
}

export type Actor =
  | { readonly kind: 'resident'; readonly id: string }
  | ({ readonly kind: 'staff'; readonly id: string } & StaffScope)
  | ({ readonly kind: 'integration'; readonly id: string } & StaffScope)
  | { readonly kind: 'system'; readonly id: string };

export type StaffActor = Extract<Actor, { kind: 'staff' | 'integration' }>;

export const isStaffActor = (a: Actor): a is StaffActor => a.kind === 'staff' || a.kind === 'integration';

/** The system actor of a scheduled job (`id` names the job). */
export const systemActor = (job: string): Actor => ({ kind: 'system', id: job });
