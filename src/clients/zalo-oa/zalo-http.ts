/**
 * One OpenAPI call with everything around it: the app-wide rate limit, the `access_token` header,
 * the `{error, message, data}` envelope (HTTP 200 with `error !== 0` is a failure), one refresh and
 * retry on token errors, and bounded exponential back-off with jitter for transient failures.
 */
import { PlatformApiError } from '../../domain/shared/errors';
import { ZaloTransportError, nextMinute, zaloApiError, zaloHttpError, zaloTransportError } from './zalo-errors';
import type { TokenBucket } from './zalo-rate-limiter';
import type { ZaloTokenManager } from './zalo-token-manager';
import type { ZaloLogger } from './types';

export interface ZaloHttpOptions {
  readonly apiUrl: string;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly logger?: ZaloLogger;
  readonly limiter: TokenBucket;
  readonly tokens: ZaloTokenManager;
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
}

export interface ZaloRequest {
  /** Our method name, used in errors and logs ("sendText"). */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** Path on the OpenAPI host, e.g. `/v3.0/oa/message/cs`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  /** Built anew for every attempt (a FormData body cannot be reused safely). */
  readonly multipart?: () => FormData;
  /**
   * False for sends: Zalo has no idempotency key, so a failure after the request may have reached
   * Zalo (timeout, reset, 5xx) is retried at most once, with a warning (reference §6.3).
   */
  readonly idempotent: boolean;
}

export class ZaloHttp {
  constructor(private readonly o: ZaloHttpOptions) {}

  /** Performs the call and returns the envelope's `data` (undefined when absent). */
  async call(req: ZaloRequest): Promise<unknown> {
    let attempt = 0;
    let refreshed = false;
    let ambiguousRetried = false;
    for (;;) {
      attempt += 1;
      let token: string | undefined;
      let sent = false;
      try {
        await this.o.limiter.take();
        token = await this.o.tokens.getAccessToken();
        sent = true;
        return await this.once(req, token);
      } catch (err: unknown) {
        if (!(err instanceof PlatformApiError)) throw err;
        if (err.action === 'refresh' && sent && token !== undefined && !refreshed) {
          refreshed = true;
          attempt -= 1; // a token refresh is not a transient-failure retry
          this.o.logger?.debug({ method: req.name, code: err.code }, 'zalo refused the access token; refreshing once');
          await this.o.tokens.refreshAfterTokenError(token);
          continue;
        }
        if (err.action !== 'retry' || attempt >= this.o.maxAttempts) throw err;
        if (!req.idempotent && sent && mayHaveBeenProcessed(err)) {
          if (ambiguousRetried) throw err;
          ambiguousRetried = true;
          this.o.logger?.warn({ method: req.name, code: err.code }, 'zalo send failed after it may have been delivered; retrying once (possible duplicate)');
        }
        const delay = this.delayFor(err, attempt);
        this.o.logger?.debug({ method: req.name, code: err.code, attempt, delayMs: delay }, 'zalo call failed; backing off');
        await this.o.sleep(delay);
      }
    }
  }

  /** Exponential (×4) with "equal jitter"; waits for `retryAt` when Zalo named a time (rate limit). */
  private delayFor(err: PlatformApiError, attempt: number): number {
    const jitter = this.o.random();
    if (err.retryAt !== undefined) {
      const wait = err.retryAt.getTime() - this.o.now();
      return Math.max(0, wait) + Math.floor(jitter * Math.min(1000, this.o.baseDelayMs));
    }
    const full = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 4 ** (attempt - 1));
    return Math.floor(full / 2 + (jitter * full) / 2);
  }

  private async once(req: ZaloRequest, token: string): Promise<unknown> {
    const url = new URL(this.o.apiUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { access_token: token, accept: 'application/json' };
    let body: string | FormData | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.multipart !== undefined) {
      body = req.multipart(); // fetch sets the multipart content type with its boundary
    }

    let res: Response;
    try {
      res = await this.o.fetch(url, { method: req.method, headers, body, signal: AbortSignal.timeout(this.o.timeoutMs) });
    } catch (err: unknown) {
      throw zaloTransportError(req.name, err);
    }
    const ctx = { method: req.name, nowMs: this.o.now(), status: res.status };
    if (res.headers.get('x-ratelimit-remain')?.trim() === '0') {
      this.o.limiter.pauseUntil(nextMinute(ctx.nowMs).getTime());
      this.o.logger?.warn({ method: req.name }, 'zalo rate limit budget used up; pausing until the next minute');
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw zaloHttpError(res.status, ctx);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err: unknown) {
      throw zaloTransportError(req.name, err);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new PlatformApiError({ platform: 'zalo', method: req.name, code: 'invalid-json', action: 'retry', message: 'answer is not JSON', status: res.status });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new PlatformApiError({ platform: 'zalo', method: req.name, code: 'invalid-envelope', action: 'give-up', message: 'answer is not a JSON object', status: res.status });
    }
    const env = json as { error?: unknown; message?: unknown; data?: unknown };
    const code = env.error === undefined || env.error === null ? 0 : Number(env.error);
    if (!Number.isFinite(code)) {
      throw new PlatformApiError({ platform: 'zalo', method: req.name, code: 'invalid-envelope', action: 'give-up', message: 'error field is not a number', status: res.status });
    }
    if (code !== 0) throw zaloApiError(code, typeof env.message === 'string' ? env.message : '', ctx);
    return env.data;
  }
}

/** Failures after which Zalo may already have delivered the message. */
function mayHaveBeenProcessed(err: PlatformApiError): boolean {
  if (err instanceof ZaloTransportError) return err.maybeSent;
  return err.status !== undefined && err.status >= 500;
}
