/**
 * Webhook ack throughput and latency: the real app's POST /webhooks/messenger against a bare
 * express endpoint doing only the HMAC-SHA256 check. Both run in child processes started the same
 * way; the load comes from this process over keep-alive sockets.
 */
import { CpuLedger, cpuDelta, processCpuMs, selfCpuMs, type CpuReading } from './lib/cpu';
import { startHost, type Host } from './lib/host';
import { closedLoop, describeStatuses, type LoadResult, type PreparedRequest } from './lib/http-load';
import { benchWebhooks, prepared, startFakes } from './lib/messenger';
import { mb, ms, num, ratio, summarise } from './lib/stats';
import type { Suite, SuiteReport } from './lib/suite';

const CONCURRENCY = 32;
const WARMUP_REQUESTS = 300;
const MEASURED_REQUESTS = 2000;
/** Rounds alternate which server goes first (bare→app, then app→bare). */
const ROUNDS = 2;
const TARGET_RATIO = 0.5;
/** Plain text that gets one reply; what the reply is does not matter for the ack. */
const TEXT = 'Báo cáo của tôi';

type Which = 'bare' | 'app';

interface Drain {
  ms: number;
  counts: Record<string, number>;
}
interface Usage {
  maxRssBytes: number;
  cpuMs: number;
}

