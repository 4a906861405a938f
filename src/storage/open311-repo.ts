/**
 * Open311's own rows: the pseudo-resident of each API key that files reports (channel `open311`,
 * platform id `api-key:<id>`: no person behind it, so notices skip it), request tokens, and the
 * update ids integrations gave, so a retried POST is the same update.
 */
import type { Open311Store } from '../domain/public/ports';
import type { Queryable } from './db';

export class PgOpen311Repo implements Open311Store {
  constructor(private readonly db: Queryable) {}

  async submitterFor(apiKeyId: string): Promise<string> {
    const r = await this.db.query<{ id: string }>(
      `INSERT INTO residents (channel, platform_user_id) VALUES ('open311', $1)
       ON CONFLICT (channel, platform_user_id) DO UPDATE SET channel = EXCLUDED.channel RETURNING id`,
      [`api-key:${apiKeyId}`],
    );
    return String(r.rows[0]!.id);
  }

  async saveToken(token: string, reportId: string, apiKeyId: string, at: Date): Promise<void> {
    await this.db.query('INSERT INTO open311_tokens (token, report_id, api_key_id, created_at) VALUES ($1, $2, $3, $4)', [token, reportId, apiKeyId, at]);
  }

  async codeOfToken(token: string): Promise<string | null> {
    const r = await this.db.query<{ code: string }>('SELECT r.code FROM open311_tokens t JOIN reports r ON r.id = t.report_id WHERE t.token = $1', [token]);
    return r.rows[0]?.code ?? null;
  }

  async updateEvent(apiKeyId: string, clientUpdateId: string): Promise<string | null> {
    const r = await this.db.query<{ event_id: string }>('SELECT event_id FROM open311_updates WHERE api_key_id = $1 AND client_update_id = $2', [apiKeyId, clientUpdateId]);
    return r.rows[0] ? String(r.rows[0].event_id) : null;
  }

  async saveUpdate(apiKeyId: string, clientUpdateId: string, eventId: string, at: Date): Promise<void> {
    await this.db.query(
      'INSERT INTO open311_updates (api_key_id, client_update_id, event_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [apiKeyId, clientUpdateId, eventId, at],
    );
  }
}
