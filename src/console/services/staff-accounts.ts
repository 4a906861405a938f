/**
 * Managing people and machine access (admins): staff users and their roles and scopes, one-time
 * links to set a password, deactivation and unlocking, API keys. Every change is audited. Each
 * method checks the actor's capability itself (the routes' guards check it too), then the target
 * (404), the state (409) and the input (422), in that order where they can be told apart.
 */
import { can } from '../../domain/staff/permissions';
import type { StaffActor, StaffScope } from '../../domain/staff/actor';
import { checkEmail, checkName, checkPassword, checkScope, type AccountProblem } from '../../domain/staff/accounts';
import type { AuditLog } from '../../domain/staff/audit';
import type { ApiKeyRecord, PasswordLinksRepo, StaffApiKeysRepo, StaffSessionsPort, StaffTokensRepo, StaffUser, StaffUsersRepo } from '../../domain/staff/ports';
import type { Clock } from '../../domain/reports/ports';
import { hashPassword } from '../auth/passwords';
import { apiKeyString, randomSecret, sha256Hex } from '../auth/secrets';
import { invalid, StaffError } from './staff-errors';

export interface StaffAccountsDeps {
  readonly users: StaffUsersRepo;
  readonly tokens: StaffTokensRepo;
  readonly apiKeys: StaffApiKeysRepo;
  readonly links: PasswordLinksRepo;
  readonly sessions: StaffSessionsPort;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Agency ids of the city profile. */
  readonly agencies: ReadonlySet<string>;
  /** Origin the one-time links point at (PUBLIC_URL). */
  readonly publicUrl: string;
  readonly passwordLinkHours: number;
}

/** What a form or an API body says about a user. */
export interface UserInput {
  readonly email?: unknown;
  readonly displayName?: unknown;
  readonly role?: unknown;
  readonly agencies?: readonly unknown[];
  readonly wards?: readonly unknown[];
}

export interface ApiKeyInput {
  readonly name?: unknown;
  readonly role?: unknown;
  readonly agencies?: readonly unknown[];
  readonly wards?: readonly unknown[];
}

/** A one-time link to set a password, shown to the admin once. */
export interface PasswordLink {
  readonly url: string;
  readonly expiresAt: Date;
}

/** Where a request came from, for the audit log. */
export interface RequestOrigin {
  readonly ip: string | null;
}

export class StaffAccounts {
  constructor(private readonly d: StaffAccountsDeps) {}

  async listUsers(actor: StaffActor): Promise<StaffUser[]> {
    this.allow(actor, 'users.manage');
    return this.d.users.list();
  }

  async getUser(actor: StaffActor, id: string): Promise<StaffUser> {
    this.allow(actor, 'users.manage');
    return this.userOr404(id);
  }

  /** Creates a user without a password and returns the one-time link they set it with. */
  async createUser(actor: StaffActor, input: UserInput, origin: RequestOrigin): Promise<{ user: StaffUser; link: PasswordLink }> {
    this.allow(actor, 'users.manage');
    const email = checkEmail(input.email);
    if (email.ok && (await this.d.users.findByEmail(email.value))) throw new StaffError('staff.email-taken', 'a user with this email exists');
    const name = checkName(input.displayName, 'displayName');
    const scope = checkScope({ role: input.role, agencies: input.agencies, wards: input.wards }, this.d.agencies);
    const problems = [...problemsOf(email), ...problemsOf(name), ...problemsOf(scope)];
    if (!email.ok || !name.ok || !scope.ok) throw invalid(problems);
    const now = this.d.clock.now();
    const created = await this.d.users.create({ email: email.value, displayName: name.value, ...scope.value, passwordHash: null, now });
    if (created === 'email-taken') throw new StaffError('staff.email-taken', 'a user with this email exists');
    await this.d.audit.record({ actor, action: 'user.create', target: userTarget(created), details: scopeDetails(created), ip: origin.ip });
    const link = await this.newPasswordLink(actor, created, origin, 'create');
    return { user: created, link };
  }

