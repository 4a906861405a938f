/**
 * The first admin, at start-up:
 *
 * - `ADMIN_EMAIL` and `ADMIN_PASSWORD` set: when no active admin exists, that admin is created
 *   (an existing admin is never overwritten; the password is only used this once).
 * - Simulator mode without them: a development admin (`dev-admin@phananh.test`) is created, or
 *   given a fresh random password if it exists, so `npm start` needs nothing else. Its credentials
 *   are logged once at warn and returned, for stdout and the simulator page.
 * - Otherwise, with no active admin, a warning says how to create one.
 */
import type { AuditLog } from '../../domain/staff/audit';
import type { StaffUsersRepo } from '../../domain/staff/ports';
import type { Clock } from '../../domain/reports/ports';
import type { Logger } from '../../logger';
import { hashPassword } from '../auth/passwords';
import { randomSecret } from '../auth/secrets';

export const DEV_ADMIN_EMAIL = 'dev-admin@phananh.test';

/** The simulator's development admin, as printed at start-up. */
export interface DevAdminCredentials {
  readonly email: string;
  readonly password: string;
}

export interface FirstAdminDeps {
  readonly users: StaffUsersRepo;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly firstAdmin: { readonly email: string; readonly password: string } | null;
  readonly simulator: boolean;
}

const SYSTEM = { kind: 'system', id: 'start-up' } as const;

/** Returns the development admin's credentials when one was created or rotated, else null. */
export async function ensureFirstAdmin(d: FirstAdminDeps): Promise<DevAdminCredentials | null> {
  const now = d.clock.now();
  const hasAdmin = (await d.users.countActiveAdmins()) > 0;
  if (d.firstAdmin) {
    if (hasAdmin) return null;
    const existing = await d.users.findByEmail(d.firstAdmin.email);
    if (existing) {
      d.logger.error({ userId: existing.user.id }, 'ADMIN_EMAIL belongs to an existing user who is not an active admin; no admin created. Use another ADMIN_EMAIL, or fix the account in the database');
      return null;
    }
    const created = await d.users.create({ email: d.firstAdmin.email, displayName: 'Admin', role: 'admin', agencies: [], wards: [], passwordHash: await hashPassword(d.firstAdmin.password), now });
    if (created === 'email-taken') return null; // another process created it at the same moment
    await d.audit.record({ actor: SYSTEM, action: 'user.create', target: { kind: 'staff-user', id: created.id }, details: { role: 'admin', source: 'ADMIN_EMAIL' } });
    d.logger.info({ userId: created.id }, 'first admin created from ADMIN_EMAIL and ADMIN_PASSWORD');
    return null;
  }
  if (!d.simulator) {
    if (!hasAdmin) d.logger.warn('no active admin: set ADMIN_EMAIL and ADMIN_PASSWORD (12+ characters) and restart to create one');
    return null;
  }

  const password = randomSecret().slice(0, 20);
  const dev = await d.users.findDevAccount();
  if (dev) {
    if (!(dev.role === 'admin' && dev.active)) {
      // Someone demoted or deactivated it in the console: leave it as they chose.
      if (!hasAdmin) d.logger.warn('no active admin and the development admin is not an active admin; set ADMIN_EMAIL and ADMIN_PASSWORD and restart');
      return null;
    }
    await d.users.setPassword(dev.id, await hashPassword(password), now);
    await d.audit.record({ actor: SYSTEM, action: 'user.password-set', target: { kind: 'staff-user', id: dev.id }, details: { via: 'simulator-start' } });
  } else {
    if (hasAdmin) return null;
    const created = await d.users.create({ email: DEV_ADMIN_EMAIL, displayName: 'Dev admin', role: 'admin', agencies: [], wards: [], passwordHash: await hashPassword(password), devAccount: true, now });
    if (created === 'email-taken') return null;
    await d.audit.record({ actor: SYSTEM, action: 'user.create', target: { kind: 'staff-user', id: created.id }, details: { role: 'admin', source: 'simulator' } });
  }
  const credentials = { email: DEV_ADMIN_EMAIL, password };
  // Development only (simulator mode): the credentials are meant to be read here and on /simulator.
  d.logger.warn({ email: credentials.email, password: credentials.password, console: '/console' }, 'simulator: development admin for the staff console (new password at every start)');
  return credentials;
}
