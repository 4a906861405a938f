/**
 * Photo redactions (`photo_redactions`, `photo_redaction_events`; migration 013): the boxes of each
 * stored photo, its public copy, and the history of changes. A change is one transaction: the row
 * (only if still at the revision the caller read), its history event and its audit entry.
 */
import type { ImageSize, DetectedFace, RedactionBox, RedactionStatus } from '../domain/photos/redaction';
import type { PhotoOwner, PhotoRedactionRecord, PhotoRedactionsRepo, PublicPhoto, RedactionChange, RedactionEvent } from '../domain/photos/ports';
import type { Actor } from '../domain/staff/actor';
import type { Clock } from '../domain/reports/ports';
import type { Logger } from '../logger';
import { PgAuditLog } from './audit-repo';
import type { Db } from './db';

interface Row {
  media_key: string;
  width: number;
  height: number;
  status: RedactionStatus;
  auto_boxes: DetectedFace[];
  detector: string | null;
  detected_at: Date | null;
  staff_boxes: RedactionBox[] | null;
  reviewed_by_kind: 'staff' | 'integration' | null;
  reviewed_by_id: string | null;
  reviewed_at: Date | null;
  redacted_key: string | null;
  redacted_thumb_key: string | null;
  revision: number;
  updated_at: Date;
}

const COLUMNS = `media_key, width, height, status, auto_boxes, detector, detected_at, staff_boxes, reviewed_by_kind,
  reviewed_by_id, reviewed_at, redacted_key, redacted_thumb_key, revision, updated_at`;

const toRecord = (r: Row): PhotoRedactionRecord => ({
  key: r.media_key,
  size: { width: r.width, height: r.height },
  status: r.status,
  autoBoxes: r.auto_boxes,
  detector: r.detector,
  detectedAt: r.detected_at,
  staffBoxes: r.staff_boxes,
  reviewedBy: r.reviewed_by_kind && r.reviewed_by_id ? { kind: r.reviewed_by_kind, id: r.reviewed_by_id } : null,
  reviewedAt: r.reviewed_at,
  redactedKey: r.redacted_key,
  redactedThumbKey: r.redacted_thumb_key,
  revision: r.revision,
  updatedAt: r.updated_at,
});

const boxesJson = (boxes: readonly RedactionBox[]) => JSON.stringify(boxes.map(({ x, y, w, h }) => ({ x, y, w, h })));

export class PgPhotoRedactionsRepo implements PhotoRedactionsRepo {
  constructor(private readonly d: { db: Db; clock: Clock; logger?: Logger }) {}

  async ensure(key: string, size: ImageSize): Promise<void> {
    // Outside any conversation turn's transaction: the job queued next (on pg-boss's own connections)
    // must find this row at once, and a photo stored by a turn that is rolled back and replayed is
    // still the same file, waiting for the same detection.
    await this.d.db.independent.query('INSERT INTO photo_redactions (media_key, width, height) VALUES ($1, $2, $3) ON CONFLICT (media_key) DO NOTHING', [key, size.width, size.height]);
  }

  async find(key: string): Promise<PhotoRedactionRecord | null> {
    const r = await this.d.db.query<Row>(`SELECT ${COLUMNS} FROM photo_redactions WHERE media_key = $1`, [key]);
    return r.rows[0] ? toRecord(r.rows[0]) : null;
  }

