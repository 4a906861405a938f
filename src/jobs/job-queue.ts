/**
 * Durable jobs on PostgreSQL (pg-boss): queues created with their policy, payloads validated on the
 * way in and on the way out, idempotency keys, scheduled work. A job whose payload does not
 * validate is dead-lettered with a log line, never retried.
 */
import crypto from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Logger } from '../logger';
import { ALL_QUEUES, deadLetter, type QueueDef } from './queues';

/** What use cases need: put a job on a queue. */
export interface JobSender {
  /** Validates and queues `payload`; resolves with the job id (null: a job with the same key exists). */
  send<P>(queue: QueueDef<P>, payload: P, opts?: { startAfter?: Date }): Promise<string | null>;
}

export type JobHandler<P> = (payload: P, job: { id: string; attempt: number }) => Promise<void>;

export interface JobQueueOptions {
  readonly connectionString: string;
  readonly logger: Logger;
  /** How often workers poll (seconds; pg-boss's minimum is 0.5). */
  readonly pollingIntervalSeconds?: number;
  /** Queues to create (default: every queue of `queues.ts`). */
  readonly queues?: readonly QueueDef<unknown>[];
  readonly schema?: string;
}

export class JobQueue implements JobSender {
  private readonly boss: PgBoss;
  private readonly handlers = new Map<string, { def: QueueDef<unknown>; handler: JobHandler<unknown> }>();
  private started = false;
  /** Handlers running now: `stop` waits for them (a handler outliving the queue would touch a closed pool). */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly o: JobQueueOptions) {
    // One connection per polling worker and a few for sends and maintenance: a worker's fetch that
    // waits for a pooled connection when pg-boss closes the pool waits forever, and that worker never
    // stops. Connections are opened as needed and closed when idle.
    const max = (o.queues ?? ALL_QUEUES).length + 4;
    this.boss = new PgBoss({ connectionString: o.connectionString, max, ...(o.schema ? { schema: o.schema } : {}) });
    this.boss.on('error', (err: Error) => o.logger.warn({ err: err.message }, 'job queue error'));
  }

  /** Registers the handler of a queue (before `start`). */
  register<P>(def: QueueDef<P>, handler: JobHandler<P>): void {
    if (this.started) throw new Error(`register the handler of ${def.name} before the job queue starts`);
    this.handlers.set(def.name, { def: def as QueueDef<unknown>, handler: handler as JobHandler<unknown> });
  }

  async start(): Promise<void> {
    // Processes starting together on one database race to create queues and schedules; PostgreSQL
    // may pick one as a deadlock victim, which simply tries again.
    await retryOnDeadlock(() => this.boss.start());
    for (const def of this.o.queues ?? ALL_QUEUES) {
      const p = def.policy;
      await retryOnDeadlock(() =>
        this.boss.createQueue(def.name, {
          name: def.name,
          retryLimit: p.retryLimit,
          retryDelay: p.retryDelaySeconds,
          retryBackoff: p.backoff,
          expireInSeconds: p.expireInSeconds,
        }),
      );
      const cron = def.cron;
      if (cron) await retryOnDeadlock(() => this.boss.schedule(def.name, cron.expression, {}, { tz: cron.tz }));
    }
    for (const { def, handler } of this.handlers.values()) {
      await this.boss.work<unknown>(def.name, { pollingIntervalSeconds: this.o.pollingIntervalSeconds ?? 0.5, batchSize: 1, includeMetadata: true }, async (jobs) => {
        for (const job of jobs) {
          const parsed = def.payload.safeParse(job.data);
          if (!parsed.success) {
            const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
            this.o.logger.error({ queue: def.name, jobId: job.id, reason }, 'job payload is invalid: dead-lettered, not retried');
            await this.boss.send(deadLetter.name, { queue: def.name, reason, data: job.data });
            continue;
          }
          const run = handler(parsed.data, { id: job.id, attempt: (job as { retryCount?: number }).retryCount ?? 0 });
          this.running.add(run);
          try {
            await run;
          } finally {
            this.running.delete(run);
          }
        }
      });
    }
    this.started = true;
  }

  async send<P>(def: QueueDef<P>, payload: P, opts: { startAfter?: Date } = {}): Promise<string | null> {
    const data = def.payload.parse(payload);
    const key = def.key(data);
    return this.boss.send(def.name, data as object, {
      // The idempotency key becomes the job id: a second send of the same key is not stored.
      ...(key ? { id: keyToUuid(def.name, key), singletonKey: key } : {}),
      ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
    });
  }

  /** Jobs of a queue in a state (tests and the health page). */
  async count<P>(def: QueueDef<P>, state: 'created' | 'retry' | 'active' | 'completed' | 'failed' = 'created'): Promise<number> {
    const r = await this.boss.getDb().executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = $2`, [def.name, state]);
    return (r.rows[0] as { n: number }).n;
  }

  async stop(): Promise<void> {
    const busy = this.running.size > 0;
    await this.boss.stop({ graceful: true, wait: true, timeout: 5000 }).catch(() => undefined);
    if (!busy && this.running.size === 0) return;
    // A handler was still running: let it end (bounded), then let pg-boss's workers notice they are
    // stopped (it checks every second), so nothing of the queue runs after `stop` has returned.
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => setTimeout(r, 15_000).unref())]);
    await new Promise((r) => setTimeout(r, 1_100));
  }
}

/** A stable UUID for (queue, idempotency key). */
export function keyToUuid(queue: string, key: string): string {
  const h = crypto.createHash('sha256').update(`${queue}\u0000${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

async function retryOnDeadlock<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if ((code !== '40P01' && code !== '40001' && code !== '23505') || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 50 * i + Math.floor(Math.random() * 50)));
    }
  }
}
