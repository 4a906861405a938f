/**
 * Signed, expiring tokens that tie a web view (the map picker) to one resident on one channel,
 * so a location posted from the page lands in the right conversation and nobody else's.
 */
import crypto from 'node:crypto';
import type { Channel } from '../domain/shared/ids';
import { safeEqual } from '../channels/signature';

export interface WebviewClaims {
  readonly channel: Channel;
  readonly userId: string;
  readonly exp: number;
}

export class WebviewTokens {
  constructor(private readonly secret: string, private readonly ttlMs = 24 * 3_600_000, private readonly now: () => number = Date.now) {}

  sign(channel: Channel, userId: string): string {
    const body = Buffer.from(JSON.stringify({ c: channel, u: userId, e: this.now() + this.ttlMs })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  verify(token: string): WebviewClaims | null {
    const [body, mac] = token.split('.');
    if (!body || !mac || !safeEqual(mac, this.mac(body))) return null;
    try {
      const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { c?: unknown; u?: unknown; e?: unknown };
      if ((c.c !== 'messenger' && c.c !== 'zalo') || typeof c.u !== 'string' || typeof c.e !== 'number') return null;
      if (c.e < this.now()) return null;
      return { channel: c.c, userId: c.u, exp: c.e };
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return crypto.createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
