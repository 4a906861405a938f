/**
 * Tokens that tie the map web view to one resident on one channel, so a location posted from the
 * page lands in the right conversation and nobody else's. A token is sealed (AES-256-GCM): nobody
 * can read the platform user id in it or forge one; it lives only as long as the flow needs
 * (30 minutes by default); posting a location spends it (single use, recorded in PostgreSQL).
 */
import crypto from 'node:crypto';
import type { Channel } from '../domain/shared/ids';

export interface WebviewClaims {
  readonly channel: Channel;
  readonly userId: string;
  readonly exp: number;
  /** Identifies this token for single use. */
  readonly nonce: string;
}

export const WEBVIEW_TOKEN_TTL_MS = 30 * 60_000;

export class WebviewTokens {
  private readonly key: Buffer;

  constructor(secret: string, private readonly ttlMs = WEBVIEW_TOKEN_TTL_MS, private readonly now: () => number = Date.now) {
    this.key = crypto.createHash('sha256').update(`webview-token:${secret}`).digest();
  }

  sign(channel: Channel, userId: string): string {
    const iv = crypto.randomBytes(12);
    const nonce = crypto.randomBytes(9).toString('base64url');
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify({ c: channel, u: userId, e: this.now() + this.ttlMs, n: nonce }), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The claims of a genuine, unexpired token; null otherwise (never throws). */
  verify(token: string): WebviewClaims | null {
    try {
      const raw = Buffer.from(token, 'base64url');
      if (raw.length < 12 + 16 + 2 || raw.length > 1024) return null;
      const iv = raw.subarray(0, 12);
      const tag = raw.subarray(raw.length - 16);
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
      const c = JSON.parse(plain) as { c?: unknown; u?: unknown; e?: unknown; n?: unknown };
      if ((c.c !== 'messenger' && c.c !== 'zalo') || typeof c.u !== 'string' || typeof c.e !== 'number' || typeof c.n !== 'string') return null;
      if (c.e < this.now()) return null;
      return { channel: c.c, userId: c.u, exp: c.e, nonce: c.n };
    } catch {
      return null;
    }
  }
}

/** Spent tokens (single use). */
export interface WebviewTokenUses {
  /** Records the use; false when the token was already used. */
  spend(nonce: string, expiresAt: Date): Promise<boolean>;
}
