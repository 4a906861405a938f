/** The report desk's pure rules: SLA state, the staff timeline, internal notes, durations, cursors. */
import { decodeCursor, encodeCursor } from '../../../src/app/staff-report-queries';
import { checkInternalNote, durationParts, slaState, timeline, type StaffNote } from '../../../src/domain/reports/report-desk';
import type { ReportEvent } from '../../../src/domain/reports/report';

const at = (h: number) => new Date(Date.UTC(2026, 2, 2, h));

describe('SLA state', () => {
  it('an open report past its due time is overdue by that much; before it, says what is left', () => {
    expect(slaState({ status: 'assigned', dueAt: at(10), resolvedAt: null }, at(13))).toEqual({ overdue: true, lateMs: 3 * 3_600_000, leftMs: null });
    expect(slaState({ status: 'received', dueAt: at(10), resolvedAt: null }, at(8))).toEqual({ overdue: false, lateMs: null, leftMs: 2 * 3_600_000 });
  });

  it('a report answered late keeps its lateness but is not overdue; one answered in time has neither', () => {
    expect(slaState({ status: 'resolved', dueAt: at(10), resolvedAt: at(12) }, at(20))).toEqual({ overdue: false, lateMs: 2 * 3_600_000, leftMs: null });
    expect(slaState({ status: 'closed', dueAt: at(10), resolvedAt: at(9) }, at(20))).toEqual({ overdue: false, lateMs: null, leftMs: null });
    expect(slaState({ status: 'rejected', dueAt: at(10), resolvedAt: null }, at(20))).toEqual({ overdue: false, lateMs: null, leftMs: null });
  });

  it('durations split into days, hours and minutes', () => {
    expect(durationParts((2 * 24 + 3) * 3_600_000 + 5 * 60_000)).toEqual({ days: 2, hours: 3, minutes: 5 });
    expect(durationParts(-5)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });
});

describe('the staff timeline', () => {
  it('merges status changes and notes in time order; a note sits at the status of its time; a category edit reads as an internal note', () => {
    const events: ReportEvent[] = [
      { id: '1', at: at(1), from: null, to: 'received', actor: { kind: 'resident', id: '5' }, publicNote: null, internalNote: null },
      { id: '2', at: at(3), from: 'received', to: 'assigned', actor: { kind: 'staff', id: '7' }, publicNote: null, internalNote: 'gấp' },
    ];
    const notes: StaffNote[] = [
      { id: '1', at: at(2), actor: { kind: 'staff', id: '7' }, kind: 'category', status: 'received', body: 'ảnh là rác', categoryFrom: 'trees', categoryTo: 'waste' },
      { id: '2', at: at(3), actor: { kind: 'staff', id: '8' }, kind: 'note', status: 'assigned', body: 'đã gọi', categoryFrom: null, categoryTo: null },
    ];
    const t = timeline(events, notes);
    expect(t.map((e) => [e.kind, e.from, e.to, e.note, e.internalNote])).toEqual([
      ['status', null, 'received', null, null],
      ['category', 'received', 'received', null, 'category: trees → waste (ảnh là rác)'],
      ['status', 'received', 'assigned', null, 'gấp'],
      ['note', 'assigned', 'assigned', null, 'đã gọi'],
    ]);
  });
});

describe('internal notes', () => {
  it('are trimmed, NFC, 1–4000 characters', () => {
    expect(checkInternalNote('  Đã gọi  ')).toBe('Đã gọi');
    expect(checkInternalNote('Đa\u0303 go\u0323i')).toBe('Đã gọi');
    expect(() => checkInternalNote('   ')).toThrow(expect.objectContaining({ code: 'report.note-required', kind: 'invalid' }));
    expect(() => checkInternalNote(42)).toThrow(expect.objectContaining({ code: 'report.note-required' }));
    expect(() => checkInternalNote('ư'.repeat(4001))).toThrow(expect.objectContaining({ code: 'report.note-too-long' }));
    expect(checkInternalNote('ư'.repeat(4000))).toHaveLength(4000);
  });
});

describe('list cursors', () => {
  it('round-trip, and refuse another sort, tampering and garbage', () => {
    const c = { sort: 'due' as const, key: '2026-03-02T08:00:00.123456Z', id: '42' };
    const token = encodeCursor(c);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token, { sort: 'due' })).toEqual(c);
    for (const [bad, sort] of [
      [token, 'newest'],
      ['not a cursor', 'due'],
      [Buffer.from(JSON.stringify(['due', '2026-03-02', '42'])).toString('base64url'), 'due'],
      [Buffer.from(JSON.stringify(['due', c.key, '0; DROP TABLE reports'])).toString('base64url'), 'due'],
      [Buffer.from(JSON.stringify({ sort: 'due' })).toString('base64url'), 'due'],
      ['x'.repeat(300), 'due'],
    ] as const) {
      expect(() => decodeCursor(bad, { sort })).toThrow(expect.objectContaining({ code: 'report.bad-cursor', kind: 'invalid' }));
    }
  });
});
