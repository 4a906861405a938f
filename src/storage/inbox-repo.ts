/**
 * The inbox: every acknowledged webhook event, stored before the HTTP 200 and handled from here.
 * `(channel, dedupe_key)` is unique, so a redelivered event is stored once and handled once.
 */
import { boundKey, cleanText, sanitiseEventBody } from '../domain/shared/sanitise';
import type { Queryable } from './db';

export interface InboundEventInput {
  readonly channel: string;
  readonly dedupeKey: string;
  readonly conversationKey: string;
  readonly kind: string;
  readonly body: unknown;
}

export interface InboundEventRow {
  readonly id: string;
  readonly channel: string;
  readonly conversationKey: string;
  readonly kind: string;
  readonly body: unknown;
  readonly attempts: number;
  readonly receivedAt: Date;
  /** A failed event waits for its back-off before it is tried again. */
  readonly nextAttemptAt: Date | null;
}

export class PgInboxRepo {
  constructor(private readonly db: Queryable) {}

  /** Stores new events in one statement; returns those that were not duplicates. */
  async insert(events: readonly InboundEventInput[]): Promise<InboundEventInput[]> {
    const stored = await this.insertFlags(events);
    return events.filter((_, i) => stored[i]);
  }

  /**
   * Stores events in one statement (one commit); `result[i]` tells whether `events[i]` was new.
   * An event repeated within the call counts as new once, at its first position.
   *
   * Nothing in an event can make PostgreSQL refuse the statement (and with it the other events of
   * the batch): bodies are sanitised ({@link sanitiseEventBody}; the routers do it first, this
   * only checks again), dedupe keys are bounded ({@link boundKey}), and a body nested too deep is
   * stored as a stub with status 'failed' instead of being handled.
   */
  async insertFlags(events: readonly InboundEventInput[]): Promise<boolean[]> {
    if (events.length === 0) return [];
    const keys = events.map((e) => boundKey(e.dedupeKey));
    const bodies = events.map((e) => sanitiseEventBody(e.body));
    // Refusals are rare: only then does the statement carry status columns.
    const withStatus = bodies.some((b) => !b.ok);
    const width = withStatus ? 7 : 5;
    const values: unknown[] = [];
    const tuples = events.map((e, i) => {
      const clean = bodies[i]!;
      const body = clean.ok ? (JSON.stringify(clean.value) ?? 'null') : JSON.stringify({ refused: clean.reason });
      values.push(e.channel, keys[i], cleanText(e.conversationKey), cleanText(e.kind), body);
      const b = i * width;
      const base = `$${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::jsonb`;
      if (!withStatus) return `(${base})`;
      values.push(clean.ok ? 'pending' : 'failed', clean.ok ? null : `body refused: ${clean.reason}`);
      return `(${base}, $${b + 6}, $${b + 7}, CASE WHEN $${b + 6} = 'failed' THEN now() END)`;
    });
    const columns = `channel, dedupe_key, conversation_key, kind, body${withStatus ? ', status, last_error, handled_at' : ''}`;
    const r = await this.db.query<{ channel: string; dedupe_key: string }>(
      `INSERT INTO inbound_events (${columns}) VALUES ${tuples.join(', ')}
       ON CONFLICT (channel, dedupe_key) DO NOTHING RETURNING channel, dedupe_key`,
      values,
    );
    const fresh = new Set(r.rows.map((x) => `${x.channel}\u0000${x.dedupe_key}`));
    return events.map((e, i) => fresh.delete(`${e.channel}\u0000${keys[i]}`));
  }

  /** The conversation's oldest pending events, in arrival order. */
  async pending(conversationKey: string, limit: number, db: Queryable = this.db): Promise<InboundEventRow[]> {
    const r = await db.query<{ id: string; channel: string; conversation_key: string; kind: string; body: unknown; attempts: number; received_at: Date; next_attempt_at: Date | null }>(
      `SELECT id, channel, conversation_key, kind, body, attempts, received_at, next_attempt_at FROM inbound_events
       WHERE conversation_key = $1 AND status = 'pending' ORDER BY id LIMIT $2`,
      [conversationKey, limit],
    );
    return r.rows.map((row) => ({
      id: String(row.id),
      channel: row.channel,
      conversationKey: row.conversation_key,
      kind: row.kind,
      body: row.body,
      attempts: row.attempts,
      receivedAt: row.received_at,
      nextAttemptAt: row.next_attempt_at,
    }));
  }

  async markDone(id: string, db: Queryable = this.db): Promise<void> {
    await db.query("UPDATE inbound_events SET status = 'done', handled_at = now() WHERE id = $1", [id]);
  }

  /**
   * Records a failed attempt: the event waits `backoffMs` before the next one; after `maxAttempts`
   * it is parked as 'failed' so the resident's later events move on.
   */
  async markFailed(id: string, error: string, maxAttempts: number, backoffMs = 0, db: Queryable = this.db): Promise<'retry' | 'failed'> {
    const r = await db.query<{ status: string }>(
      `UPDATE inbound_events SET attempts = attempts + 1, last_error = left($2, 500),
         status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE 'pending' END,
         handled_at = CASE WHEN attempts + 1 >= $3 THEN now() ELSE NULL END,
         next_attempt_at = CASE WHEN attempts + 1 >= $3 THEN NULL ELSE now() + make_interval(secs => $4::double precision / 1000) END
       WHERE id = $1 RETURNING status`,
      [id, error, maxAttempts, backoffMs],
    );
    return r.rows[0]?.status === 'failed' ? 'failed' : 'retry';
  }

  /**
   * Conversations with events waiting longer than `olderThanMs` whose back-off has passed, or with
   * replies recorded but not sent (crash recovery, other processes).
   */
  async pendingConversations(olderThanMs: number, limit = 100): Promise<string[]> {
    const r = await this.db.query<{ conversation_key: string }>(
      `(SELECT DISTINCT conversation_key FROM inbound_events
         WHERE status = 'pending' AND received_at < now() - make_interval(secs => $1::double precision / 1000)
           AND (next_attempt_at IS NULL OR next_attempt_at <= now()) LIMIT $2)
       UNION
       (SELECT DISTINCT conversation_key FROM outbound_messages
         WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1::double precision / 1000)
           AND (next_attempt_at IS NULL OR next_attempt_at <= now()) LIMIT $2)`,
      [olderThanMs, limit],
    );
    return r.rows.map((x) => x.conversation_key);
  }

  /** How many events gave up after their last attempt (the console's health page). */
  async failedCount(): Promise<number> {
    const r = await this.db.query<{ n: number }>("SELECT count(*)::int AS n FROM inbound_events WHERE status = 'failed'");
    return r.rows[0]!.n;
  }
}
