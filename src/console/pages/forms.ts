/** Reading urlencoded console forms (`express.urlencoded({ extended: false })`). */
import type { Request } from 'express';
import { splitCodes } from '../../domain/staff/accounts';

export type FormBody = Record<string, string | string[] | undefined>;

export function formOf(req: Request): FormBody {
  return req.body && typeof req.body === 'object' ? (req.body as FormBody) : {};
}

/** One text field (the first when repeated). */
export function field(body: FormBody, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? '') : '';
}

/** A repeated field (checkboxes): always an array. */
export function fields(body: FormBody, name: string): string[] {
  const v = body[name];
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
}

/** The role, agencies (checkboxes) and wards (typed codes) of a user or key form. */
export function scopeFields(body: FormBody): { role: string; agencies: string[]; wards: string[] } {
  return { role: field(body, 'role'), agencies: fields(body, 'agencies'), wards: splitCodes(field(body, 'wards')) };
}

/** Where a request came from, for the audit log. */
export function originOf(req: Request): { ip: string | null } {
  return { ip: req.ip ?? null };
}

/** A `next` target after sign-in: a console path only (no open redirect). */
export function safeNext(raw: unknown): string {
  return typeof raw === 'string' && /^\/console(?:[/?#]|$)/.test(raw) && !/[\\\s]|\/\//.test(raw) ? raw : '/console';
}
