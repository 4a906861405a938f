/**
 * Reports written straight into PostgreSQL for list, filter and paging tests (hundreds of rows in
 * one statement, with chosen statuses, times, wards and agencies). Filing through the webhooks is
 * what `file-report.ts` does; use it wherever the story starts with a resident.
 */
import type { Db } from '../../src/storage/db';

export interface SeedReport {
  readonly code: string;
  readonly status?: string;
  readonly category?: string;
  readonly description?: string;
  readonly address?: string | null;
  readonly ward?: string | null;
  readonly agency?: string | null;
  readonly proposedAgency?: string | null;
  readonly lat?: number;
  readonly lng?: number;
  readonly createdAt: Date;
  readonly updatedAt?: Date;
  readonly dueAt?: Date;
  readonly resolvedAt?: Date | null;
  readonly reopened?: boolean;
  readonly reopenCount?: number;
}

let seq = 0;

/** Inserts the reports (with their `received` history event) for one seeded resident; returns their ids by code. */
export async function seedReports(db: Db, reports: readonly SeedReport[]): Promise<Map<string, string>> {
  seq += 1;
  const resident = await db.query<{ id: string }>("INSERT INTO residents (channel, platform_user_id) VALUES ('zalo', $1) RETURNING id", [`seed-${process.pid}-${seq}-${Date.now()}`]);
  const residentId = resident.rows[0]!.id;
  const ids = new Map<string, string>();
  for (let i = 0; i < reports.length; i += 200) {
    const chunk = reports.slice(i, i + 200);
    const values: unknown[] = [];
    const tuples = chunk.map((r) => {
      const row = [
        r.code, residentId, 'zalo', r.category ?? 'waste', r.description ?? `Rác ùn ứ ở ${r.code}`, r.lat ?? 16.4665, r.lng ?? 107.5905, r.address ?? null,
        r.status ?? 'received', r.ward ?? null, r.agency ?? null, r.proposedAgency ?? null, r.createdAt, r.updatedAt ?? r.createdAt,
        r.dueAt ?? new Date(r.createdAt.getTime() + 24 * 3_600_000), r.resolvedAt ?? null, r.reopened ?? false, r.reopenCount ?? 0,
      ];
      const base = values.length;
      values.push(...row);
      return `(${row.map((_, k) => `$${base + k + 1}`).join(', ')})`;
    });
    const res = await db.query<{ id: string; code: string; created_at: Date }>(
      `INSERT INTO reports (code, resident_id, channel, category, description, lat, lng, address, status, ward, agency, proposed_agency,
         created_at, updated_at, due_at, resolved_at, reopened, reopen_count)
       VALUES ${tuples.join(', ')} RETURNING id, code, created_at`,
      values,
    );
    for (const row of res.rows) ids.set(row.code, String(row.id));
    await db.query(
      `INSERT INTO report_events (report_id, at, from_status, to_status, actor_kind, actor_id)
       SELECT r.id, r.created_at, NULL, 'received', 'resident', r.resident_id::text FROM reports r WHERE r.id = ANY($1::bigint[])`,
      [res.rows.map((r) => r.id)],
    );
  }
  return ids;
}

/** A valid report code: `PA-` + `prefix` (letters of the code alphabet) + `n` in six characters. */
export function seedCode(n: number, prefix = 'T'): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  let x = n;
  let s = '';
  for (let i = 0; i < 6; i++) {
    s = alphabet[x % alphabet.length]! + s;
    x = Math.floor(x / alphabet.length);
  }
  return `PA-${prefix}${s}`;
}
