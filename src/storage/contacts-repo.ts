import type { Queryable } from './db';

/** Consent-based call-back contacts, kept apart from reports. */
export class PgContactsRepo {
  constructor(private readonly db: Queryable) {}

  async save(residentId: string, contact: { phone: string | null; name: string | null }): Promise<void> {
    await this.db.query(
      `INSERT INTO resident_contacts (resident_id, phone, name) VALUES ($1, $2, $3)
       ON CONFLICT (resident_id) DO UPDATE SET phone = COALESCE(EXCLUDED.phone, resident_contacts.phone),
         name = COALESCE(EXCLUDED.name, resident_contacts.name), updated_at = now()`,
      [residentId, contact.phone, contact.name],
    );
  }

  async find(residentId: string): Promise<{ phone: string | null; name: string | null } | null> {
    const r = await this.db.query<{ phone: string | null; name: string | null }>('SELECT phone, name FROM resident_contacts WHERE resident_id = $1', [residentId]);
    return r.rows[0] ?? null;
  }
}
