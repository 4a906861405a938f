/**
 * Maps Zalo's in-body error codes (HTTP 200, `error !== 0`) and transport failures to
 * {@link PlatformApiError} actions. Source: reference/zalo-oa.md §6.2 and §6.3.
 */
import { PlatformApiError, type PlatformErrorAction } from '../../domain/shared/errors';

/** Vietnam has used UTC+7 without daylight saving since 1975, so a fixed offset is exact. */
const ICT_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Start of the next UTC minute (Zalo's per-minute budget resets then). */
export function nextMinute(nowMs: number): Date {
  return new Date(Math.floor(nowMs / 60_000) * 60_000 + 60_000);
}

/** The next 06:00 in Asia/Ho_Chi_Minh strictly after `nowMs`. */
export function nextIctMorning(nowMs: number, hour = 6): Date {
  const local = nowMs + ICT_OFFSET_MS;
  const localMidnight = Math.floor(local / DAY_MS) * DAY_MS;
  let target = localMidnight + hour * 60 * 60 * 1000;
  if (target <= local) target += DAY_MS;
  return new Date(target - ICT_OFFSET_MS);
}

/** Token errors: refresh once (single-flight), then retry the call once. */
export const ZALO_TOKEN_ERRORS: ReadonlySet<number> = new Set([-216, -220]);

/**
 * The resident cannot be reached by a consultation message now, but can reopen the route by writing
 * to (or following) the OA again, and a ZBS template may still reach them: the caller picks another
 * route or waits.
 */
const WINDOW_CLOSED: ReadonlySet<number> = new Set([
  -230, // no interaction in the last 7 days
  -232, // interaction expired
  -213, // not a follower
]);

/**
 * Refusals tied to the resident's account or explicit choice: no other message route should be
 * tried automatically.
 */
const RESIDENT_REFUSED: ReadonlySet<number> = new Set([
  -227, // user banned or inactive > 45 days
  -217, // user blocked invitations from the OA
  -244, // user restricted this message type from the OA
]);

export interface ZaloErrorContext {
  readonly method: string;
  readonly nowMs: number;
  readonly status?: number;
}

/** Classifies one in-body Zalo error code. */
export function zaloErrorAction(code: number, nowMs: number): { action: PlatformErrorAction; retryAt?: Date } {
  if (code === -32) return { action: 'retry', retryAt: nextMinute(nowMs) };
  if (ZALO_TOKEN_ERRORS.has(code)) return { action: 'refresh' };
  if (WINDOW_CLOSED.has(code)) return { action: 'window-closed' };
  if (RESIDENT_REFUSED.has(code)) return { action: 'give-up' };
  // Night-time rule (promotion-class messages): send again from 06:00 local time.
  if (code === -234) return { action: 'reschedule', retryAt: nextIctMorning(nowMs) };
  // OA quota (-211) and the per-recipient receive quota (-218): the reset time is not documented;
  // assume daily quotas and try again at the next local midnight.
  if (code === -211 || code === -218) return { action: 'reschedule', retryAt: nextIctMorning(nowMs, 0) };
  // Payload bugs (-201, -210, -233, -240), configuration/permission errors (-209, -212, -219,
  // -221, -223, -224, -235, -204, -205, -242, -320, -321), expired attachment (-100: the caller
  // re-uploads) and anything undocumented: retrying the same request cannot help.
  return { action: 'give-up' };
}

/** Builds the error for an in-body failure. `message` is Zalo's, which never contains our tokens. */
export function zaloApiError(code: number, zaloMessage: string, ctx: ZaloErrorContext): PlatformApiError {
  const { action, retryAt } = zaloErrorAction(code, ctx.nowMs);
  return new PlatformApiError({
    platform: 'zalo',
    method: ctx.method,
    code,
    action,
    message: zaloMessage.slice(0, 300) || 'no message',
    status: ctx.status,
    retryAt,
  });
}

/** Non-2xx HTTP status: 5xx and 429 are transient, other statuses are our bug or config. */
export function zaloHttpError(status: number, ctx: ZaloErrorContext): PlatformApiError {
  const transient = status >= 500 || status === 429 || status === 408;
  return new PlatformApiError({
    platform: 'zalo',
    method: ctx.method,
    code: `http-${status}`,
    action: transient ? 'retry' : 'give-up',
    message: `HTTP ${status}`,
    status,
  });
}

/**
 * A failure below HTTP. `maybeSent` is true when the request may have reached Zalo (timeout, reset
 * mid-response), false when it certainly did not (connection refused, DNS).
 */
export class ZaloTransportError extends PlatformApiError {
  readonly maybeSent: boolean;
  constructor(method: string, reason: string, maybeSent: boolean) {
    super({ platform: 'zalo', method, code: 'network', action: 'retry', message: reason });
    this.name = 'ZaloTransportError';
    this.maybeSent = maybeSent;
  }
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Turns whatever `fetch` threw into a {@link ZaloTransportError}. */
export function zaloTransportError(method: string, err: unknown): ZaloTransportError {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return new ZaloTransportError(method, 'request timed out', true);
  const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  if (code !== undefined && NOT_SENT_CODES.has(code)) return new ZaloTransportError(method, `connection failed (${code})`, false);
  return new ZaloTransportError(method, `network error${code ? ` (${code})` : ''}`, true);
}

/** Local refusal before any request is made (bad input the caller must fix, e.g. re-encode an image). */
export function zaloLocalError(method: string, code: string, message: string): PlatformApiError {
  return new PlatformApiError({ platform: 'zalo', method, code, action: 'give-up', message });
}
