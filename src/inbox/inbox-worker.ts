/**
 * Hands stored webhook events to the bots: one conversation at a time, in arrival order, and
 * each event once. In-process, a promise chain per conversation serialises turns; across
 * processes, a session-level advisory lock per conversation does (released by PostgreSQL if the
 * process dies, so a restart picks up what was left pending).
 *
 * Each turn runs in one transaction on the lock's connection: its state changes, the replies it
 * recorded (outbox) and its "done" mark commit together, and the replies are sent after the
 * commit. A turn that fails rolls back and is retried with back-off; after the last attempt the
 * resident gets an apology and the event is parked as failed.
 */
import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../logger';
import { runInTransaction } from '../storage/db';
import type { PgOutboxRepo } from '../storage/outbox-repo';
import { GroupInsert } from './group-insert';
import type { IngressGauge } from './ingress-gauge';
import type { OutboxDelivery } from './outbox-delivery';
import { runTurn } from './turn-context';
import type { InboundEventInput, InboundEventRow, PgInboxRepo } from '../storage/inbox-repo';

/** How often, and how soon, a conversation locked by another process is tried again. */
const BUSY_RETRIES = 3;
const BUSY_RETRY_MS = 100;

export type EventHandler = (event: InboundEventRow) => Promise<void>;

/** Back-off before the second, third… attempt of a failed turn. */
export const RETRY_BACKOFF_MS: readonly number[] = [1_000, 5_000, 30_000];

export interface InboxWorkerOptions {
  readonly inbox: PgInboxRepo;
  /** A pool used only for advisory locks (each draining conversation holds one connection). */
  readonly lockPool: Pool;
  readonly handlers: Readonly<Record<string, EventHandler>>;
  /** Replies recorded by turns, and their delivery after the commit (required when turns reply). */
  readonly outbox?: PgOutboxRepo;
  readonly delivery?: OutboxDelivery;
  /** Called once when an event is given up after its last attempt (apologise to the resident). */
  readonly onGiveUp?: (event: InboundEventRow, error: string) => Promise<void>;
  readonly logger: Logger;
  /** How often to look for events left pending (crash recovery, other processes). */
  readonly pollMs?: number;
  readonly maxAttempts?: number;
  /** Back-off before each retry of a failed turn (default {@link RETRY_BACKOFF_MS}). */
  readonly retryBackoffMs?: readonly number[];
  /** Pending events of one conversation read (and handled under one lock) at a time. */
  readonly batchSize?: number;
  /** Conversations drained at once (default: the lock pool's size). */
  readonly concurrency?: number;
  /**
   * Webhook requests in flight. While the gauge reads busy and more conversations wait than
   * `concurrency`, at most `concurrencyWhileBusy` are drained at once, paced by `busyGapMs`, so
   * acknowledgements keep the CPU they need during a flood.
   */
  readonly ingress?: IngressGauge;
  readonly concurrencyWhileBusy?: number;
  /** While overloaded, the least time between two drain starts. */
  readonly busyGapMs?: number;
}

export class InboxWorker {
  private readonly chains = new Map<string, Promise<void>>();
  /** Conversations with a drain queued that has not started reading yet. */
  private readonly queued = new Set<string>();
  /** Drains running, and drains waiting for a slot (FIFO across conversations). */
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly concurrencyWhileBusy: number;
  private readonly inserts: GroupInsert<InboundEventInput>;
  private readonly busyGapMs: number;
  private lastStart = Number.NEGATIVE_INFINITY;
  private pumpTimer: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly maxAttempts: number;
  private readonly retryBackoffMs: readonly number[];
  private readonly batchSize: number;
  /** Conversations found locked by another process, and how often in a row. */
  private readonly busyTries = new Map<string, number>();

  constructor(private readonly o: InboxWorkerOptions) {
    this.retryBackoffMs = o.retryBackoffMs ?? RETRY_BACKOFF_MS;
    this.maxAttempts = o.maxAttempts ?? this.retryBackoffMs.length + 1;
    this.batchSize = o.batchSize ?? 10;
    this.concurrency = Math.max(1, o.concurrency ?? o.lockPool.options.max ?? 10);
    this.concurrencyWhileBusy = Math.max(1, Math.min(this.concurrency, o.concurrencyWhileBusy ?? 1));
    this.busyGapMs = o.busyGapMs ?? 25;
    this.inserts = new GroupInsert((items) => o.inbox.insertFlags(items));
  }

