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
    if (!cfg || !isTransientGraphError(err)) throw err;
    const n = cfg.__retryCount ?? 0;
    if (n >= delays.length) throw err;
    cfg.__retryCount = n + 1;
    await new Promise((r) => setTimeout(r, delays[n]));
    return client.axios.request(cfg as never);
  });
  return typedErrors(client);
}

/**
 * Every method of the client rejects with a {@link PlatformApiError} (the library wraps axios
 * errors in its own AxiosError, whose inspect output carries the token; it never leaves here).
 */
function typedErrors(client: MessengerClient): MessengerClient {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'constructor') return value;
      let fn = wrapped.get(prop);
      if (!fn) {
        const method = typeof prop === 'string' ? prop : 'graph';
        fn = (...args: unknown[]) => {
          try {
            const out: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
            return out instanceof Promise ? out.catch((err: unknown) => Promise.reject(toGraphError(err, method))) : out;
          } catch (err) {
            throw toGraphError(err, method);
          }
        };
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}
