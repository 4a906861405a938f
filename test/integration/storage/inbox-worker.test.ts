/**
 * The inbox worker on a real PostgreSQL: group commit of concurrent webhook inserts, batches per
 * conversation, and pacing while the webhook endpoints are saturated.
 */
import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { Pool } from 'pg';
import { InboxWorker } from '../../../src/inbox/inbox-worker';
import { IngressGauge } from '../../../src/inbox/ingress-gauge';
import { silentLogger } from '../../../src/logger';
import { PgInboxRepo, type InboundEventInput, type InboundEventRow } from '../../../src/storage/inbox-repo';
import { createTestDb, type TestDb } from '../../support/db';

let t: TestDb;
let lockPool: Pool;
beforeAll(async () => {
  t = await createTestDb();
  lockPool = new Pool({ connectionString: t.url, max: 8 });
});
afterAll(async () => {
  await lockPool.end();
  await t.drop();
});

const ev = (conversation: string, id: string): InboundEventInput => ({
  channel: 'test',
  dedupeKey: id,
  conversationKey: conversation,
  kind: 'message',
  body: { id },
});

/** A signed webhook request "in flight" through the gauge; `end()` finishes it. */
function holdRequest(gauge: IngressGauge): { end(): void } {
  const res = new EventEmitter();
  gauge.track(res as unknown as Response);
  return { end: () => res.emit('finish') };
}

