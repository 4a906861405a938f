/**
 * The audit log (`audit_log`): the one writer of every staff change. See `domain/staff/audit.ts`
 * for what an entry may hold; details go through `cleanAuditDetails` before they are written.
 */
import { AUDIT_ACTION_RE, cleanAuditDetails, type AuditEntry, type AuditLog, type AuditRecord } from '../domain/staff/audit';
import type { Clock } from '../domain/reports/ports';
import type { Logger } from '../logger';
import type { Queryable } from './db';

interface Row {
  id: string;
  at: Date;
  actor_kind: AuditRecord['actorKind'];
  actor_id: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  details: AuditRecord['details'];
  ip: string | null;
}

export class PgAuditLog implements AuditLog {
  constructor(private readonly d: { db: Queryable; clock: Clock; logger: Logger }) {}

  async record(e: AuditEntry): Promise<void> {
    await PgAuditLog.recordIn(this.d.db, e, this.d.clock.now(), this.d.logger);
  }

  /**
   * Writes an entry through `q`: pass a transaction's queryable to write the entry in the same
   * transaction as the change it describes.
   */
  static async recordIn(q: Queryable, e: AuditEntry, at: Date, logger?: Logger): Promise<void> {
    if (!AUDIT_ACTION_RE.test(e.action)) throw new Error(`audit action "${e.action}" must look like area.verb (e.g. user.create)`);
    const { details, dropped } = cleanAuditDetails(e.details);
    if (dropped.length > 0) logger?.warn({ action: e.action, dropped }, 'audit details dropped: they could hold secrets or residents\' data');
    await q.query(
      'INSERT INTO audit_log (at, actor_kind, actor_id, action, target_kind, target_id, details, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [at, e.actor?.kind ?? 'anonymous', e.actor?.id ?? null, e.action, e.target?.kind ?? null, e.target?.id ?? null, JSON.stringify(details), e.ip ?? null],
    );
  }

  async recent(limit: number, filter: { action?: string; targetKind?: string; targetId?: string } = {}): Promise<AuditRecord[]> {
    const r = await this.d.db.query<Row>(
      `SELECT id::text AS id, at, actor_kind, actor_id, action, target_kind, target_id, details, ip FROM audit_log
       WHERE ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR target_kind = $3) AND ($4::text IS NULL OR target_id = $4)
       ORDER BY at DESC, id DESC LIMIT $1`,
      [Math.max(1, Math.min(1000, Math.trunc(limit))), filter.action ?? null, filter.targetKind ?? null, filter.targetId ?? null],
    );
    return r.rows.map((x) => ({
      id: x.id,
      at: x.at,
      actorKind: x.actor_kind,
      actorId: x.actor_id,
      action: x.action,
      target: x.target_kind !== null && x.target_id !== null ? { kind: x.target_kind, id: x.target_id } : null,
      details: x.details,
      ip: x.ip,
    }));
  }
}
