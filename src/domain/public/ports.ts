/**
 * Ports of the public surfaces (public page, Open311) and of analytics; `storage/` implements them.
 * Read models hold no resident field: what they return may be shown once made public by
 * `toPublicReport`.
 */
import type { ReportStatus } from '../reports/lifecycle';
import type { ReportPhoto } from '../reports/report';
import type { PublicReportRow } from './public-report';

export interface PublicFilter {
  /** Ward code. */
  readonly ward?: string | null;
  /** Category slug. */
  readonly category?: string | null;
}

export interface Open311Query {
  /** `service_request_id` list: when given, every other criterion is ignored. */
  readonly codes?: readonly string[];
  readonly categories?: readonly string[];
  readonly statuses?: readonly ReportStatus[];
  readonly start: Date;
  readonly end: Date;
  readonly limit: number;
}

/** One public change of a report (a history event after filing), for Open311's updates. */
export interface PublicUpdateRow {
  readonly eventId: string;
  readonly code: string;
  readonly at: Date;
  readonly from: ReportStatus | null;
  readonly to: ReportStatus;
  readonly publicNote: string | null;
  readonly publish: boolean | null;
  /** The report's result photos (shown with a resolution). */
  readonly resultPhotos: readonly ReportPhoto[];
}

export interface MapPoint {
  readonly code: string;
  readonly status: ReportStatus;
  readonly category: string;
  readonly lat: number;
  readonly lng: number;
}

export interface PublicReportsReader {
  /** Newest first; `limit + 1` rows tell whether there is a next page. */
  list(filter: PublicFilter, limit: number, offset: number): Promise<PublicReportRow[]>;
  findByCode(code: string): Promise<PublicReportRow | null>;
  /** Points of reports filed since `since`, newest first. */
  points(filter: PublicFilter, since: Date, limit: number): Promise<MapPoint[]>;
  /** Requests for Open311 (requested_datetime = filing time), newest first. */
  open311(query: Open311Query): Promise<PublicReportRow[]>;
  /** History events after filing between `start` and `end`, newest first. */
  updates(start: Date, end: Date, limit: number): Promise<PublicUpdateRow[]>;
  /** One event of a report, as an update. */
  update(eventId: string): Promise<PublicUpdateRow | null>;
}

/** What Open311 stores besides reports: the filers, tokens and the updates integrations posted. */
export interface Open311Store {
  /** The pseudo-resident that files an API key's reports (created on first use). */
  submitterFor(apiKeyId: string): Promise<string>;
  saveToken(token: string, reportId: string, apiKeyId: string, at: Date): Promise<void>;
  /** The report code of a token, or null. */
  codeOfToken(token: string): Promise<string | null>;
  /** The event an integration's update id produced earlier, or null. */
  updateEvent(apiKeyId: string, clientUpdateId: string): Promise<string | null>;
  saveUpdate(apiKeyId: string, clientUpdateId: string, eventId: string, at: Date): Promise<void>;
}
