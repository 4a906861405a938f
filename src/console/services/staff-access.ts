/**
 * Signing in and proving who you are: password sign-in (console and `POST /api/staff/v1/tokens`)
 * with lock-out, token issuance, and resolving a bearer token or API key to an actor.
 *
 * Lock-out: `maxFailures` consecutive failed sign-ins lock an email for `lockMinutes`; while locked,
 * even the right password is refused. Known accounts keep their count in `staff_users` (shared by
 * every process, surviving restarts; an admin can unlock). Unknown emails get the same treatment
 * from an in-process counter, so the answers never tell whether an account exists: "wrong email or
 * password" for a failure, "locked, try again later" for the failure that reaches the limit and
 * every attempt until the lock ends.
 */
import { isStaffRole, type StaffActor } from '../../domain/staff/actor';
import { emailKey, PASSWORD_MAX_LENGTH } from '../../domain/staff/accounts';
import type { AuditLog } from '../../domain/staff/audit';
import type { StaffApiKeysRepo, StaffTokensRepo, StaffUser, StaffUsersRepo } from '../../domain/staff/ports';
import type { Clock } from '../../domain/reports/ports';
import type { Logger } from '../../logger';
import type { StaffAuthContext } from '../auth/context';
import { verifyPassword } from '../auth/passwords';
import { newToken, parseBearer, safeEqual, sha256Hex } from '../auth/secrets';

export type SignInOutcome =
  | { readonly kind: 'signed-in'; readonly user: StaffUser }
  /** Wrong email or password, no password yet, or a deactivated account: one answer for all. */
  | { readonly kind: 'refused' }
  | { readonly kind: 'locked'; readonly until: Date };

export interface SignInContext {
  readonly ip: string | null;
  /** Where the attempt came from (audit detail). */
  readonly via: 'console' | 'token';
}

export interface StaffAccessDeps {
  readonly users: StaffUsersRepo;
  readonly tokens: StaffTokensRepo;
  readonly apiKeys: StaffApiKeysRepo;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly maxFailures: number;
  readonly lockMinutes: number;
  /** Lifetime of an API token (at most 12 hours). */
  readonly tokenHours: number;
}

/** The actor of a staff user. */
export function staffActor(u: Pick<StaffUser, 'id' | 'role' | 'agencies' | 'wards'>): StaffActor {
  return { kind: 'staff', id: u.id, role: u.role, agencies: [...u.agencies], wards: [...u.wards] };
}

export const MAX_TOKEN_HOURS = 12;

export class StaffAccess {
  private readonly unknown: UnknownEmailFailures;

  constructor(private readonly d: StaffAccessDeps) {
    if (d.tokenHours > MAX_TOKEN_HOURS) throw new Error(`tokens live at most ${MAX_TOKEN_HOURS} hours; set STAFF_TOKEN_HOURS to ${MAX_TOKEN_HOURS} or less`);
    this.unknown = new UnknownEmailFailures(d.maxFailures, d.lockMinutes * 60_000);
  }

  get lockMinutes(): number {
    return this.d.lockMinutes;
  }

  /** Whole seconds from now until `until` (at least 1), for `Retry-After`. */
  secondsUntil(until: Date): number {
    return Math.max(1, Math.ceil((until.getTime() - this.d.clock.now().getTime()) / 1000));
  }

  /** One password sign-in attempt, audited (never with the password). */
  async signIn(rawEmail: unknown, rawPassword: unknown, ctx: SignInContext): Promise<SignInOutcome> {
    const now = this.d.clock.now();
    const email = typeof rawEmail === 'string' ? rawEmail.normalize('NFC').trim().slice(0, 320) : '';
    const password = typeof rawPassword === 'string' ? rawPassword.slice(0, PASSWORD_MAX_LENGTH * 4) : '';
    const found = email === '' ? null : await this.d.users.findByEmail(email);
    const details = { via: ctx.via };

    if (!found) {
      const lockedUntil = this.unknown.lockedUntil(emailKey(email), now);
      if (lockedUntil) {
        await this.d.audit.record({ actor: null, action: 'login.locked', details, ip: ctx.ip });
        return { kind: 'locked', until: lockedUntil };
      }
      await verifyPassword(null, password);
      const lockedNow = this.unknown.fail(emailKey(email), now);
      await this.d.audit.record({ actor: null, action: 'login.failure', details: { ...details, reason: 'unknown-account' }, ip: ctx.ip });
      return lockedNow ? { kind: 'locked', until: lockedNow } : { kind: 'refused' };
    }

    const { user, passwordHash } = found;
    const target = { kind: 'staff-user', id: user.id };
    if (user.lockedUntil && user.lockedUntil > now) {
      await this.d.audit.record({ actor: null, action: 'login.locked', target, details, ip: ctx.ip });
      return { kind: 'locked', until: user.lockedUntil };
    }
    const ok = await verifyPassword(passwordHash, password);
    if (ok && user.active) {
      await this.d.users.recordLoginSuccess(user.id, now);
      await this.d.audit.record({ actor: staffActor(user), action: 'login.success', target, details, ip: ctx.ip });
      return { kind: 'signed-in', user };
    }
    const reason = !user.active ? 'inactive' : passwordHash === null ? 'no-password' : 'wrong-password';
    await this.d.audit.record({ actor: null, action: 'login.failure', target, details: { ...details, reason }, ip: ctx.ip });
    const { lockedUntil } = await this.d.users.recordLoginFailure(user.id, now, this.d.maxFailures, this.d.lockMinutes * 60_000);
    if (lockedUntil) {
      this.d.logger.warn({ userId: user.id, until: lockedUntil.toISOString() }, 'staff account locked after repeated failed sign-ins');
      await this.d.audit.record({ actor: { kind: 'system', id: 'sign-in' }, action: 'login.lockout', target, details: { ...details, minutes: this.d.lockMinutes }, ip: ctx.ip });
      return { kind: 'locked', until: lockedUntil };
    }
    return { kind: 'refused' };
  }

