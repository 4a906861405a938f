import { addDays, isMonday, lastCompleteWeek, mondayOf, weeksRange } from '../../../src/domain/analytics/figures';
import { formatW3cDatetime, parseW3cDatetime, requestWindow, transitionForUpdate, updateStatusOf } from '../../../src/domain/public/open311';
import { zonedMidnight } from '../../../src/domain/shared/zoned-time';

const TZ = 'Asia/Ho_Chi_Minh';

describe('w3 datetimes', () => {
  it.each<[string, string | null]>([
    ['2010-01-01T00:00:00Z', '2010-01-01T00:00:00.000Z'],
    ['1994-11-05T08:15:30-05:00', '1994-11-05T13:15:30.000Z'],
    ['2026-03-02T15:04:05.250+07:00', '2026-03-02T08:04:05.250Z'],
    ['2026-03-02T15:04+07:00', '2026-03-02T08:04:00.000Z'],
    ['2026-03-02', '2026-03-01T17:00:00.000Z'],
    ['2026-03-02T15:04:05', null],
    ['2010-02-31T00:00:00Z', null],
    ['yesterday', null],
    ['', null],
  ])('%s', (raw, iso) => {
    expect(parseW3cDatetime(raw, TZ)?.toISOString() ?? null).toBe(iso);
  });

  it('are written with the city offset', () => {
    expect(formatW3cDatetime(new Date('2026-03-02T08:04:05.900Z'), TZ)).toBe('2026-03-02T15:04:05+07:00');
    expect(formatW3cDatetime(new Date('2026-03-02T08:04:05Z'), 'UTC')).toBe('2026-03-02T08:04:05+00:00');
    expect(zonedMidnight('2026-03-02', TZ)?.toISOString()).toBe('2026-03-01T17:00:00.000Z');
  });
});

describe('the window of GET requests', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const d = (s: string) => new Date(s);
  it('is the last 90 days without dates', () => {
    expect(requestWindow(null, null, now)).toEqual({ start: d('2026-03-03T00:00:00Z'), end: now });
  });
  it('is 90 days from a start date, or up to an end date', () => {
    expect(requestWindow(d('2026-01-01T00:00:00Z'), null, now)).toEqual({ start: d('2026-01-01T00:00:00Z'), end: d('2026-04-01T00:00:00Z') });
    expect(requestWindow(null, d('2026-04-01T00:00:00Z'), now)).toEqual({ start: d('2026-01-01T00:00:00Z'), end: d('2026-04-01T00:00:00Z') });
  });
  it('may not span more than 90 days, nor run backwards', () => {
    expect(requestWindow(d('2026-01-01T00:00:00Z'), d('2026-04-01T00:00:01Z'), now)).toEqual({ problem: 'range-too-long' });
    expect(requestWindow(d('2026-02-01T00:00:00Z'), d('2026-01-01T00:00:00Z'), now)).toEqual({ problem: 'start-after-end' });
  });
});

describe('update statuses', () => {
  it.each<[Parameters<typeof updateStatusOf>[0], Parameters<typeof updateStatusOf>[1], string]>([
    ['received', 'assigned', 'action_scheduled'],
    ['assigned', 'in_progress', 'in_progress'],
    ['resolved', 'in_progress', 'reopen'],
    ['in_progress', 'resolved', 'fixed'],
    ['assigned', 'rejected', 'no_further_action'],
    ['received', 'duplicate', 'duplicate'],
    ['resolved', 'closed', 'closed'],
  ])('%s → %s is %s', (from, to, expected) => {
    expect(updateStatusOf(from, to)).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ['FIXED', 'resolved'],
    ['closed', 'resolved'],
    ['IN_PROGRESS', 'in_progress'],
    ['REOPEN', 'in_progress'],
    ['NO_FURTHER_ACTION', 'rejected'],
    ['NOT_COUNCILS_RESPONSIBILITY', 'rejected'],
    ['DUPLICATE', 'duplicate'],
    ['INTERNAL_REFERRAL', 'assigned'],
    ['FOR_TRIAGE', undefined],
  ])('a POSTed %s asks for %s', (status, to) => {
    const t = transitionForUpdate({ status, description: 'Đã vá', agency: 'hepco', duplicateOf: 'PA-ABCDEFG', photoIds: [] });
    expect(t === 'unsupported' ? undefined : t.to).toBe(to);
  });
});

describe('weeks in the city', () => {
  it('start on Monday, local time', () => {
    // Sunday 2026-03-08 23:30 in Huế is still the week of Monday 2026-03-02.
    expect(mondayOf(new Date('2026-03-08T16:30:00Z'), TZ)).toBe('2026-03-02');
    // Monday 2026-03-09 00:30 in Huế (Sunday 17:30 UTC) is the next week.
    expect(mondayOf(new Date('2026-03-08T17:30:00Z'), TZ)).toBe('2026-03-09');
    expect(lastCompleteWeek(new Date('2026-03-09T00:05:00Z'), TZ)).toBe('2026-03-02');
    expect(isMonday('2026-03-09')).toBe(true);
    expect(isMonday('2026-03-10')).toBe(false);
    expect(isMonday('2026-02-30')).toBe(false);
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
  });
  it('cover whole local days', () => {
    const r = weeksRange('2026-03-02', 2, TZ);
    expect(r.mondays).toEqual(['2026-03-02', '2026-03-09']);
    expect(r.start.toISOString()).toBe('2026-03-01T17:00:00.000Z');
    expect(r.end.toISOString()).toBe('2026-03-15T17:00:00.000Z');
  });
});
