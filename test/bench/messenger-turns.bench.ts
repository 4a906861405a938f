/**
 * Full turns: a signed Messenger event in, the bot's reply recorded by the fake Graph API out.
 * 50 residents talk at once; each sends its next message only after the previous reply arrived.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { cpuDelta, processCpuMs, selfCpuMs, type CpuReading } from './lib/cpu';
import { startHost } from './lib/host';
import { keepAliveAgent, post } from './lib/http-load';
import { benchWebhooks, prepared, startFakes } from './lib/messenger';
import { PACE_TEXT, residentsDriver, type TurnTiming } from './lib/pace';
import { mb, ms, num, summarise, type Summary } from './lib/stats';
import type { Suite, SuiteReport } from './lib/suite';

const RESIDENTS = 50;
const WARMUP_TURNS = 2;
const TURNS = 20;
const REPLY_TIMEOUT_MS = 10_000;
const TARGET_P99_MS = 100;

/**
 * Hands out the fake's recorded replies per resident. Polls `sentMessageRecords()` every
 * millisecond from a cursor; the time of a reply is the fake's own record time (`at`), so the poll
 * interval delays the next message, never the measured latency.
 */
class ReplyWatcher {
  private cursor = 0;
  private readonly waiters = new Map<string, (at: number) => void>();
  /** Replies nobody was waiting for: a turn that sent more than one message, or a late one. */
  readonly unclaimed: string[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly graph: FakeGraphApi) {
    this.timer = setInterval(() => this.poll(), 1);
  }

  private poll(): void {
    const records = this.graph.sentMessageRecords();
    for (; this.cursor < records.length; this.cursor++) {
      const r = records[this.cursor]!;
      const w = this.waiters.get(r.psid);
      if (w) {
        this.waiters.delete(r.psid);
        w(r.at.getTime());
      } else {
        this.unclaimed.push(r.psid);
      }
    }
  }

  /** The record time (epoch ms) of the next reply to `psid`, or null after `timeoutMs`. */
  next(psid: string, timeoutMs: number): Promise<number | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(psid);
        resolve(null);
      }, timeoutMs);
      this.waiters.set(psid, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  close(): void {
    this.poll();
    clearInterval(this.timer);
  }
}


