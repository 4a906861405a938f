import crypto from 'node:crypto';
import { safeEqual } from '../signature';

/** `sha256=<hex>` over the raw body with the app secret, as Meta sends in `X-Hub-Signature-256`. */
export function signMessengerBody(rawBody: string | Buffer, appSecret: string): string {
  return `sha256=${crypto.createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Verifies `X-Hub-Signature-256` against the raw bytes, in constant time. */
export function verifyMessengerSignature(rawBody: string | Buffer, header: string | undefined, appSecret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  return safeEqual(header.trim().toLowerCase(), signMessengerBody(rawBody, appSecret));
}
