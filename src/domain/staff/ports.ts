/**
 * Ports of staff accounts and access, implemented in `src/storage/staff-*.ts`. Times are passed in
 * (the application clock), so lock-outs and expiries are decided by the caller's `now`, not the
 * database's. Secrets never cross these ports: only argon2id hashes of passwords and SHA-256 hashes
 * of random tokens and keys.
 */
import type { StaffRole, StaffScope } from './actor';

export interface StaffUser extends StaffScope {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly active: boolean;
  /** false until the user has set a password through their one-time link. */
  readonly hasPassword: boolean;
  readonly failedLogins: number;
  readonly lockedUntil: Date | null;
  readonly lastLoginAt: Date | null;
  readonly devAccount: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a sign-in needs: the user and their password hash. */
export interface StaffUserCredentials {
  readonly user: StaffUser;
  readonly passwordHash: string | null;
}

export interface NewStaffUser extends StaffScope {
  readonly email: string;
  readonly displayName: string;
  readonly passwordHash: string | null;
  readonly devAccount?: boolean;
  readonly now: Date;
}

export interface StaffUserChanges {
  readonly displayName?: string;
  readonly role?: StaffRole;
  readonly agencies?: readonly string[];
  readonly wards?: readonly string[];
  readonly active?: boolean;
}

export interface StaffUsersRepo {
  findById(id: string): Promise<StaffUser | null>;
  /** Case-insensitive. */
  findByEmail(email: string): Promise<StaffUserCredentials | null>;
  list(): Promise<StaffUser[]>;
  /** `email-taken` when the email exists whatever its case. */
  create(input: NewStaffUser): Promise<StaffUser | 'email-taken'>;
  update(id: string, changes: StaffUserChanges, now: Date): Promise<StaffUser | null>;
  setPassword(id: string, passwordHash: string, now: Date): Promise<void>;
  /** Clears failures and any lock, stamps the sign-in time. */
  recordLoginSuccess(id: string, now: Date): Promise<void>;
  /**
   * Counts a failed sign-in atomically. At `maxFailures` consecutive failures the account is locked
   * until `now + lockMs` and the counter starts again. Returns the lock, if this failure set one.
   */
  recordLoginFailure(id: string, now: Date, maxFailures: number, lockMs: number): Promise<{ readonly lockedUntil: Date | null }>;
  unlock(id: string, now: Date): Promise<void>;
  /** Active admins other than `exceptId` (the last admin may not be demoted or deactivated). */
  countActiveAdmins(exceptId?: string): Promise<number>;
  findDevAccount(): Promise<StaffUser | null>;
}

export interface StaffTokensRepo {
  issue(t: { readonly userId: string; readonly tokenHash: string; readonly now: Date; readonly expiresAt: Date }): Promise<void>;
  /** The user of a token that has not expired at `now`. */
  findValid(tokenHash: string, now: Date): Promise<{ readonly userId: string; readonly expiresAt: Date } | null>;
  revokeAllFor(userId: string): Promise<number>;
}

export interface ApiKeyRecord extends StaffScope {
  readonly id: string;
  readonly name: string;
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface StaffApiKeysRepo {
  /** `name-taken` when a key in use has the same name (whatever its case). */
  create(k: StaffScope & { readonly name: string; readonly secretHash: string; readonly createdBy: string | null; readonly now: Date }): Promise<ApiKeyRecord | 'name-taken'>;
  /** A key that is not revoked, with its secret's hash. */
  findActive(id: string): Promise<{ readonly key: ApiKeyRecord; readonly secretHash: string } | null>;
  findById(id: string): Promise<ApiKeyRecord | null>;
  /** Newest first, revoked ones included. */
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string, now: Date): Promise<'revoked' | 'already-revoked' | 'not-found'>;
  /** Stamps the last use (at most once a minute per key). */
  touch(id: string, now: Date): Promise<void>;
}

export interface PasswordLinksRepo {
  /** Stores a new link and voids the user's earlier unused ones. */
  create(l: { readonly userId: string; readonly tokenHash: string; readonly createdBy: string | null; readonly now: Date; readonly expiresAt: Date }): Promise<void>;
  /** The user of an unused, unexpired link (does not use it). */
  peek(tokenHash: string, now: Date): Promise<{ readonly userId: string } | null>;
  /**
   * Uses the link and sets the password in one transaction; also clears the lock. Null when the
   * link is unknown, used or expired (a second use of the same link gets null).
   */
  consume(tokenHash: string, passwordHash: string, now: Date): Promise<{ readonly userId: string } | null>;
}

/** Console sessions, as far as the rules need them. */
export interface StaffSessionsPort {
  /** Ends every console session of a user (deactivated, password changed). */
  destroyAllFor(userId: string): Promise<number>;
}
