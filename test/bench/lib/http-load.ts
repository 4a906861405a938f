/**
 * A small closed-loop HTTP load generator over keep-alive sockets: `concurrency` workers each send
 * the next prepared request as soon as their previous one has been answered.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** A request built (and signed) before the clock starts. */
export interface PreparedRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface Answered {
  readonly status: number;
  /** From just before the request is written to the end of the response body. */
  readonly ms: number;
}

export interface LoadResult {
  readonly latenciesMs: number[];
  readonly wallMs: number;
  /** Count per HTTP status; -1 counts transport errors. */
  readonly statuses: ReadonlyMap<number, number>;
  /** Successful (2xx) answers per second of wall time. */
  readonly throughput: number;
}

export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/** Signs nothing, retries nothing: one POST, timed. Transport errors answer status -1. */
export function post(agent: http.Agent, port: number, req: PreparedRequest, timeoutMs = 30_000): Promise<Answered> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const r = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: req.path,
        headers: { ...req.headers, 'content-length': String(req.body.length) },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
        res.on('error', () => resolve({ status: -1, ms: performance.now() - t0 }));
      },
    );
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', () => resolve({ status: -1, ms: performance.now() - t0 }));
    r.end(req.body);
  });
}

/** Sends every request in `requests` with `concurrency` in flight; returns when all are answered. */
export async function closedLoop(port: number, requests: readonly PreparedRequest[], concurrency: number): Promise<LoadResult> {
  const agent = keepAliveAgent(concurrency);
  const latenciesMs: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  let ok = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      const req = requests[i];
      if (!req) return;
      const a = await post(agent, port, req);
      latenciesMs.push(a.ms);
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      if (a.status >= 200 && a.status < 300) ok++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  const wallMs = performance.now() - t0;
  agent.destroy();
  return { latenciesMs, wallMs, statuses, throughput: (ok * 1000) / wallMs };
}

/** `200×2000` or `200×1990, 503×10`. */
export function describeStatuses(statuses: ReadonlyMap<number, number>): string {
  return [...statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s === -1 ? 'error' : s}×${n}`)
    .join(', ');
}
