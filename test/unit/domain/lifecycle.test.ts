/**
 * Every (from, to) pair for every kind of actor: allowed ones succeed with the fields they set,
 * refused ones throw a typed LifecycleError of the right kind. The expectations are written out
 * here as the city's rules, independently of the module's own tables.
 */
import {
  allowedTransitions,
  decideTransition,
  LifecycleError,
  REPORT_STATUSES,
  type LifecycleReport,
  type ReportStatus,
  type TransitionRequest,
} from '../../../src/domain/reports/lifecycle';
import type { Actor } from '../../../src/domain/staff/actor';

const NOW = new Date('2026-12-01T08:00:00Z');
const DAY = 86_400_000;
const policy = { now: NOW, reopenDays: 14, agencies: new Set(['hepco', 'so-xay-dung']) };

const staff = (role: 'admin' | 'operator' | 'agency' | 'communications' | 'viewer', agencies: string[] = ['hepco']): Actor => ({ kind: 'staff', id: `u-${role}`, role, agencies, wards: [] });
const ACTORS: Record<string, Actor> = {
  admin: staff('admin'),
  operator: staff('operator'),
  agency: staff('agency'),
  communications: staff('communications'),
  viewer: staff('viewer'),
  integration: { kind: 'integration', id: 'key-1', role: 'operator', agencies: [], wards: [] },
  resident: { kind: 'resident', id: 'r1' },
  system: { kind: 'system', id: 'close-resolved-reports' },
};

/** The rules as the city states them: who may move a report from → to. */
const RULES: Array<{ from: ReportStatus; to: ReportStatus; who: string[] }> = [
  { from: 'received', to: 'assigned', who: ['admin', 'operator', 'integration'] },
  { from: 'received', to: 'rejected', who: ['admin', 'operator', 'integration'] },
  { from: 'received', to: 'duplicate', who: ['admin', 'operator', 'integration'] },
  { from: 'assigned', to: 'assigned', who: ['admin', 'operator', 'integration'] },
  { from: 'assigned', to: 'in_progress', who: ['admin', 'operator', 'agency', 'integration'] },
  { from: 'assigned', to: 'rejected', who: ['admin', 'operator', 'agency', 'integration'] },
  { from: 'assigned', to: 'duplicate', who: ['admin', 'operator', 'integration'] },
  { from: 'in_progress', to: 'assigned', who: ['admin', 'operator', 'integration'] },
  { from: 'in_progress', to: 'resolved', who: ['admin', 'operator', 'agency', 'integration'] },
  { from: 'in_progress', to: 'rejected', who: ['admin', 'operator', 'agency', 'integration'] },
  { from: 'in_progress', to: 'duplicate', who: ['admin', 'operator', 'integration'] },
  { from: 'resolved', to: 'in_progress', who: ['admin', 'operator', 'resident', 'integration'] },
  { from: 'resolved', to: 'closed', who: ['resident', 'system'] },
];

/** A request that satisfies every requirement of `to`. */
function completeRequest(from: ReportStatus, to: ReportStatus): TransitionRequest {
  switch (to) {
    case 'assigned':
      return { to, agency: from === 'received' ? 'hepco' : 'so-xay-dung' };
    case 'resolved':
      return { to, note: 'Đã vá ổ gà.', photoIds: ['a'.repeat(64) + '.jpg'] };
    case 'rejected':
      return { to, note: 'Không thuộc thẩm quyền.' };
    case 'duplicate':
      return { to, duplicateOf: 'PA-OTHER22' };
    case 'closed':
      return { to, rating: 5 };
    default:
      return { to };
  }
}

function report(status: ReportStatus, over: Partial<LifecycleReport> = {}): LifecycleReport {
  // Resolved long enough ago for the system to close it, unless a test says otherwise.
  const resolvedAt = status === 'resolved' ? new Date(NOW.getTime() - 20 * DAY) : null;
  return { code: 'PA-ABCDEFG', status, agency: status === 'received' ? null : 'hepco', ward: null, residentId: 'r1', resolvedAt, reopenCount: 0, ...over };
}

