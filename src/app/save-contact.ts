/**
 * A call-back contact given with the resident's consent (Zalo's information form), validated and
 * bounded before it is stored apart from reports: a phone number is 8–15 digits (E.164), optionally
 * with a leading +; a name is at most 100 characters. Anything else is not stored (such input only
 * comes from a forged or broken event; the resident's form always sends a real number).
 */
import type { ContactsRepo } from '../domain/reports/ports';
import { fold } from '../domain/shared/text';
import type { Logger } from '../logger';

export function normalisePhone(raw: string | null): string | null {
  if (raw === null) return null;
  const trimmed = raw.trim();
  if (trimmed.length > 32 || !/^\+?[\d\s().-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15) return null;
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}

export function normaliseName(raw: string | null): string | null {
  if (raw === null) return null;
  const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name === '' || fold(name) === '') return null;
  return [...name].slice(0, 100).join('');
}

export class SaveContact implements ContactsRepo {
  constructor(private readonly d: { contacts: ContactsRepo; logger: Logger }) {}

  async save(residentId: string, c: { phone: string | null; name: string | null }): Promise<void> {
    const phone = normalisePhone(c.phone);
    const name = normaliseName(c.name);
    if (c.phone !== null && phone === null) this.d.logger.warn({ length: c.phone.length }, 'a contact phone number was not valid and was not stored');
    if (phone === null && name === null) return;
    await this.d.contacts.save(residentId, { phone, name });
  }

  find(residentId: string) {
    return this.d.contacts.find(residentId);
  }
}