  /** Stores events (duplicates dropped) and schedules their handling; resolves once they are durable. */
  async accept(events: readonly InboundEventInput[]): Promise<{ stored: number; duplicates: number }> {
    const stored = await this.inserts.insert(events);
    const fresh = events.filter((_, i) => stored[i]);
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
    // A drain that has not started yet will see every event stored so far: do not queue another.
    if (this.queued.has(conversationKey)) return;
    this.queued.add(conversationKey);
    const prev = this.chains.get(conversationKey) ?? Promise.resolve();
    const next = prev
      .then(() => this.admit())
      .then(async () => {
        this.queued.delete(conversationKey);
        try {
          await this.drain(conversationKey);
        } finally {
          this.running--;
          this.pump();
        }
      })
      .catch((err) => this.o.logger.error({ err: errMessage(err) }, 'inbox drain failed'))
      .finally(() => {
        if (this.chains.get(conversationKey) === next) this.chains.delete(conversationKey);
      });
    this.chains.set(conversationKey, next);
  }

  /**
   * Overloaded: the webhook endpoints are saturated *and* more conversations wait than the worker
   * runs at once, i.e. events arrive faster than they are handled (a flood of new events). Handling
   * more then only slows the acks without catching up, so acks get the CPU until the burst ends.
   * Many residents talking at once (a backlog no larger than the worker's concurrency) is not.
   */
  private overloaded(): boolean {
    return this.o.ingress?.busy === true && this.waiting.length >= this.concurrency;
  }

  private limit(): number {
    return this.overloaded() ? this.concurrencyWhileBusy : this.concurrency;
  }

