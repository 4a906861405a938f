/**
 * Rules of staff accounts and API keys: what a valid email, password, name and scope are. Pure;
 * the console's forms and the staff API both check input here, so they refuse the same things with
 * the same codes (mapped to i18n keys `console:problems.<code>` and to API 422 details).
 */
import { isStaffRole, type StaffRole, type StaffScope } from './actor';

export const PASSWORD_MIN_LENGTH = 12;
/** argon2 hashes any length; a cap keeps a sign-in from being a memory or CPU attack. */
export const PASSWORD_MAX_LENGTH = 256;
export const DISPLAY_NAME_MAX_LENGTH = 120;
export const KEY_NAME_MAX_LENGTH = 80;
export const EMAIL_MAX_LENGTH = 254;

/** Ward codes are administrative unit codes (digits in Vietnam); kept loose: letters, digits, `-`, `_`. */
const WARD_CODE_RE = /^[A-Za-z0-9_-]{1,32}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type AccountProblemCode =
  | 'email.invalid'
  | 'email.taken'
  | 'name.required'
  | 'name.too-long'
  | 'name.taken'
  | 'role.invalid'
  | 'password.too-short'
  | 'password.too-long'
  | 'password.mismatch'
  | 'scope.agency-needs-scope'
  | 'scope.unknown-agency'
  | 'scope.invalid-ward';

/** A refused field: `field` names the input (never its value), `code` says why. */
export interface AccountProblem {
  readonly field: string;
  readonly code: AccountProblemCode;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly AccountProblem[] };

/** The form every email is compared in (unique whatever its case). */
export function emailKey(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

export function checkEmail(raw: unknown): Checked<string> {
  const email = typeof raw === 'string' ? raw.normalize('NFC').trim() : '';
  if (email.length < 3 || email.length > EMAIL_MAX_LENGTH || !EMAIL_RE.test(email)) return { ok: false, problems: [{ field: 'email', code: 'email.invalid' }] };
  return { ok: true, value: email };
}

/** A password is long enough and not absurdly long; no composition rules (length beats them). */
export function checkPassword(raw: unknown, confirm?: unknown): Checked<string> {
  const pw = typeof raw === 'string' ? raw : '';
  if ([...pw].length < PASSWORD_MIN_LENGTH) return { ok: false, problems: [{ field: 'password', code: 'password.too-short' }] };
  if ([...pw].length > PASSWORD_MAX_LENGTH) return { ok: false, problems: [{ field: 'password', code: 'password.too-long' }] };
  if (confirm !== undefined && confirm !== pw) return { ok: false, problems: [{ field: 'confirm', code: 'password.mismatch' }] };
  return { ok: true, value: pw };
}

/** A display name of a user or the name of an API key. */
export function checkName(raw: unknown, field: 'displayName' | 'name', max = field === 'name' ? KEY_NAME_MAX_LENGTH : DISPLAY_NAME_MAX_LENGTH): Checked<string> {
  const name = typeof raw === 'string' ? raw.normalize('NFC').replace(/\s+/g, ' ').trim() : '';
  if (name === '') return { ok: false, problems: [{ field, code: 'name.required' }] };
  if ([...name].length > max) return { ok: false, problems: [{ field, code: 'name.too-long' }] };
  return { ok: true, value: name };
}

/**
 * A role and what it covers. Agencies and wards matter only to the `agency` role, which needs at
 * least one of them (else it would see nothing); other roles get them empty. Agencies must be in
 * the city profile. Duplicates are dropped, order kept.
 */
export function checkScope(input: { role: unknown; agencies?: readonly unknown[]; wards?: readonly unknown[] }, knownAgencies: ReadonlySet<string>): Checked<StaffScope> {
  if (!isStaffRole(input.role)) return { ok: false, problems: [{ field: 'role', code: 'role.invalid' }] };
  const role: StaffRole = input.role;
  if (role !== 'agency') return { ok: true, value: { role, agencies: [], wards: [] } };
  const problems: AccountProblem[] = [];
  const agencies = unique((input.agencies ?? []).map((a) => (typeof a === 'string' ? a.trim() : '')).filter((a) => a !== ''));
  const wards = unique((input.wards ?? []).map((w) => (typeof w === 'string' ? w.trim() : '')).filter((w) => w !== ''));
  if (agencies.some((a) => !knownAgencies.has(a))) problems.push({ field: 'agencies', code: 'scope.unknown-agency' });
  if (wards.some((w) => !WARD_CODE_RE.test(w))) problems.push({ field: 'wards', code: 'scope.invalid-ward' });
  if (agencies.length === 0 && wards.length === 0) problems.push({ field: 'agencies', code: 'scope.agency-needs-scope' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { role, agencies, wards } };
}

/** Splits a typed list of ward codes ("26734, 26737 26740") into codes. */
export function splitCodes(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.flatMap((x) => splitCodes(x));
  return typeof raw === 'string' ? raw.split(/[\s,;]+/).filter((s) => s !== '') : [];
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
