/** A filed report as the rest of the system sees it. */
import type { Channel, Locale } from '../shared/ids';
import type { ReportStatus } from './lifecycle';
import type { Actor } from '../staff/actor';

export interface ReportPhoto {
  /** Content key of the processed photo (also its id for the API). */
  readonly key: string;
  readonly thumbKey: string;
  readonly width: number;
  readonly height: number;
}

/** Where a report came from: a chat channel or another system (Open311). */
export type ReportSource = Channel | 'open311';

export interface Report {
  readonly id: string;
  readonly code: string;
  readonly residentId: string;
  readonly channel: ReportSource;
  readonly category: string;
  readonly description: string;
  readonly location: { readonly lat: number; readonly lng: number };
  readonly address: string | null;
  /** Ward code (null until routing knows it). */
  readonly ward: string | null;
  /** Agency id the report is routed to (null until assigned). */
  readonly agency: string | null;
  readonly status: ReportStatus;
  readonly locale: Locale;
  readonly photos: readonly ReportPhoto[];
  readonly resultPhotos: readonly ReportPhoto[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** SLA: when the city promised an answer (per category, from the city profile). */
  readonly dueAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly closedAt: Date | null;
  /** The resident said it was not fixed; cleared when it is resolved again. */
  readonly reopened: boolean;
  readonly reopenCount: number;
  readonly rating: number | null;
  readonly ratingComment: string | null;
  /** The last public reply (resolution text, rejection reason). */
  readonly publicReply: string | null;
  readonly duplicateOf: string | null;
  /** The resident's choice about public display (null: the city profile's default). */
  readonly publish: boolean | null;
}

/** One entry of a report's history. */
export interface ReportEvent {
  readonly id: string;
  readonly at: Date;
  readonly from: ReportStatus | null;
  readonly to: ReportStatus;
  readonly actor: Pick<Actor, 'kind' | 'id'>;
  readonly publicNote: string | null;
  readonly internalNote: string | null;
}
