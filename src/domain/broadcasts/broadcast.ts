/**
 * Broadcasts of resolved cases: a draft composed by a communications officer, approved by someone
 * allowed to publish (the author too, unless the city profile asks for four eyes), sent now or at
 * a set time, cancellable until it goes. Each (broadcast, target) is a delivery with its own state:
 * `pending → sending → sent`, or `failed` (with the platform's reason), or `uncertain` when a send
 * may or may not have reached the platform (the post is looked up before any retry).
 */
import { DomainError } from '../shared/errors';
import { can } from '../staff/permissions';
import type { Actor } from '../staff/actor';

export const BROADCAST_STATUSES = ['draft', 'approved', 'sending', 'done', 'cancelled'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];
export const DELIVERY_STATES = ['pending', 'sending', 'sent', 'failed', 'uncertain', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export type TargetKind = 'zalo-group' | 'facebook-page';

export interface BroadcastTarget {
  readonly id: string;
  readonly kind: TargetKind;
  readonly externalId: string;
  readonly name: string;
  readonly status: 'enabled' | 'disabled';
  readonly reason: string | null;
  readonly members: number | null;
  readonly label: string | null;
}

/** The short reference every post carries, so a post can be recognised later (`#B12`). */
export function broadcastRef(id: string): string {
  return `#B${id}`;
}

export type EligibilityProblem = 'broadcast.not-resolved' | 'broadcast.no-result-photo' | 'broadcast.opted-out' | 'broadcast.photos-not-redacted';

/**
 * Whether a report may be broadcast: resolved (or closed after a resolution), with a result
 * photo, not opted out by the resident (null = the city's default), and its photos redacted.
 */
export function eligibility(
  report: { status: string; resolvedAt: Date | null; resultPhotos: readonly unknown[]; publish: boolean | null },
  opts: { publishByDefault: boolean; photosPublic: boolean },
): EligibilityProblem | null {
  if (!(report.status === 'resolved' || report.status === 'closed') || !report.resolvedAt) return 'broadcast.not-resolved';
  if (report.resultPhotos.length === 0) return 'broadcast.no-result-photo';
  if (!(report.publish ?? opts.publishByDefault)) return 'broadcast.opted-out';
  if (!opts.photosPublic) return 'broadcast.photos-not-redacted';
  return null;
}

/** May `actor` approve a draft by `authorId`? Throws a DomainError with a stable code if not. */
export function checkApproval(actor: Actor, authorId: string, status: BroadcastStatus, fourEyes: boolean): void {
  if (actor.kind !== 'staff' && actor.kind !== 'integration') throw new DomainError('broadcast.forbidden', 'only staff approve broadcasts');
  if (!can(actor.role, 'broadcasts.approve')) throw new DomainError('broadcast.forbidden', 'this role may not approve broadcasts');
  if (status !== 'draft') throw new DomainError('broadcast.not-draft', `the broadcast is ${status}, not a draft`);
  if (fourEyes && actor.id === authorId) throw new DomainError('broadcast.four-eyes', 'the city asks for another officer to approve a broadcast');
}

/** A broadcast can be cancelled until its first delivery has started. */
export function checkCancel(status: BroadcastStatus, anyStarted: boolean): void {
  if (status === 'cancelled' || status === 'done') throw new DomainError('broadcast.finished', `the broadcast is already ${status}`);
  if (status === 'sending' || anyStarted) throw new DomainError('broadcast.already-sending', 'the broadcast is already going out');
}

/** Days between filing and resolution, at least 1 ("resolved in N days"). */
export function daysToResolve(createdAt: Date, resolvedAt: Date): number {
  return Math.max(1, Math.ceil((resolvedAt.getTime() - createdAt.getTime()) / 86_400_000));
}

/**
 * The caption from its template: `{code}`, `{category}`, `{place}`, `{days}`, `{reply}`, `{ref}`,
 * `{city}`, `{description}` (already scrubbed). Unknown placeholders stay visible so the officer sees them.
 */
export function renderCaption(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => (key in values ? values[key]! : all));
}