export const messengerAckSuite: Suite = {
  name: 'messenger-ack',
  title: 'Messenger webhook ack: app vs bare HMAC endpoint',
  async run(ctx): Promise<SuiteReport> {
    const db = await ctx.database('ack');
    const fakes = await startFakes(ctx);
    const hosts: Record<Which, Host> = {
      bare: await startHost('bare', 'bare-host.ts', { log: ctx.log }),
      app: await startHost('app', 'app-host.ts', { log: ctx.log, env: fakes.appHostEnv(db.url) }),
    };
    ctx.defer(() => hosts.app.stop());
    ctx.defer(() => hosts.bare.stop());

    // Every event is a new resident with a new mid: nothing is a duplicate, each one is stored and handled.
    let seq = 0;
    const batch = (n: number): PreparedRequest[] =>
      Array.from({ length: n }, () => prepared(benchWebhooks.text({ psid: `ack-${++seq}`, text: TEXT })));
    const reading = (which: Which): CpuReading => ({ runner: selfCpuMs(), server: processCpuMs(hosts[which].pid), pg: ctx.postgresCpuMs() });
    const cpu = new CpuLedger();
    const drains: Drain[] = [];

    /** One closed-loop run; for the app, then waits for the backlog (not counted in the ack figures). */
    const load = async (which: Which, n: number, account: boolean): Promise<LoadResult> => {
      const requests = batch(n);
      const before = reading(which);
      const r = await closedLoop(hosts[which].info.port!, requests, CONCURRENCY);
      const acked = reading(which);
      ctx.log(`${which}: ${n} requests, ${num(r.throughput)} req/s, ${describeStatuses(r.statuses)}`);
      if (account) cpu.add(which === 'bare' ? 'bare: ack' : 'app: ack phase (worker running alongside)', n, cpuDelta(before, acked));
      if (which === 'app') {
        const d = await hosts.app.call<Drain>('drain');
        ctx.log(`app backlog drained in ${num(d.ms)} ms: ${JSON.stringify(d.counts)}`);
        if (account) {
          drains.push(d);
          cpu.add('app: backlog after the ack', n, cpuDelta(acked, reading(which)));
        }
      }
      return r;
    };

    ctx.log(`warm-up: ${WARMUP_REQUESTS} requests to each`);
    await load('bare', WARMUP_REQUESTS, false);
    await load('app', WARMUP_REQUESTS, false);

    const results: Record<Which, LoadResult[]> = { bare: [], app: [] };
    const roundRows: string[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order: Which[] = round % 2 === 0 ? ['bare', 'app'] : ['app', 'bare'];
      const got: Partial<Record<Which, LoadResult>> = {};
      for (const which of order) {
        got[which] = await load(which, MEASURED_REQUESTS, true);
        results[which].push(got[which]);
      }
      roundRows.push([String(round + 1), order.join(' → '), num(got.bare!.throughput), num(got.app!.throughput), ratio(got.app!.throughput / got.bare!.throughput)]);
    }

    // Diagnostic, not a target: the ack path alone, with the inbox worker paused (events are stored, never handled).
    ctx.log(`diagnostic: ${MEASURED_REQUESTS} requests to the app with its inbox worker paused`);
    await hosts.app.call('pauseWorker');
    const pausedBefore = reading('app');
    const paused = await closedLoop(hosts.app.info.port!, batch(MEASURED_REQUESTS), CONCURRENCY);
    cpu.add('app: ack with the worker paused (diagnostic)', MEASURED_REQUESTS, cpuDelta(pausedBefore, reading('app')));
    const resumed = await hosts.app.call<{ skipped: number }>('resumeWorker');
    ctx.log(`paused-worker app: ${num(paused.throughput)} req/s; ${resumed.skipped} events marked skipped`);

    const usage = { bare: await hosts.bare.call<Usage>('usage'), app: await hosts.app.call<Usage>('usage') };
    const replies = fakes.graph.sentMessages().length;
    const handledEvents = WARMUP_REQUESTS + ROUNDS * MEASURED_REQUESTS;
    await hosts.app.stop();
    await hosts.bare.stop();

    const combined = (rs: LoadResult[]) => {
      const statuses = new Map<number, number>();
      for (const r of rs) for (const [s, n] of r.statuses) statuses.set(s, (statuses.get(s) ?? 0) + n);
      const ok = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((a, [, n]) => a + n, 0);
      const wallMs = rs.reduce((s, r) => s + r.wallMs, 0);
      return { stats: summarise(rs.flatMap((r) => r.latenciesMs)), throughput: (ok * 1000) / wallMs, statuses };
    };
    const bare = combined(results.bare);
    const app = combined(results.app);
    const pausedC = combined([paused]);
    const tputRatio = app.throughput / bare.throughput;
    const row = (name: string, c: ReturnType<typeof combined>) => [
      name, num(c.stats.n), `${num(c.throughput)} req/s`, ms(c.stats.p50), ms(c.stats.p99), ms(c.stats.mean), ms(c.stats.max), describeStatuses(c.statuses),
    ];

    return {
      method:
        `Signed Messenger text events (${JSON.stringify(TEXT)}), each from a new resident with a new mid, POSTed to ` +
        '`/webhooks/messenger` from the runner process over keep-alive sockets, ' +
        `${CONCURRENCY} in flight (closed loop). Both servers run in their own child process, started the same way ` +
        '(node + ts-node transpile-only): the **baseline** is a bare express 5 route with `express.raw` + HMAC-SHA256 ' +
        '`timingSafeEqual` + 200; the **app** is `createApplication` wired as in `src/main.ts` on PostgreSQL, replying through the ' +
        `fake Graph API. After ${WARMUP_REQUESTS} warm-up requests each, ${ROUNDS} rounds of ${num(MEASURED_REQUESTS)} ` +
        'requests per server, alternating which goes first. The app hands events to its per-conversation worker after the ' +
        "ack, as in production, so that work overlaps the app's measurement. 32 requests in flight from new residents is a " +
        'flood: the webhook endpoints are saturated and more conversations wait than the worker runs at once, so the worker ' +
        'paces the turns it starts (one at a time, at most one per 25 ms; `InboxWorker`, `IngressGauge`) and the acks keep the ' +
        'CPU; the backlog is drained after each app run (its time is shown) and is not counted in ack figures. Latency is client-side, from writing the request to the end of the response. ' +
        'CPU time comes from /proc for each process (PostgreSQL: postmaster and all backends).',
      tables: [
        {
          columns: ['Endpoint', 'Requests', 'Throughput', 'p50', 'p99', 'mean', 'max', 'Answers'],
          rows: [
            row('bare express + HMAC (baseline)', bare),
            row('app POST /webhooks/messenger', app),
            ['app ÷ bare', '', ratio(tputRatio), ratio(app.stats.p50 / bare.stats.p50), ratio(app.stats.p99 / bare.stats.p99), ratio(app.stats.mean / bare.stats.mean), '', ''],
            row('diagnostic: app, inbox worker paused', pausedC),
          ],
        },
        { title: 'Per round', columns: ['Round', 'Order', 'bare req/s', 'app req/s', 'app ÷ bare'], rows: roundRows },
        {
          title: 'CPU time per event',
          columns: ['Phase', 'Events', 'load generator + fakes', 'server process', 'PostgreSQL', 'total'],
          rows: cpu.rows(),
        },
        {
          title: 'After the ack (not in the ack figures)',
          columns: ['App run', 'Backlog drain time', 'Inbox after drain'],
          rows: drains.map((d, i) => [String(i + 1), ms(d.ms), JSON.stringify(d.counts)]),
        },
      ],
      targets: [
        {
          label: 'app ack throughput ÷ bare',
          target: `≥ ${TARGET_RATIO.toFixed(2)}×`,
          measured: `${ratio(tputRatio)} (${num(app.throughput)} vs ${num(bare.throughput)} req/s)`,
          pass: tputRatio >= TARGET_RATIO,
        },
      ],
      notes: [
        `Replies recorded at the fake Graph API: ${num(replies)} for ${num(handledEvents)} handled events; ` +
          `${num(resumed.skipped)} diagnostic events were stored and marked skipped, never handled.`,
        `Peak RSS: app host ${mb(usage.app.maxRssBytes)}, bare host ${mb(usage.bare.maxRssBytes)} (both include ts-node).`,
      ],
    };
  },
};
