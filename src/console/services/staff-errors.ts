/**
 * Refusals of the staff account use cases. `kind` says who is at fault, in the order the API
 * checks: the actor's role (forbidden, 403), the target (not-found, 404), the state (conflict,
 * 409), the input (invalid, 422, with the refused fields).
 */
import type { AccountProblem } from '../../domain/staff/accounts';
import { DomainError } from '../../domain/shared/errors';

export type StaffErrorKind = 'forbidden' | 'not-found' | 'conflict' | 'invalid';

export type StaffErrorCode =
  | 'staff.forbidden'
  | 'staff.user-not-found'
  | 'staff.api-key-not-found'
  | 'staff.email-taken'
  | 'staff.name-taken'
  | 'staff.last-admin'
  | 'staff.user-inactive'
  | 'staff.not-yourself'
  | 'staff.api-key-revoked'
  | 'staff.invalid-input';

const KIND: Record<StaffErrorCode, StaffErrorKind> = {
  'staff.forbidden': 'forbidden',
  'staff.user-not-found': 'not-found',
  'staff.api-key-not-found': 'not-found',
  'staff.email-taken': 'conflict',
  'staff.name-taken': 'conflict',
  'staff.last-admin': 'conflict',
  'staff.user-inactive': 'conflict',
  'staff.not-yourself': 'conflict',
  'staff.api-key-revoked': 'conflict',
  'staff.invalid-input': 'invalid',
};

export const STATUS_OF_KIND: Readonly<Record<StaffErrorKind, 403 | 404 | 409 | 422>> = { forbidden: 403, 'not-found': 404, conflict: 409, invalid: 422 };

export class StaffError extends DomainError {
  readonly kind: StaffErrorKind;
  constructor(readonly code: StaffErrorCode, message: string, readonly problems: readonly AccountProblem[] = []) {
    super(code, message);
    this.name = 'StaffError';
    this.kind = KIND[code];
  }

  get status(): 403 | 404 | 409 | 422 {
    return STATUS_OF_KIND[this.kind];
  }
}

export const invalid = (problems: readonly AccountProblem[]) => new StaffError('staff.invalid-input', `invalid input: ${problems.map((p) => `${p.field} (${p.code})`).join(', ')}`, problems);
