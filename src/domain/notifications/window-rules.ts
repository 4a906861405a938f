/**
 * One rule engine for both platforms' messaging windows: how a status notification may reach a
 * resident, given when they last interacted with the city's account.
 *
 * - Messenger: free-form within 24 h of the resident's last message; after that only a tagged
 *   message (`ACCOUNT_UPDATE`: a non-recurring change to something the resident filed).
 * - Zalo: consultation messages within 7 days of the last interaction; after that a ZBS template
 *   message when one is configured, otherwise the notification waits until the resident writes.
 */
import type { Channel } from '../shared/ids';

export type NotificationRoute =
  | { kind: 'message' }
  | { kind: 'messenger-tag'; tag: 'ACCOUNT_UPDATE' }
  | { kind: 'zbs-template'; templateId: string }
  | { kind: 'defer' };

export interface WindowSettings {
  readonly messengerWindowHours: number;
  readonly zaloWindowDays: number;
  readonly zbsStatusTemplateId: string | undefined;
}

export function chooseNotificationRoute(channel: Channel, lastInteractionAt: Date | null, now: Date, s: WindowSettings): NotificationRoute {
  const age = lastInteractionAt ? now.getTime() - lastInteractionAt.getTime() : Infinity;
  if (channel === 'messenger') {
    return age <= s.messengerWindowHours * 3_600_000 ? { kind: 'message' } : { kind: 'messenger-tag', tag: 'ACCOUNT_UPDATE' };
  }
  if (age <= s.zaloWindowDays * 86_400_000) return { kind: 'message' };
  return s.zbsStatusTemplateId ? { kind: 'zbs-template', templateId: s.zbsStatusTemplateId } : { kind: 'defer' };
}

/** What to do after a send failed because the platform says the window is closed (our record was stale). */
export function routeAfterWindowClosed(channel: Channel, s: WindowSettings): NotificationRoute {
  if (channel === 'messenger') return { kind: 'messenger-tag', tag: 'ACCOUNT_UPDATE' };
  return s.zbsStatusTemplateId ? { kind: 'zbs-template', templateId: s.zbsStatusTemplateId } : { kind: 'defer' };
}