const OTHER = { code: 'PA-OTHER22' };

describe('report lifecycle: every pair of statuses for every actor', () => {
  const cases = REPORT_STATUSES.flatMap((from) => REPORT_STATUSES.flatMap((to) => Object.keys(ACTORS).map((who) => [from, to, who] as const)));

  it.each(cases)('%s → %s by %s', (from, to, who) => {
    const rule = RULES.find((r) => r.from === from && r.to === to);
    const actor = ACTORS[who]!;
    // The resident may reopen only within the window; the system may close only after it.
    const r = report(from, from === 'resolved' && who === 'resident' ? { resolvedAt: new Date(NOW.getTime() - 3 * DAY) } : {});
    const run = () => decideTransition(r, completeRequest(from, to), actor, policy, OTHER);
    if (rule && rule.who.includes(who)) {
      const t = run();
      expect(t.from).toBe(from);
      expect(t.to).toBe(to);
      expect(t.changes.status).toBe(to);
      expect(t.event.actor).toBe(actor);
      expect(t.event.at).toBe(NOW);
    } else {
      expect(run).toThrow(LifecycleError);
      try {
        run();
      } catch (err) {
        const e = err as LifecycleError;
        // Refused for the actor (forbidden) or for the state (conflict), never silently.
        expect(['forbidden', 'conflict']).toContain(e.kind);
        if (rule) expect(e.kind).toBe('forbidden');
      }
    }
  });

  it('the module allows exactly the pairs the city states', () => {
    const stated = new Set(RULES.map((r) => `${r.from}>${r.to}`));
    expect(new Set(allowedTransitions().map(([f, t]) => `${f}>${t}`))).toEqual(stated);
  });
});