export const messengerTurnsSuite: Suite = {
  name: 'messenger-turns',
  title: 'Messenger full turns under 50 concurrent residents',
  async run(ctx): Promise<SuiteReport> {
    const db = await ctx.database('turns');
    const fakes = await startFakes(ctx);
    const app = await startHost('app', 'app-host.ts', { log: ctx.log, env: fakes.appHostEnv(db.url) });
    ctx.defer(() => app.stop());
    const port = app.info.port!;
    const watcher = new ReplyWatcher(fakes.graph);
    ctx.defer(() => watcher.close());
    const agent = keepAliveAgent(RESIDENTS);
    ctx.defer(() => agent.destroy());

    let timeouts = 0;
    let badAcks = 0;
    /** One turn: alternately the typed command and the menu postback; both answer with one message. */
    const turn = async (psid: string, k: number): Promise<TurnTiming | null> => {
      const req = prepared(
        k % 2 === 0
          ? benchWebhooks.text({ psid, text: 'Báo cáo của tôi' })
          : benchWebhooks.postback({ psid, payload: 'MY_REPORTS', title: 'Phản ánh của tôi' }),
      );
      const reply = watcher.next(psid, REPLY_TIMEOUT_MS);
      const t0 = Date.now();
      const ack = await post(agent, port, req);
      if (ack.status !== 200) badAcks++;
      const at = await reply;
      if (at === null) {
        timeouts++;
        return null;
      }
      return { turnMs: at - t0, ackMs: ack.ms };
    };
    const everyone = residentsDriver((resident, index) => turn(`turns-${resident}`, index));
    const reading = (): CpuReading => ({ runner: selfCpuMs(), app: processCpuMs(app.pid), pg: ctx.postgresCpuMs() });

    ctx.log(`warm-up: ${WARMUP_TURNS} turns per resident (the first creates the resident and session)`);
    await everyone(RESIDENTS, WARMUP_TURNS);
    await app.call('drain');
    const warmTimeouts = timeouts;

    // Reference, not a target: one resident alone (already warmed up as resident 0) shows the unloaded turn latency.
    ctx.log(`reference: 1 resident × ${TURNS} turns`);
    timeouts = 0;
    const solo = summarise((await everyone(1, TURNS)).map((s) => s.turnMs));
    const soloTimeouts = timeouts;
    await app.call('drain');

    ctx.log(`measuring: ${RESIDENTS} residents × ${TURNS} turns at a resident's pace`);
    timeouts = 0;
    badAcks = 0;
    const t0 = performance.now();
    const samples = await everyone(RESIDENTS, TURNS, true);
    const wallMs = performance.now() - t0;
    await app.call('drain');
    const pacedTimeouts = timeouts;

    // Capacity, not a target: the same residents with no think time at all saturate the machine, so
    // their latency is simply residents ÷ throughput (a queue), which this row shows.
    ctx.log(`capacity: ${RESIDENTS} residents × ${TURNS} turns with no think time`);
    timeouts = 0;
    const cpuBefore = reading();
    const tSat = performance.now();
    const saturated = await everyone(RESIDENTS, TURNS, false);
    const satWallMs = performance.now() - tSat;
    const drain = await app.call<{ ms: number; counts: Record<string, number> }>('drain');
    const cpu = cpuDelta(cpuBefore, reading());
    const satTimeouts = timeouts;
    const usage = await app.call<{ maxRssBytes: number; cpuMs: number }>('usage');
    await app.stop();
    watcher.close();

    const turns = summarise(samples.map((s) => s.turnMs));
    const acks = summarise(samples.map((s) => s.ackMs));
    const after = summarise(samples.map((s) => s.turnMs - s.ackMs));
    const perSecond = (samples.length * 1000) / wallMs;
    const sat = summarise(saturated.map((s) => s.turnMs));
    const satPerSecond = (saturated.length * 1000) / satWallMs;
    const sent = fakes.graph.sentMessages().length;
    const expected = RESIDENTS * (WARMUP_TURNS + 2 * TURNS) + TURNS;
    const slow = samples.filter((s) => s.turnMs > 1000);
    const slowFirst = slow.filter((s) => s.index === 0).length;
    const firstTurns = summarise(samples.filter((s) => s.index === 0).map((s) => s.turnMs));
    const laterTurns = summarise(samples.filter((s) => s.index > 0).map((s) => s.turnMs));
    const perTurn = (x: number | null | undefined) => (x == null ? 'n/a' : `${(x / saturated.length).toFixed(2)} ms`);
    const cpuTotal = cpu.runner == null || cpu.app == null || cpu.pg == null ? null : cpu.runner + cpu.app + cpu.pg;
    ctx.log(`turns at a resident's pace: p50 ${ms(turns.p50)}, p99 ${ms(turns.p99)}, ${num(perSecond)} turns/s`);
    ctx.log(`no think time: p50 ${ms(sat.p50)}, p99 ${ms(sat.p99)}, ${num(satPerSecond)} turns/s`);

    const latencyRow = (name: string, s: Summary, tput = '') => [name, s.n ? num(s.n) : '', tput, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.mean), ms(s.max)];
    return {
      method:
        `${RESIDENTS} residents talk at once; each sends ${TURNS} messages one after another, alternating the typed command ` +
        '"Báo cáo của tôi" and the `MY_REPORTS` menu postback, each answered with one message. Turn latency runs from the ' +
        'start of the signed POST to the moment the fake recorded the reply (its own timestamp, 1 ms resolution). The app ' +
        '(wired as in `src/main.ts`, PostgreSQL) runs in a child process; the fakes and the load run in the runner. ' +
        `${WARMUP_TURNS} unmeasured warm-up turns per resident first (the first creates the resident and the session). ` +
        'There is no baseline to divide by (a turn is our own work end to end); the target is absolute, and one resident ' +
        'talking alone is shown for reference.\n\n' +
        `**At a resident's pace (the target):** ${PACE_TEXT}. ` +
        '**With no think time (capacity):** the same 50 residents send the next message the moment the reply is recorded. ' +
        'That keeps the machine saturated, so every turn waits behind the others and the latency is residents ÷ throughput; ' +
        'the row shows how many turns per second this machine handles, not how long a resident waits. CPU time per turn ' +
        'is measured in this phase.',
      tables: [
        {
          columns: ['', 'Turns', 'Throughput', 'p50', 'p95', 'p99', 'mean', 'max'],
          rows: [
            latencyRow(`${RESIDENTS} residents at a resident's pace: full turn (POST → reply at fake)`, turns, `${num(perSecond, 1)} turns/s`),
            latencyRow('  of which: ack (POST → 200)', { ...acks, n: 0 }),
            latencyRow('  of which: after the ack', { ...after, n: 0 }),
            latencyRow("  each resident's first measured turn", firstTurns),
            latencyRow('  all later turns', laterTurns),
            latencyRow('reference: 1 resident alone', solo),
            latencyRow(`capacity: ${RESIDENTS} residents, no think time`, sat, `${num(satPerSecond, 1)} turns/s`),
          ],
        },
        {
          title: 'CPU time per turn (50 residents, no think time)',
          columns: ['load generator + fakes', 'app process', 'PostgreSQL', 'total', 'total ÷ cores ⇒ turns/s ceiling'],
          rows: [[
            perTurn(cpu.runner),
            perTurn(cpu.app),
            perTurn(cpu.pg),
            perTurn(cpuTotal),
            cpuTotal == null ? 'n/a' : num((os.availableParallelism() * 1000 * samples.length) / cpuTotal),
          ]],
        },
      ],
      targets: [
        {
          label: "full-turn p99 latency (50 residents at a resident's pace)",
          target: `≤ ${TARGET_P99_MS} ms`,
          measured: ms(turns.p99),
          pass: turns.p99 <= TARGET_P99_MS && pacedTimeouts === 0,
        },
      ],
      notes: [
        `Turns over 1 s: ${slow.length} (${slowFirst} of them a resident's first measured turn).`,
        `Replies recorded: ${num(sent)} for ${num(expected)} turns; unclaimed (extra or late) replies: ${watcher.unclaimed.length}; ` +
          `replies not seen within ${REPLY_TIMEOUT_MS / 1000} s: ${pacedTimeouts} (warm-up: ${warmTimeouts}, reference: ${soloTimeouts}, ` +
          `no think time: ${satTimeouts}); non-200 acks: ${badAcks}.`,
        `Inbox after the run: ${JSON.stringify(drain.counts)}. App host peak RSS ${mb(usage.maxRssBytes)}.`,
        'The "of which" rows split each turn at the 200; they are per-turn differences, so their percentiles do not add up.',
      ],
    };
  },
};
