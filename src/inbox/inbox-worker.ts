/**
 * Hands stored webhook events to the bots: one conversation at a time, in arrival order, and
 * each event once. In-process, a promise chain per conversation serialises turns; across
 * processes, a session-level advisory lock per conversation does (released by PostgreSQL if the
 * process dies, so a restart picks up what was left pending).
 */
import type { Pool } from 'pg';
import type { Logger } from '../logger';
import type { InboundEventInput, InboundEventRow, PgInboxRepo } from '../storage/inbox-repo';

export type EventHandler = (event: InboundEventRow) => Promise<void>;

export interface InboxWorkerOptions {
  readonly inbox: PgInboxRepo;
  /** A pool used only for advisory locks (each draining conversation holds one connection). */
  readonly lockPool: Pool;
  readonly handlers: Readonly<Record<string, EventHandler>>;
  readonly logger: Logger;
  /** How often to look for events left pending (crash recovery, other processes). */
  readonly pollMs?: number;
  readonly maxAttempts?: number;
}

export class InboxWorker {
  private readonly chains = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly maxAttempts: number;

  constructor(private readonly o: InboxWorkerOptions) {
    this.maxAttempts = o.maxAttempts ?? 3;
  }

  /** Stores events (duplicates dropped) and schedules their handling; resolves once they are durable. */
  async accept(events: readonly InboundEventInput[]): Promise<{ stored: number; duplicates: number }> {
    const fresh = await this.o.inbox.insert(events);
    for (const key of new Set(fresh.map((e) => e.conversationKey))) this.schedule(key);
    return { stored: fresh.length, duplicates: events.length - fresh.length };
  }

  /** Starts recovery polling; handles anything left pending by an earlier process right away. */
  start(): void {
    this.stopped = false;
    const tick = async () => {
      try {
        for (const key of await this.o.inbox.pendingConversations(this.o.pollMs ?? 1000)) this.schedule(key);
      } catch (err) {
        this.o.logger.warn({ err: errMessage(err) }, 'inbox poll failed');
      }
    };
    void this.o.inbox.pendingConversations(0).then((keys) => keys.forEach((k) => this.schedule(k)), () => undefined);
    this.timer = setInterval(() => void tick(), this.o.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Stops polling and waits for turns in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.idle();
  }

  /** Resolves when every scheduled conversation has been drained (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  schedule(conversationKey: string): void {
    if (this.stopped) return;
    const prev = this.chains.get(conversationKey) ?? Promise.resolve();
    const next = prev
      .then(() => this.drain(conversationKey))
      .catch((err) => this.o.logger.error({ err: errMessage(err) }, 'inbox drain failed'))
      .finally(() => {
        if (this.chains.get(conversationKey) === next) this.chains.delete(conversationKey);
      });
    this.chains.set(conversationKey, next);
  }

  /**
   * Handles the conversation's pending events in order. The advisory lock (and its connection) is
   * held for one event at a time, so a resident who keeps writing cannot starve the others of lock
   * connections; order still holds because only the lock holder takes the oldest pending event.
   */
  private async drain(conversationKey: string): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const outcome = await this.handleNext(conversationKey);
      if (outcome !== 'handled') return;
    }
  }

  private async handleNext(conversationKey: string): Promise<'handled' | 'empty' | 'busy' | 'retry-later'> {
    const client = await this.o.lockPool.connect();
    let locked = false;
    try {
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 42)) AS ok', [conversationKey]);
      locked = r.rows[0]?.ok === true;
      if (!locked) return 'busy'; // another process owns this conversation; it drains until nothing is pending
      const ev = await this.o.inbox.nextPending(conversationKey);
      if (!ev) return 'empty';
      const handler = this.o.handlers[ev.channel];
      if (!handler) {
        await this.o.inbox.markFailed(ev.id, `no handler for channel ${ev.channel}`, 1);
        return 'handled';
      }
      try {
        await handler(ev);
        await this.o.inbox.markDone(ev.id);
        return 'handled';
      } catch (err) {
        const outcome = await this.o.inbox.markFailed(ev.id, errMessage(err), this.maxAttempts);
        this.o.logger.error({ err: errMessage(err), eventId: ev.id, outcome }, 'event handling failed');
        // Keep order: a failed event is retried (next poll) before any later one of this resident.
        return outcome === 'retry' ? 'retry-later' : 'handled';
      }
    } finally {
      if (locked) await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 42))', [conversationKey]).catch(() => undefined);
      client.release();
    }
  }
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
