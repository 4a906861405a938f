/**
 * CPU time per process, from /proc (Linux). Wall-clock figures on a shared 2-core machine move with
 * whatever else runs; CPU time per request does not, so suites report both.
 */
import fs from 'node:fs';
import os from 'node:os';

const TICK_MS = 10; // USER_HZ is 100 on every Linux we run on (getconf CLK_TCK)

interface Stat {
  ppid: number;
  /** utime + stime of the process itself. */
  own: number;
  /** cutime + cstime: children that exited and were reaped. */
  reaped: number;
}

function readStat(pid: number): Stat | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(f[i] ?? 0);
    return { ppid: n(1), own: (n(11) + n(12)) * TICK_MS, reaped: (n(13) + n(14)) * TICK_MS };
  } catch {
    return null;
  }
}

/** CPU ms used so far by one process (its threads included), or null when it cannot be read. */
export function processCpuMs(pid: number): number | null {
  return readStat(pid)?.own ?? null;
}

/**
 * CPU ms used so far by a process and all its descendants, including those that already exited
 * (PostgreSQL: the postmaster and every backend). Null when /proc cannot be read.
 */
export function treeCpuMs(rootPid: number): number | null {
  const root = readStat(rootPid);
  if (!root) return null;
  const children = new Map<number, number[]>();
  const stats = new Map<number, Stat>();
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const st = readStat(pid);
    if (!st) continue;
    stats.set(pid, st);
    const list = children.get(st.ppid) ?? [];
    list.push(pid);
    children.set(st.ppid, list);
  }
  let total = 0;
  const visit = (pid: number, st: Stat) => {
    total += st.own + st.reaped;
    for (const c of children.get(pid) ?? []) {
      const cs = stats.get(c);
      if (cs) visit(c, cs);
    }
  };
  visit(rootPid, root);
  return total;
}

/** CPU ms of this process so far. */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Reads several CPU counters at once; `delta` subtracts two readings (null stays null). */
export type CpuReading = Record<string, number | null>;

export function cpuDelta(before: CpuReading, after: CpuReading): CpuReading {
  const out: CpuReading = {};
  for (const k of Object.keys(after)) {
    const a = after[k];
    const b = before[k];
    out[k] = a == null || b == null ? null : a - b;
  }
  return out;
}

/** Load average and core count, to tell a quiet machine from a busy one. */
export function loadNow(): { load1: number; cores: number } {
  return { load1: os.loadavg()[0] ?? Number.NaN, cores: os.availableParallelism() };
}

/** CPU ms spent per event by each party, summed over phases. */
export class CpuLedger {
  private readonly sums = new Map<string, { events: number; cpu: CpuReading }>();
  add(row: string, events: number, d: CpuReading): void {
    const cur = this.sums.get(row) ?? { events: 0, cpu: {} };
    cur.events += events;
    for (const [k, v] of Object.entries(d)) {
      const prev = cur.cpu[k];
      cur.cpu[k] = v === null || prev === null ? null : (prev ?? 0) + v;
    }
    this.sums.set(row, cur);
  }
  /** CPU ms per event of one party (`runner`, `server`, `pg`) in one row, or null. */
  perEvent(row: string, party: string): number | null {
    const cur = this.sums.get(row);
    const v = cur?.cpu[party];
    return cur && v != null ? v / cur.events : null;
  }
  rows(): string[][] {
    const f = (x: number | null | undefined, n: number) => (x == null ? 'n/a' : `${(x / n).toFixed(2)} ms`);
    return [...this.sums].map(([row, { events, cpu }]) => {
      const total = cpu.runner == null || cpu.server == null || cpu.pg == null ? null : cpu.runner + cpu.server + cpu.pg;
      return [row, events.toLocaleString('en-US'), f(cpu.runner, events), f(cpu.server, events), f(cpu.pg, events), f(total, events)];
    });
  }
}
