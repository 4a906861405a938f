/**
 * Servers under test run in child processes ("hosts"), so the load generator never shares their
 * event loop, and the bare baseline and the app are started the same way. Parent and host talk over
 * the IPC channel: the host announces `ready` (with its port), then answers calls by name.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface HostReady {
  readonly port?: number;
  readonly [key: string]: unknown;
}

interface ReadyMessage {
  type: 'ready';
  info: HostReady;
}
interface ResultMessage {
  type: 'result';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}
type HostMessage = ReadyMessage | ResultMessage;

export interface Host {
  readonly name: string;
  readonly pid: number;
  readonly info: HostReady;
  /** Calls a handler the host registered with `serveHost`. */
  call<T>(cmd: string, arg?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the host to shut down cleanly; kills it if it has not exited within 15 s. */
  stop(): Promise<void>;
}

export interface StartHostOptions {
  readonly env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof` (see BENCH_CPU_PROF in run.ts). */
  readonly nodeFlags?: readonly string[];
  readonly readyTimeoutMs?: number;
  readonly log: (msg: string) => void;
}

const HOSTS_DIR = path.join(__dirname, '..', 'hosts');

/**
 * `BENCH_CPU_PROF=app,photo` profiles the hosts of those names (`--cpu-prof`); profiles land in
 * `BENCH_CPU_PROF_DIR` (default `./bench-profiles`), one per host process, written when it exits.
 */
function profilingFlags(name: string, log: (msg: string) => void): string[] {
  const wanted = (process.env.BENCH_CPU_PROF ?? '').split(',').map((s) => s.trim());
  if (!wanted.includes(name)) return [];
  const dir = path.resolve(process.env.BENCH_CPU_PROF_DIR ?? 'bench-profiles');
  log(`profiling host ${name} into ${dir}`);
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** Forks `test/bench/hosts/<script>` under ts-node and waits until it is ready. */
export async function startHost(name: string, script: string, opts: StartHostOptions): Promise<Host> {
  const child = fork(path.join(HOSTS_DIR, script), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only', ...profilingFlags(name, opts.log), ...(opts.nodeFlags ?? [])],
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      opts.log(`[${name}] ${line}`);
    });
  }

  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then((code) => {
    for (const p of pending.values()) p.reject(new Error(`host ${name} exited (code ${code}) during a call; last output:\n${tail.join('\n')}`));
    pending.clear();
  });

  const info = await new Promise<HostReady>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`host ${name} was not ready within ${opts.readyTimeoutMs ?? 60_000} ms; last output:\n${tail.join('\n')}`));
    }, opts.readyTimeoutMs ?? 60_000);
    child.on('message', (m: HostMessage) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m.info);
      } else if (m.type === 'result') {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(new Error(`host ${name}: ${m.error ?? 'call failed'}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`host ${name} exited (code ${code}) before it was ready; last output:\n${tail.join('\n')}`));
    });
  });

  let stopping: Promise<void> | undefined;
  return {
    name,
    pid: child.pid ?? -1,
    info,
    call<T>(cmd: string, arg?: unknown, timeoutMs = 120_000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`host ${name}: '${cmd}' did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ type: 'call', id, cmd, arg });
      });
    },
    stop() {
      stopping ??= stopHost(child, exited);
      return stopping;
    },
  };
}

async function stopHost(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