describe('report lifecycle: what each change needs and sets', () => {
  const op = ACTORS.operator!;

  it('assigning needs a known agency, and a re-route a different one', () => {
    expect(() => decideTransition(report('received'), { to: 'assigned' }, op, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.agency-required', kind: 'invalid' }));
    expect(() => decideTransition(report('received'), { to: 'assigned', agency: 'nowhere' }, op, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.unknown-agency' }));
    expect(() => decideTransition(report('assigned'), { to: 'assigned', agency: 'hepco' }, op, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.same-agency' }));
    const t = decideTransition(report('received'), { to: 'assigned', agency: 'hepco', note: ' ', internalNote: 'gọi đội 3' }, op, policy);
    expect(t.changes.agency).toBe('hepco');
    expect(t.event.publicNote).toBeNull();
    expect(t.event.internalNote).toBe('gọi đội 3');
    expect(t.notifyResident).toBe(true);
  });

  it('resolving needs a public reply and takes at most five result photos', () => {
    expect(() => decideTransition(report('in_progress'), { to: 'resolved', note: '  ' }, op, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.reply-required', kind: 'invalid' }));
    const six = Array.from({ length: 6 }, (_, i) => `${String(i).repeat(64)}.jpg`);
    expect(() => decideTransition(report('in_progress'), { to: 'resolved', note: 'Xong', photoIds: six }, op, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.too-many-photos' }));
    const t = decideTransition(report('in_progress'), { to: 'resolved', note: 'Đã thay bóng đèn.', photoIds: six.slice(0, 2) }, op, policy);
    expect(t.changes).toMatchObject({ resolvedAt: NOW, publicReply: 'Đã thay bóng đèn.', resultPhotoIds: six.slice(0, 2), reopened: false });
    // Without a photo is allowed (the console asks for one; only reports with one can be broadcast).
    expect(decideTransition(report('in_progress'), { to: 'resolved', note: 'Xong' }, op, policy).changes.resultPhotoIds).toEqual([]);
  });

  it('rejecting needs a public reason; a duplicate needs another existing report', () => {
    expect(() => decideTransition(report('assigned'), { to: 'rejected' }, op, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.reason-required' }));
    expect(() => decideTransition(report('assigned'), { to: 'duplicate' }, op, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.duplicate-of-required' }));
    expect(() => decideTransition(report('assigned'), { to: 'duplicate', duplicateOf: 'PA-ABCDEFG' }, op, policy, { code: 'PA-ABCDEFG' })).toThrow(expect.objectContaining({ code: 'lifecycle.duplicate-of-itself' }));
    expect(() => decideTransition(report('assigned'), { to: 'duplicate', duplicateOf: 'PA-ZZZZZZZ' }, op, policy, null)).toThrow(expect.objectContaining({ code: 'lifecycle.duplicate-of-unknown' }));
    const t = decideTransition(report('assigned'), { to: 'duplicate', duplicateOf: 'pa-other22' }, op, policy, OTHER);
    expect(t.changes.duplicateOf).toBe('PA-OTHER22');
  });

  it('a resident reopens within REOPEN_DAYS (flagged and counted), not after; staff may reopen any time', () => {
    const resident = ACTORS.resident!;
    const recent = report('resolved', { resolvedAt: new Date(NOW.getTime() - 13 * DAY), reopenCount: 1 });
    const t = decideTransition(recent, { to: 'in_progress' }, resident, policy);
    expect(t.reopened).toBe(true);
    expect(t.changes).toMatchObject({ reopened: true, reopenCount: 2, resolvedAt: null });
    expect(t.notifyResident).toBe(false); // the resident did it; the conversation confirms it
    const old = report('resolved', { resolvedAt: new Date(NOW.getTime() - 15 * DAY) });
    expect(() => decideTransition(old, { to: 'in_progress' }, resident, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.reopen-window-passed', kind: 'conflict' }));
    expect(decideTransition(old, { to: 'in_progress' }, op, policy).notifyResident).toBe(true);
  });

  it('the system closes only after REOPEN_DAYS; the resident closes with a rating of 1 to 5', () => {
    const system = ACTORS.system!;
    const fresh = report('resolved', { resolvedAt: new Date(NOW.getTime() - 2 * DAY) });
    expect(() => decideTransition(fresh, { to: 'closed' }, system, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.not-due-to-close' }));
    expect(decideTransition(report('resolved'), { to: 'closed' }, system, policy).changes.closedAt).toBe(NOW);
    const resident = ACTORS.resident!;
    expect(() => decideTransition(fresh, { to: 'closed', rating: 6 }, resident, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.invalid-rating' }));
    expect(decideTransition(fresh, { to: 'closed', rating: 4 }, resident, policy).changes.rating).toBe(4);
  });

  it('an agency acts only on reports routed to its agencies or wards, and not before the IOC assigns them', () => {
    const other = staff('agency', ['so-xay-dung']);
    expect(() => decideTransition(report('assigned'), { to: 'in_progress' }, other, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.not-your-report', kind: 'forbidden' }));
    const byWard: Actor = { kind: 'staff', id: 'w', role: 'agency', agencies: [], wards: ['19753'] };
    expect(decideTransition(report('assigned', { ward: '19753', agency: 'so-xay-dung' }), { to: 'in_progress' }, byWard, policy).to).toBe('in_progress');
    expect(() => decideTransition(report('received', { ward: '19753' }), { to: 'rejected', note: 'x' }, byWard, policy)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('a resident acts only on their own reports', () => {
    const stranger: Actor = { kind: 'resident', id: 'r2' };
    const fresh = report('resolved', { resolvedAt: new Date(NOW.getTime() - DAY) });
    expect(() => decideTransition(fresh, { to: 'closed', rating: 5 }, stranger, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.not-your-report' }));
  });

  it('notes are bounded and result photos belong to a resolution', () => {
    expect(() => decideTransition(report('assigned'), { to: 'rejected', note: 'x'.repeat(2001) }, op, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.note-too-long' }));
    expect(() => decideTransition(report('assigned'), { to: 'in_progress', photoIds: ['x'] }, op, policy)).toThrow(expect.objectContaining({ code: 'lifecycle.too-many-photos' }));
  });
});
