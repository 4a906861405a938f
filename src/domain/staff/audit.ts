/**
 * The audit log: who did what to what, and when. One writer (`AuditLog.record`), called for every
 * sign-in, sign-out, token issued, change of a user or an API key, and by the other staff use cases
 * for every change they make (assign, resolve, broadcast…).
 *
 * What an entry may hold: the actor (a staff user, an integration key, the system, or `anonymous`
 * for a failed sign-in), a dotted action (`user.create`, `report.assign`), the target's kind and id,
 * and small details that *name* things (a role, an agency id, a report code, a status). Never a
 * resident's personal data (name, phone, platform id, message text, address), never a password,
 * token or key: {@link cleanAuditDetails} drops such keys as a second line of defence.
 */
import type { Actor } from './actor';

/** Actions this module writes; other use cases add their own (`report.assign`, `broadcast.approve`). */
export type StaffAuditAction =
  | 'login.success'
  | 'login.failure'
  | 'login.lockout'
  | 'login.locked'
  | 'session.logout'
  | 'token.issue'
  | 'user.create'
  | 'user.update'
  | 'user.deactivate'
  | 'user.reactivate'
  | 'user.unlock'
  | 'user.password-link'
  | 'user.password-set'
  | 'api-key.create'
  | 'api-key.revoke';

/** `area.verb`, lower case: `user.create`, `report.assign`, `api-key.revoke`. */
export const AUDIT_ACTION_RE = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

export type AuditDetailValue = string | number | boolean | null | readonly string[];

export interface AuditEntry {
  /** Who acted; `null` for an anonymous request (a failed sign-in with an unknown email). */
  readonly actor: Actor | null;
  readonly action: StaffAuditAction | (string & {});
  /** What was acted on: `{ kind: 'staff-user', id: '12' }`, `{ kind: 'report', id: 'PA-7K3M9Q' }`. */
  readonly target?: { readonly kind: string; readonly id: string } | null;
  readonly details?: Readonly<Record<string, AuditDetailValue>>;
  /** The client's address (staff requests only; never a resident's). */
  readonly ip?: string | null;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'actor'>> {
  readonly id: string;
  readonly at: Date;
  readonly actorKind: Actor['kind'] | 'anonymous';
  readonly actorId: string | null;
}

/** The audit port: one writer, and the newest entries for the console's audit page. */
export interface AuditLog {
  /** Writes one entry. Throws on an action that is not `area.verb`. */
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  recent(limit: number, filter?: { readonly action?: string; readonly targetKind?: string; readonly targetId?: string }): Promise<AuditRecord[]>;
}

const FORBIDDEN_DETAIL = /pass(word)?|secret|token|^key$|phone|^text$|message|address|psid|platform|resident_?name|^lat$|^lng$/i;

/** Details without keys that could carry secrets or residents' data; the names of dropped keys. */
export function cleanAuditDetails(details: Readonly<Record<string, AuditDetailValue>> | undefined): { details: Record<string, AuditDetailValue>; dropped: string[] } {
  const out: Record<string, AuditDetailValue> = {};
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(details ?? {})) {
    if (FORBIDDEN_DETAIL.test(k)) dropped.push(k);
    else out[k] = v;
  }
  return { details: out, dropped };
}