  /** Changes a user's name, role and scope. The last active admin keeps the admin role. */
  async updateUser(actor: StaffActor, id: string, input: UserInput, origin: RequestOrigin): Promise<StaffUser> {
    this.allow(actor, 'users.manage');
    const before = await this.userOr404(id);
    if (before.role === 'admin' && input.role !== 'admin' && before.active && (await this.d.users.countActiveAdmins(before.id)) === 0) {
      throw new StaffError('staff.last-admin', 'the last active admin keeps the admin role; make someone else admin first');
    }
    const name = checkName(input.displayName, 'displayName');
    const scope = checkScope({ role: input.role, agencies: input.agencies, wards: input.wards }, this.d.agencies);
    if (!name.ok || !scope.ok) throw invalid([...problemsOf(name), ...problemsOf(scope)]);
    const after = await this.d.users.update(before.id, { displayName: name.value, ...scope.value }, this.d.clock.now());
    if (!after) throw new StaffError('staff.user-not-found', 'no such user');
    const changed = changedFields(before, after);
    await this.d.audit.record({ actor, action: 'user.update', target: userTarget(after), details: { changed, ...scopeDetails(after) }, ip: origin.ip });
    return after;
  }

  /**
   * Deactivates (ends their sessions and tokens at once) or reactivates a user. Nobody deactivates
   * themselves, and the last active admin stays.
   */
  async setActive(actor: StaffActor, id: string, active: boolean, origin: RequestOrigin): Promise<StaffUser> {
    this.allow(actor, 'users.manage');
    const user = await this.userOr404(id);
    if (!active && actor.kind === 'staff' && actor.id === user.id) throw new StaffError('staff.not-yourself', 'you cannot deactivate your own account');
    if (!active && user.role === 'admin' && user.active && (await this.d.users.countActiveAdmins(user.id)) === 0) {
      throw new StaffError('staff.last-admin', 'the last active admin cannot be deactivated');
    }
    if (user.active === active) return user;
    const after = await this.d.users.update(user.id, { active }, this.d.clock.now());
    if (!after) throw new StaffError('staff.user-not-found', 'no such user');
    if (!active) {
      await this.d.sessions.destroyAllFor(user.id);
      await this.d.tokens.revokeAllFor(user.id);
    }
    await this.d.audit.record({ actor, action: active ? 'user.reactivate' : 'user.deactivate', target: userTarget(user), ip: origin.ip });
    return after;
  }

  /** Lifts a lock-out before it ends by itself. */
  async unlock(actor: StaffActor, id: string, origin: RequestOrigin): Promise<StaffUser> {
    this.allow(actor, 'users.manage');
    const user = await this.userOr404(id);
    await this.d.users.unlock(user.id, this.d.clock.now());
    await this.d.audit.record({ actor, action: 'user.unlock', target: userTarget(user), ip: origin.ip });
    return this.userOr404(id);
  }

  /** Password reset by an admin: a new one-time link (earlier unused links stop working). */
  async issuePasswordLink(actor: StaffActor, id: string, origin: RequestOrigin): Promise<{ user: StaffUser; link: PasswordLink }> {
    this.allow(actor, 'users.manage');
    const user = await this.userOr404(id);
    if (!user.active) throw new StaffError('staff.user-inactive', 'this user is deactivated; reactivate them first');
    return { user, link: await this.newPasswordLink(actor, user, origin, 'reset') };
  }

  /** The user a one-time link is for, if it is still usable (for the page that asks for the password). */
  async passwordLinkUser(token: string): Promise<StaffUser | null> {
    const found = await this.d.links.peek(sha256Hex(token), this.d.clock.now());
    const user = found ? await this.d.users.findById(found.userId) : null;
    return user && user.active ? user : null;
  }

  /**
   * Sets a password through a one-time link. The link then stops working, and every session and
   * token of the user ends.
   */
  async setPasswordWithLink(token: string, password: unknown, confirm: unknown, origin: RequestOrigin): Promise<{ kind: 'set'; user: StaffUser } | { kind: 'invalid-link' } | { kind: 'invalid'; problems: readonly AccountProblem[] }> {
    const user = await this.passwordLinkUser(token);
    if (!user) return { kind: 'invalid-link' };
    const pw = checkPassword(password, confirm);
    if (!pw.ok) return { kind: 'invalid', problems: pw.problems };
    const used = await this.d.links.consume(sha256Hex(token), await hashPassword(pw.value), this.d.clock.now());
    if (!used) return { kind: 'invalid-link' };
    await this.d.sessions.destroyAllFor(used.userId);
    await this.d.tokens.revokeAllFor(used.userId);
    await this.d.audit.record({ actor: null, action: 'user.password-set', target: userTarget(user), details: { via: 'one-time-link' }, ip: origin.ip });
    return { kind: 'set', user };
  }

