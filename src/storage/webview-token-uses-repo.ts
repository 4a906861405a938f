import type { Queryable } from './db';

/** Map web view tokens that posted a location (each may post once); the server's `WebviewTokenUses`. */
export class PgWebviewTokenUses {
  constructor(private readonly db: Queryable) {}

  async spend(nonce: string, expiresAt: Date): Promise<boolean> {
    const r = await this.db.query('INSERT INTO webview_token_uses (nonce, expires_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING', [nonce, expiresAt]);
    return r.rowCount === 1;
  }
}
