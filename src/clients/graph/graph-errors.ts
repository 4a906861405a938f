/**
 * Graph API failures in the same typed contract as the Zalo client's ({@link PlatformApiError} with
 * what to do next). Sources: reference/messenger-and-bottender.md §2.4 and §3.3.
 */
import { PlatformApiError, type PlatformErrorAction } from '../../domain/shared/errors';

interface GraphErrorBody {
  code?: number;
  errorSubcode?: number;
  error_subcode?: number;
  type?: string;
  message?: string;
}

interface AxiosLikeError {
  name?: string;
  message?: string;
  code?: string;
  status?: number;
  config?: { url?: string; method?: string };
  response?: { status?: number; data?: { error?: GraphErrorBody } };
}

/** Transient Graph codes: rate limits (4, 17, 32, 613, 80006), temporary (1, 2, 1200), 341 (limit). */
const TRANSIENT = new Set([1, 2, 4, 17, 32, 341, 368, 613, 1200, 80006]);
/** Outside the messaging window (code 10 with subcode 2018278, or 2018065 for some tags). */
const WINDOW_SUBCODES = new Set([2018278, 2018065]);
/** The person cannot be reached: blocked the Page, deleted, or never messaged it. */
const UNREACHABLE_SUBCODES = new Set([1545041, 2018108, 2018001, 2018027, 2018034]);

/** What to do after a Graph error (HTTP status and in-body `error`). */
export function graphErrorAction(status: number | undefined, body: GraphErrorBody | undefined): PlatformErrorAction {
  if (status === undefined) return 'retry'; // network failure, timeout
  const code = body?.code;
  const sub = body?.errorSubcode ?? body?.error_subcode;
  if (code === 190 || code === 102) return 'refresh'; // the Page token is invalid: a person must renew it
  if (code === 10 && sub !== undefined && WINDOW_SUBCODES.has(sub)) return 'window-closed';
  if (code === 551 || (sub !== undefined && UNREACHABLE_SUBCODES.has(sub))) return 'give-up';
  if (status >= 500 || status === 429 || (code !== undefined && TRANSIENT.has(code))) return 'retry';
  return 'give-up';
}

/** Converts whatever the Messenger client threw into a {@link PlatformApiError} (no tokens in it). */
export function toGraphError(err: unknown, method = 'graph'): PlatformApiError {
  if (err instanceof PlatformApiError) return err;
  const e = (err ?? {}) as AxiosLikeError;
  const status = e.response?.status ?? e.status;
  const body = e.response?.data?.error;
  const action = graphErrorAction(e.response ? status : undefined, body);
  const code = body?.code !== undefined ? `${body.code}${(body.errorSubcode ?? body.error_subcode) !== undefined ? `/${body.errorSubcode ?? body.error_subcode}` : ''}` : e.response ? `http-${status}` : 'network';
  const message = (body?.message ?? e.message ?? 'request failed').split('\n')[0]!.replace(/access_token=[^&\s]+/g, 'access_token=[redacted]').slice(0, 300);
  return new PlatformApiError({ platform: 'messenger', method, code, action, message, status });
}

/** True when the Graph API should be tried again as is. */
export function isTransientGraphError(err: unknown): boolean {
  return toGraphError(err).action === 'retry';
}
