/**
 * The permission matrix, role by role and capability by capability, against the words:
 * admin = everything + users, API keys, city settings; operator = IOC triage, every report, every
 * transition; agency = only their reports, may start/resolve/reject; communications = broadcasts,
 * sees resolved reports; viewer = read-only.
 */
import { STAFF_ROLES, type Actor, type StaffRole } from '../../../src/domain/staff/actor';
import { CAPABILITIES, can, capabilitiesOf, maySeeReport, reportVisibility, type Capability } from '../../../src/domain/staff/permissions';
import { mayAttempt } from '../../../src/domain/reports/lifecycle';

const EXPECTED: Record<StaffRole, Record<Capability, boolean>> = {
  admin: {
    'reports.read': true, 'reports.triage': true, 'reports.work': true, 'handovers.handle': true, 'broadcasts.compose': true, 'broadcasts.approve': true,
    'users.manage': true, 'api-keys.manage': true, 'settings.manage': true, 'audit.read': true, 'health.read': true,
  },
  operator: {
    'reports.read': true, 'reports.triage': true, 'reports.work': true, 'handovers.handle': true, 'broadcasts.compose': false, 'broadcasts.approve': false,
    'users.manage': false, 'api-keys.manage': false, 'settings.manage': false, 'audit.read': false, 'health.read': false,
  },
  agency: {
    'reports.read': true, 'reports.triage': false, 'reports.work': true, 'handovers.handle': false, 'broadcasts.compose': false, 'broadcasts.approve': false,
    'users.manage': false, 'api-keys.manage': false, 'settings.manage': false, 'audit.read': false, 'health.read': false,
  },
  communications: {
    'reports.read': true, 'reports.triage': false, 'reports.work': false, 'handovers.handle': false, 'broadcasts.compose': true, 'broadcasts.approve': true,
    'users.manage': false, 'api-keys.manage': false, 'settings.manage': false, 'audit.read': false, 'health.read': false,
  },
  viewer: {
    'reports.read': true, 'reports.triage': false, 'reports.work': false, 'handovers.handle': false, 'broadcasts.compose': false, 'broadcasts.approve': false,
    'users.manage': false, 'api-keys.manage': false, 'settings.manage': false, 'audit.read': false, 'health.read': false,
  },
};

const pairs = STAFF_ROLES.flatMap((role) => CAPABILITIES.map((cap) => [role, cap, EXPECTED[role][cap]] as const));

describe('what each role may do', () => {
  it.each(pairs)('%s → %s: %s', (role, capability, allowed) => {
    expect(can(role, capability)).toBe(allowed);
  });

  it('lists every capability of a role in matrix order', () => {
    expect(capabilitiesOf('viewer')).toEqual(['reports.read']);
    expect(capabilitiesOf('admin')).toEqual(CAPABILITIES);
  });

  it('agrees with the report lifecycle: triage roles assign and mark duplicates, working roles start, resolve and reject', () => {
    for (const role of STAFF_ROLES) {
      const actor: Actor = { kind: 'staff', id: '1', role, agencies: ['hepco'], wards: [] };
      expect(mayAttempt(actor, 'assigned')).toBe(can(role, 'reports.triage'));
      expect(mayAttempt(actor, 'duplicate')).toBe(can(role, 'reports.triage'));
      for (const to of ['in_progress', 'resolved', 'rejected'] as const) expect(mayAttempt(actor, to)).toBe(can(role, 'reports.work'));
    }
  });
});

describe('which reports a role sees', () => {
  const report = (status: string, agency: string | null, ward: string | null) => ({ status, agency, ward });
  const scope = (role: StaffRole, agencies: string[] = [], wards: string[] = []) => ({ role, agencies, wards });

  it('admins, operators and viewers see every report', () => {
    for (const role of ['admin', 'operator', 'viewer'] as const) {
      expect(reportVisibility(scope(role))).toEqual({ kind: 'all' });
      expect(maySeeReport(scope(role), report('received', null, null))).toBe(true);
    }
  });

  it('an agency user sees the reports of their agencies or wards only', () => {
    const s = scope('agency', ['hepco'], ['19774']);
    expect(reportVisibility(s)).toEqual({ kind: 'routed', agencies: ['hepco'], wards: ['19774'] });
    expect(maySeeReport(s, report('assigned', 'hepco', null))).toBe(true);
    expect(maySeeReport(s, report('assigned', 'cong-an', '19774'))).toBe(true);
    expect(maySeeReport(s, report('assigned', 'cong-an', '19777'))).toBe(false);
    expect(maySeeReport(s, report('received', null, null))).toBe(false);
  });

  it('communications sees resolved (and then closed) reports only', () => {
    const s = scope('communications');
    expect(maySeeReport(s, report('resolved', 'hepco', null))).toBe(true);
    expect(maySeeReport(s, report('closed', 'hepco', null))).toBe(true);
    for (const status of ['received', 'assigned', 'in_progress', 'rejected', 'duplicate']) expect(maySeeReport(s, report(status, 'hepco', null))).toBe(false);
  });
});