  /** Resolves when a drain may start; the slot is taken (`running`) on resolution. */
  private admit(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  /**
   * Starts waiting drains while slots are free. While overloaded, one drain runs at a time and
   * drains start at most every `busyGapMs`: a turn is CPU work with little waiting, so even one
   * drain after another would take a whole core from the acks.
   */
  private pump(): void {
    if (this.pumpTimer) return;
    while (this.waiting.length > 0 && this.running < this.limit()) {
      if (this.overloaded() && this.lastStart + this.busyGapMs > performance.now()) break;
      this.running++;
      this.lastStart = performance.now();
      this.waiting.shift()!();
    }
    // Drains are waiting because of the overload: look again shortly (it may have passed).
    if (this.overloaded()) {
      this.pumpTimer = setTimeout(() => {
        this.pumpTimer = undefined;
        this.pump();
      }, this.busyGapMs);
    }
  }

  /**
   * Handles the conversation's pending events in order, a batch at a time. The advisory lock (and
   * its connection) is held for one batch, so a resident who keeps writing cannot starve the others
   * of lock connections; order still holds because only the lock holder takes pending events, oldest
   * first. Events stored after the batch was read have scheduled another drain (see `schedule`), so
   * a drain never probes an empty inbox.
   */
  private async drain(conversationKey: string): Promise<void> {
    if (this.stopped) return;
    const outcome = await this.handleBatch(conversationKey);
    if (outcome === 'more') {
      // Back of the queue: a resident with a long backlog must not keep a slot from the others.
      this.schedule(conversationKey);
    } else if (outcome === 'busy') {
      // Another process holds the lock and may already have read its batch: look again shortly
      // (a few times, then the recovery poll takes over) rather than leave this event to the poll.
      const tries = (this.busyTries.get(conversationKey) ?? 0) + 1;
      if (tries <= BUSY_RETRIES) {
        this.busyTries.set(conversationKey, tries);
        setTimeout(() => this.schedule(conversationKey), BUSY_RETRY_MS * tries).unref();
      } else {
        this.busyTries.delete(conversationKey);
      }
    } else {
      this.busyTries.delete(conversationKey);
    }
  }

  private async handleBatch(conversationKey: string): Promise<'done' | 'more' | 'busy' | 'retry-later'> {
    const client = await this.o.lockPool.connect();
    let locked = false;
    let broken = false;
    try {
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 42)) AS ok', [conversationKey]);
      locked = r.rows[0]?.ok === true;
      if (!locked) return 'busy'; // another process is draining this conversation
      // Replies a turn recorded but did not send (the process died after the commit) go first.
      if ((await this.deliver(conversationKey)) === 'retry-later') return 'retry-later';
      // Read after the lock is held (a fresh snapshot), so events another process finished are not seen as pending.
      const batch = await this.o.inbox.pending(conversationKey, this.batchSize, client);
      for (const ev of batch) {
        if (this.stopped) return 'done';
        // Order: a failed event waits out its back-off before any later event of this resident.
        if (ev.nextAttemptAt && ev.nextAttemptAt.getTime() > Date.now()) return 'retry-later';
        const outcome = await this.handleOne(client, ev);
        if (outcome === 'connection-lost') {
          broken = true;
          return 'retry-later';
        }
        if (outcome === 'retry-later') return 'retry-later';
        if ((await this.deliver(conversationKey)) === 'retry-later') return 'retry-later';
      }
      return batch.length === this.batchSize ? 'more' : 'done';
    } catch (err) {
      // The lock connection itself failed (server restart, terminated backend): the events stay
      // pending and the recovery poll tries again on a new connection.
      broken = true;
      this.o.logger.warn({ err: errMessage(err) }, 'inbox drain interrupted; will retry');
      return 'retry-later';
    } finally {
      if (locked && !broken) await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 42))', [conversationKey]).catch(() => undefined);
      // A broken connection is destroyed (its session, and so the lock, ends with it).
      client.release(broken);
    }
  }

  private deliver(conversationKey: string): Promise<'done' | 'retry-later'> {
    return this.o.delivery ? this.o.delivery.deliver(conversationKey) : Promise.resolve('done');
  }

  /** One turn in one transaction: state changes, recorded replies and the done mark commit together. */
  private async handleOne(client: PoolClient, ev: InboundEventRow): Promise<'done' | 'retry-later' | 'connection-lost'> {
    const handler = this.o.handlers[ev.channel];
    if (!handler) {
      await this.o.inbox.markFailed(ev.id, `no handler for channel ${ev.channel}`, 1);
      return 'done';
    }
    try {
      await runInTransaction(client, async () => {
        const turn = await runTurn(() => handler(ev));
        if (turn.failure !== undefined) throw turn.failure;
        if (turn.output.length > 0) {
          if (!this.o.outbox) throw new Error('the inbox worker needs an outbox for turns that reply');
          await this.o.outbox.record(ev.id, ev.conversationKey, turn.output);
        }
        await this.o.inbox.markDone(ev.id);
      });
      return 'done';
    } catch (err) {
      const message = errMessage(err);
      const lost = isConnectionError(err);
      const backoff = this.retryBackoffMs[Math.min(ev.attempts, this.retryBackoffMs.length - 1)] ?? 1_000;
      let outcome: 'retry' | 'failed';
      try {
        outcome = await this.o.inbox.markFailed(ev.id, message, this.maxAttempts, backoff);
      } catch (err2) {
        // The database is gone: the event stays pending as it was and is tried again later.
        this.o.logger.error({ err: errMessage(err2), eventId: ev.id }, 'could not record a failed turn');
        return 'connection-lost';
      }
      if (outcome === 'failed') {
        this.o.logger.error({ err: message, eventId: ev.id, attempts: ev.attempts + 1 }, 'event given up after its last attempt');
        await this.o.onGiveUp?.(ev, message).catch((e: unknown) => this.o.logger.warn({ err: errMessage(e) }, 'could not apologise for a failed turn'));
        return lost ? 'connection-lost' : 'done';
      }
      this.o.logger.warn({ err: message, eventId: ev.id, attempt: ev.attempts + 1, retryInMs: backoff }, 'turn failed; will retry');
      return lost ? 'connection-lost' : 'retry-later';
    }
  }
}

/** A failure of the connection itself (not of a statement): the client must be thrown away. */
function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '57P01' || e?.code === '57P02' || e?.code === '57P03' || e?.code === '08006' || e?.code === '08003' ||
    /Connection terminated|connection not open|Client has encountered a connection error|ECONNRESET/i.test(String(e?.message ?? ''));
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
