/**
 * Ports the report use cases need; storage/, media/ and clients/ implement them.
 */
import type { Channel, Locale } from '../shared/ids';
import type { Draft, DraftPhoto, Place } from './draft';
import type { Transition } from './lifecycle';
import type { Report, ReportEvent, ReportSource } from './report';

export interface Resident {
  readonly id: string;
  readonly channel: Channel;
  readonly platformUserId: string;
  readonly locale: Locale;
  readonly lastInteractionAt: Date | null;
  /** Set by `touch`: whether status notifications are parked for this resident (undefined: unknown). */
  readonly hasDeferredNotifications?: boolean;
}

export interface ResidentsRepo {
  /** Finds or creates the resident and records this interaction time. */
  touch(channel: Channel, platformUserId: string, at: Date): Promise<Resident>;
  find(channel: Channel, platformUserId: string): Promise<Resident | null>;
  findById(id: string): Promise<Resident | null>;
  setLocale(id: string, locale: Locale): Promise<void>;
}

export interface DraftsRepo {
  get(residentId: string): Promise<Draft | null>;
  /**
   * Read-modify-write under a row lock (`SELECT … FOR UPDATE`) in one short transaction.
   * `fn` receives the current draft (or null) and returns the new one (null deletes it).
   */
  update(residentId: string, fn: (current: Draft | null) => Draft | null): Promise<Draft | null>;
  delete(residentId: string): Promise<void>;
}

export type { Report, ReportPhoto, ReportEvent, ReportSource } from './report';
export type { ReportStatus } from './lifecycle';

export interface NewReport {
  readonly residentId: string;
  /** A chat channel, or `open311` for reports filed by another system (issue 13). */
  readonly channel: ReportSource;
  readonly category: string;
  readonly description: string;
  readonly place: Place;
  readonly locale: Locale;
  readonly photos: readonly DraftPhoto[];
  readonly ward: string | null;
  /** The agency the city's routing table proposes (report desk); the IOC confirms it. */
  readonly proposedAgency?: string | null;
  readonly dueAt: Date;
  readonly createdAt: Date;
}

export interface ReportsRepo {
  /**
   * Stores the report with a fresh unique code, its `received` history event and deletes the
   * resident's draft, atomically.
   */
  submit(input: NewReport): Promise<Report>;
  findByCode(code: string): Promise<Report | null>;
  findById(id: string): Promise<Report | null>;
  listByResident(residentId: string, limit: number): Promise<Report[]>;
  /**
   * The one writer of report changes: sets the fields and appends the history event in one
   * transaction, if the report is still in `transition.from` (else throws LifecycleError
   * `lifecycle.illegal-transition`: someone else changed it first). Returns the report and the event id.
   */
  applyTransition(reportId: string, transition: Transition): Promise<{ report: Report; eventId: string }>;
  history(reportId: string): Promise<ReportEvent[]>;
  event(eventId: string): Promise<(ReportEvent & { reportId: string }) | null>;
  /** Ids of reports resolved before `resolvedBefore` and not yet closed. */
  resolvedBefore(resolvedBefore: Date, limit: number): Promise<string[]>;
  /** Attaches the resident's comment to their rating. */
  setRatingComment(reportId: string, comment: string): Promise<void>;
  /** Records the resident's choice about publishing their report (true: may be shown publicly). */
  setPublish(reportId: string, publish: boolean): Promise<void>;
}

export interface ProcessedPhoto extends DraftPhoto {
  readonly gps: { readonly lat: number; readonly lng: number } | null;
}

/** Downloads a platform attachment URL and runs it through the photo pipeline. */
export interface PhotoIngest {
  ingest(url: string): Promise<ProcessedPhoto>;
  /**
   * Ingests at most `allowed` photos (plus a small margin for failures) of `urls`, a few at a time,
   * repeated URLs once; `skipped` counts the URLs not even downloaded (over the limit).
   */
  ingestMany(urls: readonly string[], allowed: number): Promise<{ results: Array<PromiseSettledResult<ProcessedPhoto>>; skipped: number }>;
}

export interface GeocodeResult {
  readonly lat: number;
  readonly lng: number;
  readonly address: string;
}

export interface Geocoder {
  /** Best match for a typed address inside the city, or null. Never throws for "not found". */
  search(query: string): Promise<GeocodeResult | null>;
  /** A display address for a point, or null when the service cannot tell. */
  reverse(lat: number, lng: number): Promise<string | null>;
}

export interface CategorySuggester {
  suggestCategory(text: string): { category: string; score: number };
}

export interface Clock {
  now(): Date;
}

/** The photo pipeline: sniffs, checks the pixel limit, orients, resizes, strips metadata, stores. */
export interface PhotoProcessor {
  process(bytes: Buffer): Promise<ProcessedPhoto & { contentType: string; bytes: number }>;
}

/** Describes stored photos so an id (the content key) is enough to attach one to a report. */
export interface MediaRepo {
  save(photo: { key: string; thumbKey: string; contentType: string; bytes: number; width: number; height: number }): Promise<void>;
}

/** Conversations a resident asked to hand to a person. */
export interface HandoversRepo {
  open(residentId: string, channel: Channel, reason: string): Promise<string>;
}

/** Purges residents' raw messages older than `before`; returns how many webhook bodies were emptied. */
export interface RetentionRepo {
  purge(before: Date, batch: number): Promise<number>;
}

/** Call-back contacts given with consent, kept apart from reports. */
export interface ContactsRepo {
  save(residentId: string, c: { phone: string | null; name: string | null }): Promise<void>;
  find(residentId: string): Promise<{ phone: string | null; name: string | null } | null>;
}
