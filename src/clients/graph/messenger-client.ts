/**
 * The Messenger Send API client: `messaging-api-messenger` with the Graph API version pinned here
 * and the origin from MESSENGER_API_URL, plus bounded retries of transient failures.
 */
import { MessengerClient } from 'messaging-api-messenger';

/** Graph API version used for every call (one place to bump it). */
export const GRAPH_API_VERSION = '24.0';

export interface MessengerClientOptions {
  readonly accessToken: string;
  readonly appId?: string;
  readonly appSecret: string;
  readonly origin: string;
  /** Delays before each retry of a transient failure (5xx, rate limit, network). */
  readonly retryDelaysMs?: readonly number[];
}

const TRANSIENT_GRAPH_CODES = new Set([1, 2, 4, 17, 32, 341, 613]);

interface AxiosLikeError {
  config?: { __retryCount?: number } & Record<string, unknown>;
  response?: { status?: number; data?: { error?: { code?: number } } };
  code?: string;
}

export function isTransientGraphError(err: unknown): boolean {
  const e = err as AxiosLikeError;
  const status = e.response?.status;
  const code = e.response?.data?.error?.code;
  if (status === undefined) return true; // network failure, timeout
  if (status >= 500) return true;
  return code !== undefined && TRANSIENT_GRAPH_CODES.has(code);
}

export function createMessengerClient(o: MessengerClientOptions): MessengerClient {
  const client = new MessengerClient({
    accessToken: o.accessToken,
    appId: o.appId,
    appSecret: o.appSecret,
    origin: o.origin,
    version: GRAPH_API_VERSION,
    // The default onRequest logs full URLs (with the token) through `debug`; ours logs nothing.
    onRequest: () => undefined,
  } as ConstructorParameters<typeof MessengerClient>[0]);
  const delays = o.retryDelaysMs ?? [200, 1000];
  client.axios.defaults.timeout = 10_000;
  client.axios.interceptors.response.use(undefined, async (err: unknown) => {
    const e = err as AxiosLikeError;
    const cfg = e.config;
    if (!cfg || !isTransientGraphError(err)) throw err;
    const n = cfg.__retryCount ?? 0;
    if (n >= delays.length) throw err;
    cfg.__retryCount = n + 1;
    await new Promise((r) => setTimeout(r, delays[n]));
    return client.axios.request(cfg as never);
  });
  return client;
}