  /** `POST /api/staff/v1/tokens`: a sign-in that yields a bearer token valid `tokenHours` (≤ 12 h). */
  async issueToken(email: unknown, password: unknown, ip: string | null): Promise<{ readonly kind: 'issued'; readonly token: string; readonly expiresAt: Date } | Exclude<SignInOutcome, { kind: 'signed-in' }>> {
    const outcome = await this.signIn(email, password, { ip, via: 'token' });
    if (outcome.kind !== 'signed-in') return outcome;
    const now = this.d.clock.now();
    const token = newToken();
    const expiresAt = new Date(now.getTime() + this.d.tokenHours * 3_600_000);
    await this.d.tokens.issue({ userId: outcome.user.id, tokenHash: sha256Hex(token), now, expiresAt });
    await this.d.audit.record({ actor: staffActor(outcome.user), action: 'token.issue', target: { kind: 'staff-user', id: outcome.user.id }, details: { expiresAt: expiresAt.toISOString() }, ip });
    return { kind: 'issued', token, expiresAt };
  }

  /**
   * The context of a bearer credential, or null when it is malformed, unknown, expired, revoked, or
   * belongs to a deactivated user. Looked up on every request, so revocation takes effect at once.
   */
  async resolveBearer(raw: string): Promise<StaffAuthContext | null> {
    const parsed = parseBearer(raw);
    if (!parsed) return null;
    const now = this.d.clock.now();
    if (parsed.kind === 'token') {
      const t = await this.d.tokens.findValid(sha256Hex(parsed.token), now);
      const user = t ? await this.d.users.findById(t.userId) : null;
      if (!user || !user.active) return null;
      return { actor: staffActor(user), via: 'token', user, apiKey: null };
    }
    const found = await this.d.apiKeys.findActive(parsed.id);
    if (!found || !safeEqual(sha256Hex(parsed.secret), found.secretHash) || !isStaffRole(found.key.role)) return null;
    await this.d.apiKeys.touch(found.key.id, now);
    const k = found.key;
    return { actor: { kind: 'integration', id: k.id, role: k.role, agencies: [...k.agencies], wards: [...k.wards] }, via: 'api-key', user: null, apiKey: k };
  }

  /** The signed-in user of a session, if still active (a deactivated user's sessions stop at once). */
  async sessionUser(userId: string): Promise<StaffUser | null> {
    const user = await this.d.users.findById(userId);
    return user && user.active ? user : null;
  }
}

/** Failed sign-ins of emails without an account, counted like accounts' (bounded memory). */
class UnknownEmailFailures {
  private readonly entries = new Map<string, { failures: number; lockedUntil: Date | null }>();
  private static readonly MAX_ENTRIES = 10_000;

  constructor(private readonly maxFailures: number, private readonly lockMs: number) {}

  lockedUntil(key: string, now: Date): Date | null {
    const e = this.entries.get(key);
    if (!e?.lockedUntil) return null;
    if (e.lockedUntil > now) return e.lockedUntil;
    this.entries.delete(key);
    return null;
  }

  /** Counts a failure; returns the lock when this failure reached the limit. */
  fail(key: string, now: Date): Date | null {
    const e = this.entries.get(key) ?? { failures: 0, lockedUntil: null };
    e.failures += 1;
    if (e.failures >= this.maxFailures) {
      e.failures = 0;
      e.lockedUntil = new Date(now.getTime() + this.lockMs);
    }
    this.entries.delete(key);
    if (this.entries.size >= UnknownEmailFailures.MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, e);
    return e.lockedUntil && e.failures === 0 ? e.lockedUntil : null;
  }
}
