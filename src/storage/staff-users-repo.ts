/**
 * Staff users (`staff_users`): accounts, roles and scopes, password hashes, failed sign-ins and
 * lock-outs. Emails are unique whatever their case (`lower(email)` index).
 */
import type { StaffRole } from '../domain/staff/actor';
import type { NewStaffUser, StaffUser, StaffUserChanges, StaffUserCredentials, StaffUsersRepo } from '../domain/staff/ports';
import type { Queryable } from './db';

interface Row {
  id: string;
  email: string;
  display_name: string;
  role: StaffRole;
  agencies: string[];
  wards: string[];
  password_hash: string | null;
  active: boolean;
  failed_logins: number;
  locked_until: Date | null;
  last_login_at: Date | null;
  dev_account: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id::text AS id, email, display_name, role, agencies, wards, password_hash, active, failed_logins, locked_until, last_login_at, dev_account, created_at, updated_at';

const toUser = (r: Row): StaffUser => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  agencies: r.agencies,
  wards: r.wards,
  active: r.active,
  hasPassword: r.password_hash !== null,
  failedLogins: r.failed_logins,
  lockedUntil: r.locked_until,
  lastLoginAt: r.last_login_at,
  devAccount: r.dev_account,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Ids are bigint identities; anything else cannot name a user (and must not reach SQL as a bigint). */
export const isRowId = (id: string): boolean => /^[1-9][0-9]{0,17}$/.test(id);

export class PgStaffUsersRepo implements StaffUsersRepo {
  constructor(private readonly db: Queryable) {}

  async findById(id: string): Promise<StaffUser | null> {
    if (!isRowId(id)) return null;
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM staff_users WHERE id = $1`, [id]);
    return r.rows[0] ? toUser(r.rows[0]) : null;
  }

  async findByEmail(email: string): Promise<StaffUserCredentials | null> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM staff_users WHERE lower(email) = lower($1)`, [email.trim()]);
    const row = r.rows[0];
    return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
  }

  async list(): Promise<StaffUser[]> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM staff_users ORDER BY active DESC, lower(display_name), id`);
    return r.rows.map(toUser);
  }

  async create(u: NewStaffUser): Promise<StaffUser | 'email-taken'> {
    const r = await this.db.query<Row>(
      `INSERT INTO staff_users (email, display_name, role, agencies, wards, password_hash, dev_account, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT ((lower(email))) DO NOTHING
       RETURNING ${COLUMNS}`,
      [u.email, u.displayName, u.role, [...u.agencies], [...u.wards], u.passwordHash, u.devAccount ?? false, u.now],
    );
    return r.rows[0] ? toUser(r.rows[0]) : 'email-taken';
  }

  async update(id: string, c: StaffUserChanges, now: Date): Promise<StaffUser | null> {
    if (!isRowId(id)) return null;
    const r = await this.db.query<Row>(
      `UPDATE staff_users SET
         display_name = COALESCE($2, display_name),
         role         = COALESCE($3, role),
         agencies     = COALESCE($4, agencies),
         wards        = COALESCE($5, wards),
         active       = COALESCE($6, active),
         updated_at   = $7
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, c.displayName ?? null, c.role ?? null, c.agencies ? [...c.agencies] : null, c.wards ? [...c.wards] : null, c.active ?? null, now],
    );
    return r.rows[0] ? toUser(r.rows[0]) : null;
  }

  async setPassword(id: string, passwordHash: string, now: Date): Promise<void> {
    await this.db.query('UPDATE staff_users SET password_hash = $2, failed_logins = 0, locked_until = NULL, updated_at = $3 WHERE id = $1', [id, passwordHash, now]);
  }

  async recordLoginSuccess(id: string, now: Date): Promise<void> {
    await this.db.query('UPDATE staff_users SET failed_logins = 0, locked_until = NULL, last_login_at = $2 WHERE id = $1', [id, now]);
  }

  async recordLoginFailure(id: string, now: Date, maxFailures: number, lockMs: number): Promise<{ lockedUntil: Date | null }> {
    // One statement, so concurrent failures count exactly (no lost update between read and write).
    const r = await this.db.query<{ locked_until: Date | null; locked_now: boolean }>(
      `UPDATE staff_users SET
         failed_logins = CASE WHEN failed_logins + 1 >= $3 THEN 0 ELSE failed_logins + 1 END,
         locked_until  = CASE WHEN failed_logins + 1 >= $3 THEN $2::timestamptz + make_interval(secs => $4::double precision / 1000) ELSE locked_until END
       WHERE id = $1
       RETURNING locked_until, (locked_until IS NOT NULL AND locked_until > $2::timestamptz) AS locked_now`,
      [id, now, maxFailures, lockMs],
    );
    const row = r.rows[0];
    return { lockedUntil: row?.locked_now ? row.locked_until : null };
  }

  async unlock(id: string, now: Date): Promise<void> {
    await this.db.query('UPDATE staff_users SET failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $1', [id, now]);
  }

  async countActiveAdmins(exceptId?: string): Promise<number> {
    const r = await this.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM staff_users WHERE role = 'admin' AND active AND ($1::bigint IS NULL OR id <> $1::bigint)",
      [exceptId !== undefined && isRowId(exceptId) ? exceptId : null],
    );
    return r.rows[0]?.n ?? 0;
  }

  async findDevAccount(): Promise<StaffUser | null> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM staff_users WHERE dev_account ORDER BY id LIMIT 1`);
    return r.rows[0] ? toUser(r.rows[0]) : null;
  }
}
