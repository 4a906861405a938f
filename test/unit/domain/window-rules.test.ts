import { chooseNotificationRoute, routeAfterWindowClosed } from '../../../src/domain/notifications/window-rules';

const now = new Date('2026-11-22T10:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const s = { messengerWindowHours: 24, zaloWindowDays: 7, zbsStatusTemplateId: undefined };

describe('messaging window rules', () => {
  it('sends a plain Messenger message within 24 h and an ACCOUNT_UPDATE tag after', () => {
    expect(chooseNotificationRoute('messenger', hoursAgo(23), now, s)).toEqual({ kind: 'message' });
    expect(chooseNotificationRoute('messenger', hoursAgo(25), now, s)).toEqual({ kind: 'messenger-tag', tag: 'ACCOUNT_UPDATE' });
  });

  it('sends a Zalo consultation message within 7 days; after that a ZBS template if configured, else waits', () => {
    expect(chooseNotificationRoute('zalo', hoursAgo(6 * 24), now, s)).toEqual({ kind: 'message' });
    expect(chooseNotificationRoute('zalo', hoursAgo(8 * 24), now, s)).toEqual({ kind: 'defer' });
    expect(chooseNotificationRoute('zalo', hoursAgo(8 * 24), now, { ...s, zbsStatusTemplateId: 'tpl-1' })).toEqual({ kind: 'zbs-template', templateId: 'tpl-1' });
  });

  it('treats a resident with no recorded interaction as outside every window', () => {
    expect(chooseNotificationRoute('zalo', null, now, s)).toEqual({ kind: 'defer' });
    expect(chooseNotificationRoute('messenger', null, now, s).kind).toBe('messenger-tag');
  });

  it('after the platform reports a closed window, falls back the same way', () => {
    expect(routeAfterWindowClosed('zalo', s)).toEqual({ kind: 'defer' });
    expect(routeAfterWindowClosed('messenger', s).kind).toBe('messenger-tag');
  });
});
