/**
 * API keys of the IOC's systems (`staff_api_keys`): a name, a role and scope, and the SHA-256 of
 * the key's secret. Revoking stamps `revoked_at`; a revoked key is never found active again.
 */
import type { StaffRole, StaffScope } from '../domain/staff/actor';
import type { ApiKeyRecord, StaffApiKeysRepo } from '../domain/staff/ports';
import type { Queryable } from './db';
import { isRowId } from './staff-users-repo';

interface Row {
  id: string;
  name: string;
  role: StaffRole;
  agencies: string[];
  wards: string[];
  secret_hash: string;
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id::text AS id, name, role, agencies, wards, secret_hash, created_by::text AS created_by, created_at, last_used_at, revoked_at';

const toKey = (r: Row): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  role: r.role,
  agencies: r.agencies,
  wards: r.wards,
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export class PgStaffApiKeysRepo implements StaffApiKeysRepo {
  constructor(private readonly db: Queryable) {}

  async create(k: StaffScope & { name: string; secretHash: string; createdBy: string | null; now: Date }): Promise<ApiKeyRecord | 'name-taken'> {
    const r = await this.db.query<Row>(
      `INSERT INTO staff_api_keys (name, role, agencies, wards, secret_hash, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ((lower(name))) WHERE revoked_at IS NULL DO NOTHING
       RETURNING ${COLUMNS}`,
      [k.name, k.role, [...k.agencies], [...k.wards], k.secretHash, k.createdBy, k.now],
    );
    return r.rows[0] ? toKey(r.rows[0]) : 'name-taken';
  }

  async findActive(id: string): Promise<{ key: ApiKeyRecord; secretHash: string } | null> {
    if (!isRowId(id)) return null;
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM staff_api_keys WHERE id = $1 AND revoked_at IS NULL`, [id]);
    const row = r.rows[0];
    return row ? { key: toKey(row), secretHash: row.secret_hash } : null;
  }

  async findById(id: string): Promise<ApiKeyRecord | null> {
    if (!isRowId(id)) return null;
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM staff_api_keys WHERE id = $1`, [id]);
    return r.rows[0] ? toKey(r.rows[0]) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM staff_api_keys ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`);
    return r.rows.map(toKey);
  }

  async revoke(id: string, now: Date): Promise<'revoked' | 'already-revoked' | 'not-found'> {
    if (!isRowId(id)) return 'not-found';
    const r = await this.db.query('UPDATE staff_api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, now]);
    if ((r.rowCount ?? 0) > 0) return 'revoked';
    return (await this.findById(id)) ? 'already-revoked' : 'not-found';
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.db.query("UPDATE staff_api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')", [id, now]);
  }
}