describe('InboxWorker', () => {
  it('stores concurrent webhook requests in shared commits and still tells each request which events were new', async () => {
    const inbox = new PgInboxRepo(t.db);
    const statements: number[] = [];
    const counting = new PgInboxRepo({
      query: (text, params) => {
        if (text.startsWith('INSERT INTO inbound_events')) statements.push((params ?? []).length / 5);
        return t.db.query(text, params);
      },
    });
    const handled: string[] = [];
    const worker = new InboxWorker({
      inbox: counting,
      lockPool,
      logger: silentLogger,
      handlers: { test: async (e: InboundEventRow) => void handled.push((e.body as { id: string }).id) },
    });
    // 30 requests at once; request 29 redelivers the event of request 3.
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => worker.accept([ev(`group-${i % 5}`, i === 29 ? 'g-3' : `g-${i}`)])),
    );
    await worker.idle();
    expect(results.filter((r) => r.stored === 1)).toHaveLength(29);
    expect(results[29]).toEqual({ stored: 0, duplicates: 1 });
    expect(statements.reduce((a, b) => a + b, 0)).toBe(30); // every event went to the database once…
    expect(statements.length).toBeLessThan(30); // …in fewer statements than requests
    expect(handled.sort()).toEqual(Array.from({ length: 29 }, (_, i) => `g-${i}`).sort());
    const rows = await inbox.pending('group-0', 100);
    expect(rows).toEqual([]);
  });

  it('handles a conversation\'s waiting events in arrival order, a batch under one lock', async () => {
    let locks = 0;
    const countingPool = new Proxy(lockPool, {
      get(target, prop, receiver) {
        if (prop !== 'connect') return Reflect.get(target, prop, receiver);
        return async () => {
          const c = await target.connect();
          const query = c.query.bind(c);
          (c as unknown as { query: unknown }).query = (text: string, params?: unknown[]) => {
            if (String(text).includes('pg_try_advisory_lock')) locks++;
            return query(text, params);
          };
          return c;
        };
      },
    });
    const repo = new PgInboxRepo(t.db);
    await repo.insertFlags(Array.from({ length: 7 }, (_, i) => ev('batch-1', `b-${i}`)));
    const order: string[] = [];
    const worker = new InboxWorker({
      inbox: repo,
      lockPool: countingPool,
      logger: silentLogger,
      batchSize: 10,
      handlers: { test: async (e) => void order.push((e.body as { id: string }).id) },
    });
    worker.schedule('batch-1');
    worker.schedule('batch-1'); // a second wake-up before the drain starts adds no extra drain
    await worker.idle();
    expect(order).toEqual(['b-0', 'b-1', 'b-2', 'b-3', 'b-4', 'b-5', 'b-6']);
    expect(locks).toBe(1);
  });

  it('a resident with a long backlog goes to the back of the queue after each batch, so others are not kept waiting', async () => {
    const repo = new PgInboxRepo(t.db);
    await repo.insertFlags(Array.from({ length: 5 }, (_, i) => ev('long-a', `la-${i}`)));
    await repo.insertFlags([ev('long-b', 'lb-0')]);
    const order: string[] = [];
    const worker = new InboxWorker({
      inbox: repo,
      lockPool,
      logger: silentLogger,
      batchSize: 2,
      concurrency: 1,
      handlers: { test: async (e) => void order.push((e.body as { id: string }).id) },
    });
    worker.schedule('long-a');
    worker.schedule('long-b');
    await worker.idle();
    expect(order).toEqual(['la-0', 'la-1', 'lb-0', 'la-2', 'la-3', 'la-4']);
  });

  it('when another process holds the conversation, tries again shortly instead of waiting for the recovery poll', async () => {
    const repo = new PgInboxRepo(t.db);
    await repo.insertFlags([ev('held-1', 'h-0')]);
    const other = await lockPool.connect();
    await other.query('SELECT pg_advisory_lock(hashtextextended($1, 42))', ['held-1']);
    const handled: string[] = [];
    const worker = new InboxWorker({
      inbox: repo,
      lockPool,
      logger: silentLogger,
      handlers: { test: async (e) => void handled.push((e.body as { id: string }).id) },
    });
    worker.schedule('held-1'); // finds the lock taken
    await new Promise((r) => setTimeout(r, 30));
    await other.query('SELECT pg_advisory_unlock(hashtextextended($1, 42))', ['held-1']);
    other.release();
    for (let i = 0; i < 50 && handled.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      await worker.idle();
    }
    expect(handled).toEqual(['h-0']); // no poll is running (start() was not called)
  });

  it('stores a message containing U+0000 (which jsonb refuses) without that character', async () => {
    const repo = new PgInboxRepo(t.db);
    const [stored] = await repo.insertFlags([{ ...ev('nul-1', 'n-0'), body: { text: 'ổ gà\u0000 đường Lê Lợi' } }]);
    expect(stored).toBe(true);
    const [row] = await repo.pending('nul-1', 1);
    expect(row!.body).toEqual({ text: 'ổ gà đường Lê Lợi' });
  });

  it('during a flood (endpoints saturated and more conversations waiting than it runs at once) paces the turns it starts', async () => {
    const gauge = new IngressGauge(1, 0);
    const repo = new PgInboxRepo(t.db);
    await repo.insertFlags(Array.from({ length: 8 }, (_, i) => ev(`paced-${i}`, `p-${i}`)));
    let running = 0;
    let maxRunning = 0;
    const starts: number[] = [];
    const worker = new InboxWorker({
      inbox: repo,
      lockPool,
      logger: silentLogger,
      ingress: gauge,
      concurrency: 2,
      busyGapMs: 40,
      handlers: {
        test: async () => {
          starts.push(Date.now());
          running++;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
        },
      },
    });
    const burst = holdRequest(gauge);
    expect(gauge.busy).toBe(true);
    for (let i = 0; i < 8; i++) worker.schedule(`paced-${i}`);
    await worker.idle();
    expect(starts).toHaveLength(8);
    expect(maxRunning).toBeLessThanOrEqual(2);
    // once the backlog is deeper than the concurrency, starts are at least busyGapMs apart
    for (let i = 3; i < 6; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(35);

    // The burst is over: the backlog runs at full concurrency without pacing.
    burst.end();
    expect(gauge.busy).toBe(false);
    await repo.insertFlags(Array.from({ length: 8 }, (_, i) => ev(`free-${i}`, `f-${i}`)));
    starts.length = 0;
    const t0 = Date.now();
    for (let i = 0; i < 8; i++) worker.schedule(`free-${i}`);
    await worker.idle();
    expect(starts).toHaveLength(8);
    expect(Date.now() - t0).toBeLessThan(8 * 40);
  });

  it('many residents talking at once while the endpoints are busy is not a flood: no pacing', async () => {
    const gauge = new IngressGauge(1, 0);
    const repo = new PgInboxRepo(t.db);
    await repo.insertFlags(Array.from({ length: 4 }, (_, i) => ev(`talk-${i}`, `t-${i}`)));
    let running = 0;
    let maxRunning = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const worker = new InboxWorker({
      inbox: repo,
      lockPool,
      logger: silentLogger,
      ingress: gauge,
      concurrency: 8,
      busyGapMs: 1000,
      handlers: {
        test: async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await gate;
          running--;
        },
      },
    });
    const busy = holdRequest(gauge);
    for (let i = 0; i < 4; i++) worker.schedule(`talk-${i}`);
    await new Promise((r) => setTimeout(r, 200));
    expect(maxRunning).toBe(4);
    release();
    await worker.idle();
    busy.end();
  });
});
