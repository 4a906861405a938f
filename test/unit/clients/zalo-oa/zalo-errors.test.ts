import { PlatformApiError } from '../../../../src/domain/shared/errors';
import { nextIctMorning, nextMinute, zaloApiError, zaloErrorAction, zaloHttpError, zaloTransportError } from '../../../../src/clients/zalo-oa/zalo-errors';
import { TokenBucket } from '../../../../src/clients/zalo-oa/zalo-rate-limiter';

const NOW = Date.parse('2026-11-22T10:15:30.000Z'); // 17:15:30 in Hà Nội / Huế / TP HCM

describe('what the caller should do after a Zalo error', () => {
  it.each([
    [-32, 'retry'],
    [-216, 'refresh'],
    [-220, 'refresh'],
    [-230, 'window-closed'],
    [-232, 'window-closed'],
    [-213, 'window-closed'],
    [-227, 'give-up'],
    [-217, 'give-up'],
    [-244, 'give-up'],
    [-234, 'reschedule'],
    [-211, 'reschedule'],
    [-218, 'reschedule'],
    [-201, 'give-up'],
    [-210, 'give-up'],
    [-233, 'give-up'],
    [-240, 'give-up'],
    [-100, 'give-up'],
    [-224, 'give-up'],
    [-99999, 'give-up'],
  ])('code %i → %s', (code, action) => {
    expect(zaloErrorAction(code, NOW).action).toBe(action);
  });

  it('a rate-limit error says to come back at the start of the next minute', () => {
    expect(zaloErrorAction(-32, NOW).retryAt?.toISOString()).toBe('2026-11-22T10:16:00.000Z');
  });

  it('the night-time rule (-234) reschedules to the next 06:00 Vietnam time', () => {
    // 17:15 local → tomorrow 06:00 local = 23:00 UTC today
    expect(zaloErrorAction(-234, NOW).retryAt?.toISOString()).toBe('2026-11-22T23:00:00.000Z');
    // 02:00 local (19:00 UTC the day before) → 06:00 local the same night
    expect(nextIctMorning(Date.parse('2026-11-21T19:00:00Z')).toISOString()).toBe('2026-11-21T23:00:00.000Z');
    // exactly 06:00 local → the next day
    expect(nextIctMorning(Date.parse('2026-11-21T23:00:00Z')).toISOString()).toBe('2026-11-22T23:00:00.000Z');
  });

  it('out of quota (-211) reschedules to the next local midnight', () => {
    expect(zaloErrorAction(-211, NOW).retryAt?.toISOString()).toBe('2026-11-22T17:00:00.000Z');
  });

  it('builds a PlatformApiError that names the method and code and is retryable only for transient classes', () => {
    const e = zaloApiError(-230, 'User has not interacted with the OA in the past 7 days', { method: 'sendText', nowMs: NOW, status: 200 });
    expect(e).toBeInstanceOf(PlatformApiError);
    expect(e).toMatchObject({ platform: 'zalo', method: 'sendText', code: '-230', action: 'window-closed', retryable: false });
    expect(zaloApiError(-32, 'limit', { method: 'sendText', nowMs: NOW }).retryable).toBe(true);
  });

  it('5xx, 429 and network failures are transient; other HTTP statuses are not', () => {
    expect(zaloHttpError(502, { method: 'm', nowMs: NOW }).action).toBe('retry');
    expect(zaloHttpError(429, { method: 'm', nowMs: NOW }).action).toBe('retry');
    expect(zaloHttpError(404, { method: 'm', nowMs: NOW }).action).toBe('give-up');
    const refused = zaloTransportError('m', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
    expect(refused).toMatchObject({ action: 'retry', maybeSent: false });
    const timeout = zaloTransportError('m', new DOMException('timed out', 'TimeoutError'));
    expect(timeout).toMatchObject({ action: 'retry', maybeSent: true });
  });

  it('nextMinute is the next whole minute', () => {
    expect(nextMinute(Date.parse('2026-11-22T10:15:00.000Z')).toISOString()).toBe('2026-11-22T10:16:00.000Z');
  });
});

describe('app-wide rate limit (token bucket)', () => {
  function clock() {
    const c = { t: 0, sleeps: [] as number[] };
    return { c, now: () => c.t, sleep: async (ms: number) => { c.sleeps.push(ms); c.t += ms; } };
  }

  it('lets a burst through, then spaces requests to the per-minute rate', async () => {
    const { c, now, sleep } = clock();
    const bucket = new TokenBucket({ perMinute: 60, burst: 2, now, sleep });
    for (let i = 0; i < 4; i += 1) await bucket.take();
    expect(c.sleeps).toEqual([1000, 1000]);
  });

  it('concurrent callers are served in order without overspending', async () => {
    const { c, now, sleep } = clock();
    const bucket = new TokenBucket({ perMinute: 600, burst: 1, now, sleep });
    await Promise.all(Array.from({ length: 5 }, () => bucket.take()));
    expect(c.t).toBe(400);
  });

  it('pauses everyone until the given time when Zalo says the budget is spent', async () => {
    const { c, now, sleep } = clock();
    const bucket = new TokenBucket({ perMinute: 4000, now, sleep });
    bucket.pauseUntil(60_000);
    await bucket.take();
    expect(c.t).toBe(60_000);
  });
});
