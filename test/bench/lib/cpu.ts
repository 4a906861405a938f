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