  async apply(key: string, expectedRevision: number, c: RedactionChange): Promise<PhotoRedactionRecord | null> {
    const now = this.d.clock.now();
    return this.d.db.tx(async (q) => {
      const reviewer = c.action === 'saved' && (c.actor.kind === 'staff' || c.actor.kind === 'integration') ? c.actor : null;
      const r = await q.query<Row>(
        `UPDATE photo_redactions SET
           status = $3,
           staff_boxes = $4::jsonb,
           auto_boxes = COALESCE($5::jsonb, auto_boxes),
           detector = COALESCE($6, detector),
           detected_at = CASE WHEN $5::jsonb IS NULL THEN detected_at ELSE $7 END,
           reviewed_by_kind = CASE WHEN $8::text IS NULL THEN reviewed_by_kind ELSE $8 END,
           reviewed_by_id = CASE WHEN $8::text IS NULL THEN reviewed_by_id ELSE $9 END,
           reviewed_at = CASE WHEN $8::text IS NULL THEN reviewed_at ELSE $7 END,
           redacted_key = $10,
           redacted_thumb_key = $11,
           revision = revision + 1,
           updated_at = $7
         WHERE media_key = $1 AND revision = $2
         RETURNING ${COLUMNS}`,
        [
          key,
          expectedRevision,
          c.status,
          c.staffBoxes ? boxesJson(c.staffBoxes) : null,
          c.detection ? JSON.stringify(c.detection.faces.map(({ x, y, w, h, score }) => ({ x, y, w, h, score }))) : null,
          c.detection?.detector ?? null,
          now,
          reviewer?.kind ?? null,
          reviewer?.id ?? null,
          c.redactedKey,
          c.redactedThumbKey,
        ],
      );
      const row = r.rows[0];
      if (!row) return null;
      await q.query(
        'INSERT INTO photo_redaction_events (media_key, at, action, actor_kind, actor_id, boxes, redacted_key, revision) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)',
        [key, now, c.action, actorKind(c.actor), c.actor.id, boxesJson(c.boxes), c.redactedKey, row.revision],
      );
      if (c.audit) await PgAuditLog.recordIn(q, c.audit, now, this.d.logger);
      return toRecord(row);
    });
  }

  async history(key: string, limit: number): Promise<RedactionEvent[]> {
    const r = await this.d.db.query<{ at: Date; action: RedactionEvent['action']; actor_kind: Actor['kind']; actor_id: string | null; boxes: RedactionBox[]; revision: number }>(
      'SELECT at, action, actor_kind, actor_id, boxes, revision FROM photo_redaction_events WHERE media_key = $1 ORDER BY id DESC LIMIT $2',
      [key, Math.max(1, Math.min(500, Math.trunc(limit)))],
    );
    return r.rows.map((e) => ({ at: e.at, action: e.action, actor: { kind: e.actor_kind, id: e.actor_id }, boxes: e.boxes, revision: e.revision }));
  }

  async publicCopies(keys: readonly string[]): Promise<Map<string, PublicPhoto>> {
    const out = new Map<string, PublicPhoto>();
    if (keys.length === 0) return out;
    const r = await this.d.db.query<{ media_key: string; redacted_key: string; redacted_thumb_key: string }>(
      `SELECT media_key, redacted_key, redacted_thumb_key FROM photo_redactions
       WHERE media_key = ANY($1::text[]) AND detected_at IS NOT NULL AND redacted_key IS NOT NULL`,
      [[...new Set(keys)]],
    );
    for (const row of r.rows) out.set(row.media_key, { key: row.redacted_key, thumbKey: row.redacted_thumb_key });
    return out;
  }

  async owners(key: string): Promise<PhotoOwner[]> {
    const r = await this.d.db.query<{ id: string; code: string; status: string; agency: string | null; ward: string | null }>(
      `SELECT DISTINCT r.id::text AS id, r.code, r.status, r.agency, r.ward FROM report_photos p JOIN reports r ON r.id = p.report_id
       WHERE p.media_key = $1 ORDER BY 1`,
      [key],
    );
    return r.rows.map((x) => ({ reportId: x.id, code: x.code, status: x.status, agency: x.agency, ward: x.ward }));
  }

  async stalePending(olderThanMinutes: number, limit: number): Promise<string[]> {
    const cutoff = new Date(this.d.clock.now().getTime() - olderThanMinutes * 60_000);
    // Photos whose row was never written (the process died between storing the file and the row).
    await this.d.db.query(
      `INSERT INTO photo_redactions (media_key, width, height, updated_at)
       SELECT m.key, m.width, m.height, m.created_at FROM media m
       WHERE m.created_at < $1 AND NOT EXISTS (SELECT 1 FROM photo_redactions p WHERE p.media_key = m.key)
       ON CONFLICT DO NOTHING`,
      [cutoff],
    );
    const r = await this.d.db.query<{ media_key: string }>(
      'SELECT media_key FROM photo_redactions WHERE detected_at IS NULL AND updated_at < $1 ORDER BY updated_at LIMIT $2',
      [cutoff, limit],
    );
    return r.rows.map((x) => x.media_key);
  }
}

function actorKind(a: Actor): 'staff' | 'integration' | 'system' {
  // Residents never change a redaction; the detector is the system.
  return a.kind === 'resident' ? 'system' : a.kind;
}
