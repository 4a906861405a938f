/**
 * Zalo webhook signature (reference §2.2): header `X-ZEvent-Signature: mac=<hex>` where
 * hex = SHA-256 (plain, not HMAC) of appId + raw body + body.timestamp + OA secret key.
 */
import crypto from 'node:crypto';

export interface VerifyZaloSignatureInput {
  /** The request body exactly as received (never re-serialised JSON). */
  readonly rawBody: string | Buffer;
  /** Value of `X-ZEvent-Signature` (an array if the header was repeated). */
  readonly header: string | readonly string[] | undefined;
  /** Candidate app ids; the caller passes [configured ZALO_APP_ID, body.app_id]. */
  readonly appIds: readonly (string | undefined)[];
  readonly oaSecretKey: string;
}

const MAC_RE = /^mac=([0-9a-f]{64})$/i;

/** True when the header matches for any given app id. Constant-time compare; never throws. */
export function verifyZaloSignature(input: VerifyZaloSignatureInput): boolean {
  const headerValue = Array.isArray(input.header) ? input.header[0] : input.header;
  if (typeof headerValue !== 'string' || input.oaSecretKey === '') return false;
  const m = MAC_RE.exec(headerValue.trim());
  if (m === null || m[1] === undefined) return false;
  const given = Buffer.from(m[1].toLowerCase(), 'hex');
  const timestamp = readTimestamp(input.rawBody);
  if (timestamp === undefined) return false;
  const appIds = [...new Set(input.appIds.filter((id): id is string => typeof id === 'string' && id !== ''))];
  let ok = false;
  for (const appId of appIds) {
    // Check every candidate (no early exit) so timing does not reveal which one matched.
    const expected = mac(input.rawBody, appId, timestamp, input.oaSecretKey);
    if (crypto.timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}

/** The header value (`mac=<hex>`) Zalo would send for `rawBody`; for tests and the simulator. */
export function signZalo(rawBody: string | Buffer, appId: string, oaSecretKey: string): string {
  const timestamp = readTimestamp(rawBody);
  if (timestamp === undefined) throw new Error('signZalo: the body must be a JSON object with a string "timestamp"');
  return `mac=${mac(rawBody, appId, timestamp, oaSecretKey).toString('hex')}`;
}

function mac(rawBody: string | Buffer, appId: string, timestamp: string, secret: string): Buffer {
  return crypto.createHash('sha256').update(appId, 'utf8').update(rawBody).update(timestamp, 'utf8').update(secret, 'utf8').digest();
}

/** `timestamp` from the JSON body as text (a number is accepted and written in decimal). */
function readTimestamp(rawBody: string | Buffer): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const ts = (body as Record<string, unknown>).timestamp;
  if (typeof ts === 'string' && ts !== '') return ts;
  if (typeof ts === 'number' && Number.isSafeInteger(ts)) return String(ts);
  return undefined;
}
