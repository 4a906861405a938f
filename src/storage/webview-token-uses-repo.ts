import type { WebviewTokenUses } from '../server/webview-token';
import type { Queryable } from './db';

/** Map web view tokens that posted a location (each may post once). */
export class PgWebviewTokenUses implements WebviewTokenUses {
  constructor(private readonly db: Queryable) {}

  async spend(nonce: string, expiresAt: Date): Promise<boolean> {
    const r = await this.db.query('INSERT INTO webview_token_uses (nonce, expires_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING', [nonce, expiresAt]);
    return r.rowCount === 1;
  }
}
