/**
 * Keeps the OA access token fresh (reference §1.3): refreshes before expiry and after token errors,
 * one refresh at a time in this process (single flight) and across processes (the store's lock),
 * and never uses a new pair before the store has it (refresh tokens are single-use).
 */
import { PlatformApiError } from '../../domain/shared/errors';
import { zaloHttpError, zaloTransportError } from './zalo-errors';
import type { TokenStore, ZaloLogger, ZaloTokenPair } from './types';

export interface ZaloTokenManagerOptions {
  readonly appId: string;
  readonly appSecret: string;
  readonly oaId: string;
  readonly oauthUrl: string;
  readonly store: TokenStore;
  readonly initialRefreshToken?: string;
  readonly initialAccessToken?: string;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly logger?: ZaloLogger;
  /** Refresh when less than this is left. */
  readonly refreshMarginMs: number;
  readonly timeoutMs: number;
}

const METHOD = 'refreshAccessToken';
/** After Zalo refused our refresh token, do not ask again for this long (each try is a request). */
const FAILURE_COOL_DOWN_MS = 60_000;

const REAUTHORISE =
  'a human must re-authorise the OA: get a new refresh token for the OA (Zalo developer console or the ' +
  'OA consent flow), set ZALO_REFRESH_TOKEN and restart';

export class ZaloTokenManager {
  private current: ZaloTokenPair | null = null;
  private loading: Promise<ZaloTokenPair> | null = null;
  private inflight: Promise<ZaloTokenPair> | null = null;
  private failure: { until: number; error: PlatformApiError } | null = null;

  constructor(private readonly o: ZaloTokenManagerOptions) {}

  /** An access token to send now, refreshed first when it is missing or about to expire. */
  async getAccessToken(): Promise<string> {
    const pair = await this.pair();
    if (pair.accessToken === null) return requireToken(await this.refresh(null));
    if (pair.expiresAt !== null && pair.expiresAt.getTime() - this.o.now() < this.o.refreshMarginMs) {
      try {
        return requireToken(await this.refresh(pair.accessToken));
      } catch (err: unknown) {
        // The old token still works for a while: keep serving and let a human fix the refresh.
        if (pair.expiresAt.getTime() > this.o.now()) {
          this.o.logger?.warn({ oaId: this.o.oaId, err: describe(err) }, 'zalo token refresh before expiry failed; using the current token');
          return pair.accessToken;
        }
        throw err;
      }
    }
    return pair.accessToken;
  }

  /** Zalo refused `staleToken` (-216/-220): get a different one, refreshing at most once for all callers. */
  async refreshAfterTokenError(staleToken: string): Promise<string> {
    return requireToken(await this.refresh(staleToken));
  }