  async listApiKeys(actor: StaffActor): Promise<ApiKeyRecord[]> {
    this.allow(actor, 'api-keys.manage');
    return this.d.apiKeys.list();
  }

  /** Creates an API key; `key` is the only time its secret is seen. */
  async createApiKey(actor: StaffActor, input: ApiKeyInput, origin: RequestOrigin): Promise<{ record: ApiKeyRecord; key: string }> {
    this.allow(actor, 'api-keys.manage');
    const name = checkName(input.name, 'name');
    if (name.ok && (await this.d.apiKeys.list()).some((k) => k.revokedAt === null && k.name.toLowerCase() === name.value.toLowerCase())) {
      throw new StaffError('staff.name-taken', 'an API key in use has this name');
    }
    const scope = checkScope({ role: input.role, agencies: input.agencies, wards: input.wards }, this.d.agencies);
    if (!name.ok || !scope.ok) throw invalid([...problemsOf(name), ...problemsOf(scope)]);
    const secret = randomSecret();
    const record = await this.d.apiKeys.create({ name: name.value, ...scope.value, secretHash: sha256Hex(secret), createdBy: actor.kind === 'staff' ? actor.id : null, now: this.d.clock.now() });
    if (record === 'name-taken') throw new StaffError('staff.name-taken', 'an API key in use has this name');
    await this.d.audit.record({ actor, action: 'api-key.create', target: { kind: 'api-key', id: record.id }, details: { name: record.name, ...scopeDetails(record) }, ip: origin.ip });
    return { record, key: apiKeyString(record.id, secret) };
  }

  /** Revokes a key; the next request with it gets 401. */
  async revokeApiKey(actor: StaffActor, id: string, origin: RequestOrigin): Promise<ApiKeyRecord> {
    this.allow(actor, 'api-keys.manage');
    const outcome = await this.d.apiKeys.revoke(id, this.d.clock.now());
    if (outcome === 'not-found') throw new StaffError('staff.api-key-not-found', 'no such API key');
    if (outcome === 'already-revoked') throw new StaffError('staff.api-key-revoked', 'this API key is already revoked');
    const record = await this.d.apiKeys.findById(id);
    if (!record) throw new StaffError('staff.api-key-not-found', 'no such API key');
    await this.d.audit.record({ actor, action: 'api-key.revoke', target: { kind: 'api-key', id: record.id }, details: { name: record.name }, ip: origin.ip });
    return record;
  }

  private async newPasswordLink(actor: StaffActor, user: StaffUser, origin: RequestOrigin, reason: 'create' | 'reset'): Promise<PasswordLink> {
    const token = randomSecret();
    const now = this.d.clock.now();
    const expiresAt = new Date(now.getTime() + this.d.passwordLinkHours * 3_600_000);
    await this.d.links.create({ userId: user.id, tokenHash: sha256Hex(token), createdBy: actor.kind === 'staff' ? actor.id : null, now, expiresAt });
    await this.d.audit.record({ actor, action: 'user.password-link', target: userTarget(user), details: { reason, expiresAt: expiresAt.toISOString() }, ip: origin.ip });
    return { url: `${this.d.publicUrl}/console/password/${token}`, expiresAt };
  }

  private allow(actor: StaffActor, capability: 'users.manage' | 'api-keys.manage'): void {
    if (!can(actor.role, capability)) throw new StaffError('staff.forbidden', `a ${actor.role} may not manage ${capability === 'users.manage' ? 'users' : 'API keys'}`);
  }

  private async userOr404(id: string): Promise<StaffUser> {
    const user = await this.d.users.findById(id);
    if (!user) throw new StaffError('staff.user-not-found', 'no such user');
    return user;
  }
}

const userTarget = (u: { id: string }) => ({ kind: 'staff-user', id: u.id });

const scopeDetails = (s: StaffScope) => ({ role: s.role, agencies: [...s.agencies], wards: [...s.wards] });

function problemsOf(c: { ok: true } | { ok: false; problems: readonly AccountProblem[] }): readonly AccountProblem[] {
  return c.ok ? [] : c.problems;
}

function changedFields(a: StaffUser, b: StaffUser): string[] {
  const out: string[] = [];
  if (a.displayName !== b.displayName) out.push('displayName');
  if (a.role !== b.role) out.push('role');
  if (a.agencies.join(',') !== b.agencies.join(',')) out.push('agencies');
  if (a.wards.join(',') !== b.wards.join(',')) out.push('wards');
  return out;
}
