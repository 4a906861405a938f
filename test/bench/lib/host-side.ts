/**
 * The child's half of `host.ts`: registers named handlers, announces readiness, shuts down on
 * `stop` or when the parent goes away (so a crashed run leaves no server behind).
 */
import { installLoopbackGuard } from './loopback-guard';

export type Handler = (arg: unknown) => Promise<unknown>;

interface CallMessage {
  type: 'call';
  id: number;
  cmd: string;
  arg?: unknown;
}
interface StopMessage {
  type: 'stop';
}

/**
 * Serves `handlers` over IPC. `shutdown` closes what the host opened; the process then exits with
 * code 0 (or 1 if shutdown failed), which also flushes a `--cpu-prof` profile.
 */
export function serveHost(info: Record<string, unknown>, handlers: Record<string, Handler>, shutdown: () => Promise<void>): void {
  if (!process.send) throw new Error('a bench host must be started by test/bench/lib/host.ts (no IPC channel)');
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    let code = 0;
    try {
      await shutdown();
    } catch (err: unknown) {
      process.stderr.write(`shutdown failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      code = 1;
    }
    process.exit(code);
  };
  process.on('message', (m: CallMessage | StopMessage) => {
    if (m.type === 'stop') return void close();
    const handler = handlers[m.cmd];
    const reply = (body: { ok: boolean; value?: unknown; error?: string }) => {
      if (process.connected) process.send!({ type: 'result', id: m.id, ...body });
    };
    if (!handler) return reply({ ok: false, error: `unknown command '${m.cmd}'` });
    handler(m.arg).then(
      (value) => reply({ ok: true, value }),
      (err: unknown) => reply({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
  });
  process.on('disconnect', () => void close());
  process.send({ type: 'ready', info });
}

/** Call first in every host: the benchmarks may only talk to loopback (and the configured database). */
export function prepareHost(): void {
  installLoopbackGuard();
}