  private pair(): Promise<ZaloTokenPair> {
    if (this.current !== null) return Promise.resolve(this.current);
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(): Promise<ZaloTokenPair> {
    const stored = await this.o.store.load(this.o.oaId);
    // The seed is not written to the store here: another process may be refreshing right now, and
    // overwriting its new pair with the (spent) seed would lose the OA's only valid refresh token.
    const pair: ZaloTokenPair = stored ?? {
      accessToken: this.o.initialAccessToken ?? null,
      refreshToken: this.o.initialRefreshToken ?? '',
      expiresAt: null,
    };
    if (pair.accessToken === null && pair.refreshToken === '') {
      throw new PlatformApiError({
        platform: 'zalo',
        method: METHOD,
        code: 'no-token',
        action: 'give-up',
        message: `no Zalo OA token stored for OA ${this.o.oaId} and ZALO_REFRESH_TOKEN is empty; ${REAUTHORISE}`,
      });
    }
    this.current ??= pair;
    return this.current;
  }

  /** Single flight: callers holding the same stale token share one refresh. */
  private refresh(stale: string | null): Promise<ZaloTokenPair> {
    const cur = this.current;
    if (cur !== null && cur.accessToken !== null && cur.accessToken !== stale) return Promise.resolve(cur);
    if (this.inflight !== null) return this.inflight;
    if (this.failure !== null && this.o.now() < this.failure.until) return Promise.reject(this.failure.error);
    this.inflight = this.o.store
      .refreshLocked(this.o.oaId, stale, (stored) => this.exchangeWithFallback(stored))
      .then((pair) => {
        this.current = pair;
        this.failure = null;
        return pair;
      })
      .catch((err: unknown) => {
        if (err instanceof PlatformApiError && err.action === 'give-up') {
          this.failure = { until: this.o.now() + FAILURE_COOL_DOWN_MS, error: err };
        }
        throw err;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  private async exchangeWithFallback(stored: ZaloTokenPair | null): Promise<ZaloTokenPair> {
    const seed = this.o.initialRefreshToken;
    const refreshToken = stored?.refreshToken ?? seed;
    if (refreshToken === undefined || refreshToken === '') {
      throw new PlatformApiError({ platform: 'zalo', method: METHOD, code: 'no-refresh-token', action: 'give-up', message: `no refresh token; ${REAUTHORISE}` });
    }
    try {
      return await this.exchange(refreshToken);
    } catch (err: unknown) {
      // Re-authorisation path: the stored token is dead but the configuration carries a different
      // one (an admin put a new ZALO_REFRESH_TOKEN in place); try that once.
      if (err instanceof PlatformApiError && err.action === 'give-up' && seed !== undefined && seed !== '' && seed !== refreshToken) {
        this.o.logger?.warn({ oaId: this.o.oaId }, 'stored zalo refresh token refused; trying the configured ZALO_REFRESH_TOKEN');
        return this.exchange(seed);
      }
      throw err;
    }
  }

  /** One call to the OAuth host. Never logs or reports the tokens. */
  private async exchange(refreshToken: string): Promise<ZaloTokenPair> {
    const started = this.o.now();
    const body = new URLSearchParams({ refresh_token: refreshToken, app_id: this.o.appId, grant_type: 'refresh_token' });
    let res: Response;
    try {
      res = await this.o.fetch(`${this.o.oauthUrl}/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.o.appSecret },
        body: body.toString(),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (err: unknown) {
      // Transport failures are not a verdict on the refresh token: the caller may try again later.
      throw zaloTransportError(METHOD, err);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      const e = zaloHttpError(res.status, { method: METHOD, nowMs: this.o.now(), status: res.status });
      if (e.action === 'retry') throw e;
      throw refused(`HTTP ${res.status}`);
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new PlatformApiError({ platform: 'zalo', method: METHOD, code: 'invalid-json', action: 'retry', message: 'refresh answer is not JSON' });
    }
    const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    const error = o.error === undefined ? 0 : Number(o.error);
    if (error !== 0 || typeof o.access_token !== 'string' || o.access_token === '') {
      const what = error !== 0 ? `error ${String(o.error)}${typeof o.error_name === 'string' ? ` ${o.error_name}` : ''}` : 'no access_token in the answer';
      throw refused(what);
    }
    let newRefresh = typeof o.refresh_token === 'string' && o.refresh_token !== '' ? o.refresh_token : undefined;
    if (newRefresh === undefined) {
      this.o.logger?.warn({ oaId: this.o.oaId }, 'zalo refresh answer has no refresh_token; keeping the previous one');
      newRefresh = refreshToken;
    }
    // expires_in is documented as a string of seconds ("90000").
    const seconds = Number(o.expires_in);
    const expiresAt = Number.isFinite(seconds) && seconds > 0 ? new Date(started + seconds * 1000) : null;
    this.o.logger?.debug({ oaId: this.o.oaId, expiresAt: expiresAt?.toISOString() ?? null }, 'zalo access token refreshed');
    return { accessToken: o.access_token, refreshToken: newRefresh, expiresAt };
  }
}

function refused(what: string): PlatformApiError {
  return new PlatformApiError({
    platform: 'zalo',
    method: METHOD,
    code: 'refresh-refused',
    action: 'give-up',
    message: `Zalo refused the OA refresh token (${what}); ${REAUTHORISE}`,
  });
}

function requireToken(pair: ZaloTokenPair): string {
  if (pair.accessToken === null || pair.accessToken === '') {
    throw new PlatformApiError({ platform: 'zalo', method: METHOD, code: 'no-token', action: 'give-up', message: `the token store holds no access token; ${REAUTHORISE}` });
  }
  return pair.accessToken;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
