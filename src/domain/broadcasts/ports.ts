/** Ports of broadcasts: storage, card rendering and the two kinds of publishing target. */
import type { Locale } from '../shared/ids';
import type { Actor } from '../staff/actor';
import type { BroadcastStatus, BroadcastTarget, DeliveryState, TargetKind } from './broadcast';

export interface BroadcastRecord {
  readonly id: string;
  readonly ref: string;
  readonly status: BroadcastStatus;
  readonly kind: 'cases' | 'digest';
  readonly locale: Locale;
  readonly caption: string;
  readonly captionEn: string | null;
  readonly removed: ReadonlyArray<{ kind: string; value: string }>;
  readonly authorId: string;
  readonly approvedBy: string | null;
  readonly approvedAt: Date | null;
  readonly sendAt: Date | null;
  readonly createdAt: Date;
  readonly items: ReadonlyArray<{ readonly reportId: string | null; readonly reportCode: string | null; readonly cardKey: string }>;
  readonly deliveries: readonly DeliveryRecord[];
}

export interface DeliveryRecord {
  readonly id: string;
  readonly broadcastId: string;
  readonly target: BroadcastTarget;
  readonly state: DeliveryState;
  readonly platformId: string | null;
  readonly link: string | null;
  readonly error: string | null;
  readonly attempts: number;
}

export interface NewBroadcast {
  readonly kind: 'cases' | 'digest';
  readonly locale: Locale;
  readonly caption: string;
  readonly captionEn: string | null;
  readonly removed: ReadonlyArray<{ kind: string; value: string }>;
  readonly author: Actor;
  readonly items: ReadonlyArray<{ reportId: string | null; cardKey: string }>;
  readonly targetIds: readonly string[];
  readonly weekStart?: string;
}

export interface BroadcastsRepo {
  listTargets(): Promise<BroadcastTarget[]>;
  targets(ids: readonly string[]): Promise<BroadcastTarget[]>;
  /** Records the groups as the platform lists them now; groups no longer listed become disabled. */
  syncGroups(groups: ReadonlyArray<{ externalId: string; name: string; status: 'enabled' | 'disabled'; reason: string | null; members: number; assetValidThrough: Date | null }>): Promise<void>;
  ensureTarget(kind: TargetKind, externalId: string, name: string): Promise<BroadcastTarget>;
  setLabel(targetId: string, label: string | null): Promise<void>;

  create(b: NewBroadcast): Promise<BroadcastRecord>;
  get(id: string): Promise<BroadcastRecord | null>;
  list(limit: number): Promise<BroadcastRecord[]>;
  /** Draft → approved (optimistic on the status); returns the deliveries to queue. */
  approve(id: string, approver: Actor, sendAt: Date | null): Promise<DeliveryRecord[]>;
  cancel(id: string, actor: Actor): Promise<void>;
  weekDigestExists(weekStart: string): Promise<boolean>;
  /** Resolved reports an officer may pick, newest resolution first, with what decides eligibility. */
  candidates(f: { ward?: string; category?: string; from?: Date; to?: Date; minRating?: number; limit: number }): Promise<
    Array<{ code: string; category: string; address: string | null; ward: string | null; resolvedAt: Date; rating: number | null; publish: boolean | null; resultPhotos: number }>
  >;
  /** The week's figures for the digest: received, resolved, median days to resolve, best-rated resolutions. */
  weekFigures(from: Date, to: Date): Promise<{ received: number; resolved: number; medianDays: number | null; topCodes: string[] }>;
  /** The final caption of a draft and what was removed from it (shown to the officer). */
  setCaption(id: string, caption: string, removed: ReadonlyArray<{ kind: string; value: string }>): Promise<void>;

  /**
   * Takes a delivery for sending (row lock): returns it with the state it had (`pending`,
   * `uncertain`, or `sending` whose lease expired: its outcome is unknown) and leaves it `sending`
   * with a lease; null when it is sent, failed, cancelled or leased by someone else.
   */
  claim(deliveryId: string, leaseMs: number): Promise<(DeliveryRecord & { previous: DeliveryState; broadcast: BroadcastRecord }) | null>;
  markSent(deliveryId: string, platformId: string, link: string | null): Promise<void>;
  markFailed(deliveryId: string, reason: string): Promise<void>;
  /** Back to be tried again later: `pending` (nothing reached the platform) or `uncertain`. */
  release(deliveryId: string, state: 'pending' | 'uncertain', error: string): Promise<void>;
  /** Deliveries left `sending` by a process that died (lease expired), and `pending`/`uncertain` ones of approved broadcasts. */
  stalled(limit: number, leaseMs: number): Promise<string[]>;
  /** Manual retry of a failed or uncertain delivery. */
  reopenDelivery(deliveryId: string): Promise<DeliveryRecord | null>;
}

/** Draws the before/after card of a case and the weekly digest card (JPEG). */
export interface CardRenderer {
  renderCase(c: {
    beforeKey: string;
    afterKey: string;
    category: string;
    place: string;
    filedOn: string;
    resolvedOn: string;
    days: number;
    code: string;
    locale: Locale;
  }): Promise<Buffer>;
  renderDigest(d: { title: string; lines: readonly string[]; locale: Locale }): Promise<Buffer>;
}

/** Where rendered cards are kept (content-addressed) and read back. */
export interface CardStore {
  put(jpeg: Buffer): Promise<string>;
  get(key: string): Promise<Buffer | null>;
}

/** A Zalo group the OA created, as the platform reports it. */
export interface GroupDirectory {
  list(): Promise<Array<{ externalId: string; name: string; status: 'enabled' | 'disabled'; reason: string | null; members: number; assetValidThrough: Date | null }>>;
}

/** Posting into one kind of target, and finding a post again by the broadcast's reference. */
export interface TargetPublisher {
  /** Posts the cards with the caption; returns the platform's id of the post and a link if any. */
  post(target: BroadcastTarget, cards: readonly Buffer[], caption: string): Promise<{ platformId: string; link: string | null }>;
  /** The post carrying `ref` among the target's recent posts, or null. */
  find(target: BroadcastTarget, ref: string): Promise<{ platformId: string; link: string | null } | null>;
}

export type TargetPublishers = Readonly<Partial<Record<TargetKind, TargetPublisher>>>;
