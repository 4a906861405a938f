/**
 * The Messenger Send API client: `messaging-api-messenger` with the Graph API version pinned here
 * and the origin from MESSENGER_API_URL, bounded retries of transient failures, and every failure
 * turned into a typed {@link PlatformApiError} (see graph-errors.ts), as the Zalo client does.
 */
import { MessengerClient } from 'messaging-api-messenger';
import { isTransientGraphError, toGraphError } from './graph-errors';

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

interface RetryConfig {
  __retryCount?: number;
  url?: string;
  method?: string;
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
    const cfg = (err as { config?: RetryConfig }).config;
    const method = methodOf(cfg);
    if (!cfg || !isTransientGraphError(err)) throw toGraphError(err, method);
    const n = cfg.__retryCount ?? 0;
    if (n >= delays.length) throw toGraphError(err, method);
    cfg.__retryCount = n + 1;
    await new Promise((r) => setTimeout(r, delays[n]));
    return client.axios.request(cfg as never);
  });
  return client;
}

/** `POST me/messages` → `messages`: names the call in errors without the query (which holds the token). */
function methodOf(cfg: RetryConfig | undefined): string {
  const path = (cfg?.url ?? '').split('?')[0]!.replace(/^https?:\/\/[^/]+/, '').replace(/^\/v[\d.]+/, '').replace(/^\/?(me|\d+)\//, '');
  return path || 'graph';
}
