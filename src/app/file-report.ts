/**
 * Filing a report: the draft a resident builds in any order (description, photos, location,
 * category), then the stored report with its code, SLA due time and first history event.
 * Slow work (photo downloads, geocoding) happens before the draft row is locked, so locks are short.
 */
import { DomainError } from '../domain/shared/errors';
import type { Channel, Locale } from '../domain/shared/ids';
import { slaHours, type CityProfile } from '../domain/city-profile';
import { dueAt } from '../domain/reports/lifecycle';
import { isValidLatLng, pointInPolygon } from '../domain/geo/polygon';
import {
  addPhotos,
  checkDescription,
  MAX_PHOTOS,
  emptyDraft,
  isIdleExpired,
  type Draft,
  type Place,
} from '../domain/reports/draft';
import type {
  CategorySuggester,
  Clock,
  DraftsRepo,
  Geocoder,
  PhotoIngest,
  ProcessedPhoto,
  Report,
  ReportSource,
  ReportsRepo,
} from '../domain/reports/ports';
import type { RouteReport } from './route-report';

export interface FileReportDeps {
  readonly drafts: DraftsRepo;
  readonly reports: ReportsRepo;
  readonly photos: PhotoIngest;
  readonly geocoder: Geocoder;
  readonly suggester: CategorySuggester;
  readonly city: CityProfile;
  readonly categories: ReadonlyArray<{ slug: string }>;
  readonly clock: Clock;
  readonly draftIdleHours: number;
  /** Ward from the point and the proposed agency (report desk); without it reports carry neither. */
  readonly routing?: Pick<RouteReport, 'route'>;
}

export interface PhotoOutcome {
  readonly draft: Draft;
  readonly added: number;
  readonly duplicates: number;
  readonly overLimit: number;
  /** Stable error codes of photos that could not be used (`photo.unsupported`, …). */
  readonly failures: string[];
  /** GPS from a photo's EXIF, offered as the location when none is set yet. */
  readonly gpsSuggestion: Place | null;
}

/** A complete report from another system (see {@link FileReport.fileDirect}). */
export interface DirectReport {
  /** The filer's resident (an Open311 API key's pseudo-resident). */
  readonly residentId: string;
  readonly channel: ReportSource;
  readonly locale: Locale;
  readonly category: string;
  readonly description: string;
  /** The point, or null to geocode `address`. */
  readonly point: { readonly lat: number; readonly lng: number } | null;
  readonly address: string | null;
  readonly photoUrls: readonly string[];
}

export class FileReport {
  constructor(private readonly d: FileReportDeps) {}

  /**
   * The resident's open draft. A draft idle longer than the limit is dropped, and `expired` says so,
   * so the dialog can tell the resident.
   */
  async currentDraft(residentId: string): Promise<{ draft: Draft | null; expired: boolean }> {
    const draft = await this.d.drafts.get(residentId);
    if (draft && isIdleExpired(draft, this.d.clock.now(), this.d.draftIdleHours)) {
      await this.d.drafts.delete(residentId);
      return { draft: null, expired: true };
    }
    return { draft, expired: false };
  }

  /** Starts a draft, or returns the open one unchanged. */
  async start(residentId: string): Promise<Draft> {
    return (await this.update(residentId, (cur) => cur ?? emptyDraft(this.d.clock.now())))!;
  }

  async cancel(residentId: string): Promise<boolean> {
    const had = (await this.d.drafts.get(residentId)) !== null;
    await this.d.drafts.delete(residentId);
    return had;
  }

  async setAwaiting(residentId: string, awaiting: Draft['awaiting']): Promise<Draft | null> {
    return this.update(residentId, (cur) => (cur ? { ...cur, awaiting } : cur));
  }

  /** Sets the description; throws DomainError `report.description-too-short|too-long`. */
  async describe(residentId: string, text: string): Promise<Draft> {
    const problem = checkDescription(text);
    if (problem) throw new DomainError(problem);
    const description = text.normalize('NFC').trim();
    const suggestion = this.d.suggester.suggestCategory(description);
    return (await this.update(residentId, (cur) => ({
      ...(cur ?? emptyDraft(this.d.clock.now())),
      description,
      suggestedCategory: suggestion.category,
    })))!;
  }

  /** Downloads and processes photos (in parallel, before locking), then adds them to the draft. */
  async addPhotos(residentId: string, urls: string[]): Promise<PhotoOutcome> {
    // Count before downloading: only as many as the draft still takes (read before the lock).
    const current = await this.d.drafts.get(residentId);
    const allowed = MAX_PHOTOS - (current?.photos.length ?? 0);
    const { results, skipped } = await this.d.photos.ingestMany(urls, allowed);
    const ok: ProcessedPhoto[] = [];
    const failures: string[] = [];
    for (const r of results) {
      if (r.status === 'fulfilled') ok.push(r.value);
      else failures.push(r.reason instanceof DomainError ? r.reason.code : 'photo.failed');
    }
    let outcome = { added: 0, duplicates: 0, overLimit: 0 };
    let gpsSuggestion: Place | null = null;
    const draft = await this.update(residentId, (cur) => {
      const base = cur ?? emptyDraft(this.d.clock.now());
      const res = addPhotos(base, ok.map(({ gps: _gps, ...p }) => p));
      outcome = { added: res.added, duplicates: res.duplicates, overLimit: res.overLimit + skipped };
      let next = res.draft;
      const gps = ok.find((p) => p.gps && this.insideServiceArea(p.gps))?.gps;
      if (gps && !next.location && !next.pendingLocation) {
        gpsSuggestion = { lat: gps.lat, lng: gps.lng, address: null, source: 'exif' };
        next = { ...next, pendingLocation: gpsSuggestion };
      }
      return next;
    });
    return { draft: draft!, ...outcome, failures, gpsSuggestion };
  }

  insideServiceArea(p: { lat: number; lng: number }): boolean {
    return isValidLatLng(p) && pointInPolygon(p, this.d.city.serviceArea.polygon);
  }

  /**
   * Sets the location from coordinates (platform pin, web view or a confirmed suggestion).
   * Throws DomainError `report.outside-city` for points outside the service area.
   */
  async locate(residentId: string, place: Omit<Place, 'address'> & { address?: string | null }): Promise<Draft> {
    if (!this.insideServiceArea(place)) throw new DomainError('report.outside-city');
    const address = place.address ?? (await this.d.geocoder.reverse(place.lat, place.lng).catch(() => null));
    const location: Place = { lat: place.lat, lng: place.lng, address, source: place.source };
    return (await this.update(residentId, (cur) => ({
      ...(cur ?? emptyDraft(this.d.clock.now())),
      location,
      pendingLocation: undefined,
    })))!;
  }

  /**
   * Geocodes a typed address and keeps it as the pending location to confirm.
   * Throws `report.address-not-found` or `report.outside-city`.
   */
  async proposeAddress(residentId: string, query: string): Promise<Draft> {
    const hit = await this.d.geocoder.search(query);
    if (!hit) throw new DomainError('report.address-not-found');
    if (!this.insideServiceArea(hit)) throw new DomainError('report.outside-city');
    const pending: Place = { lat: hit.lat, lng: hit.lng, address: hit.address, source: 'geocoded' };
    return (await this.update(residentId, (cur) => ({
      ...(cur ?? emptyDraft(this.d.clock.now())),
      pendingLocation: pending,
      awaiting: 'location-confirm',
    })))!;
  }

  /** Accepts the pending location; throws `report.no-pending-location` when there is none. */
  async confirmPendingLocation(residentId: string): Promise<Draft> {
    const cur = await this.d.drafts.get(residentId);
    const pending = cur?.pendingLocation;
    if (!pending) throw new DomainError('report.no-pending-location');
    return this.locate(residentId, pending);
  }

  async rejectPendingLocation(residentId: string): Promise<Draft | null> {
    return this.update(residentId, (cur) => (cur ? { ...cur, pendingLocation: undefined, awaiting: 'location' } : cur));
  }

  /** Throws `report.unknown-category`. */
  async setCategory(residentId: string, slug: string): Promise<Draft> {
    if (!this.d.categories.some((c) => c.slug === slug)) throw new DomainError('report.unknown-category');
    return (await this.update(residentId, (cur) => ({ ...(cur ?? emptyDraft(this.d.clock.now())), category: slug })))!;
  }

  /** Clears one part of the draft so it is asked again. */
  async clear(residentId: string, part: 'description' | 'photos' | 'location' | 'category'): Promise<Draft | null> {
    return this.update(residentId, (cur) => {
      if (!cur) return cur;
      switch (part) {
        case 'description':
          return { ...cur, description: undefined };
        case 'photos':
          return { ...cur, photos: [] };
        case 'location':
          return { ...cur, location: undefined, pendingLocation: undefined };
        case 'category':
          return { ...cur, category: undefined };
      }
    });
  }

  /** Stores the complete draft as a report. Throws `report.incomplete` when something is missing. */
  /**
   * The resident's answer to "may the city publish this report?" (asked right after the code):
   * for report `code` when given and theirs, else their latest report. Null: no report of theirs.
   */
  async choosePublish(residentId: string, code: string | null, publish: boolean): Promise<Report | null> {
    const own = code ? await this.d.reports.findByCode(code) : null;
    const report = own && own.residentId === residentId ? own : (await this.d.reports.listByResident(residentId, 1))[0] ?? null;
    if (!report) return null;
    await this.d.reports.setPublish(report.id, publish);
    return { ...report, publish };
  }

  async submit(residentId: string, channel: Channel, locale: Locale): Promise<Report> {
    const draft = await this.d.drafts.get(residentId);
    if (!draft || !draft.description || draft.photos.length === 0 || !draft.location || !draft.category) {
      throw new DomainError('report.incomplete');
    }
    const now = this.d.clock.now();
    const routed = this.d.routing?.route(draft.location, draft.category) ?? { ward: null, proposedAgency: null };
    return this.d.reports.submit({
      residentId,
      channel,
      locale,
      category: draft.category,
      description: draft.description,
      place: draft.location,
      photos: draft.photos,
      ward: routed.ward,
      proposedAgency: routed.proposedAgency,
      createdAt: now,
      dueAt: dueAt(now, slaHours(this.d.city, draft.category)),
    });
  }

  // ── Issue 13: reports filed by another system (Open311) in one call ──
  /**
   * Files a complete report in one call, for reports that do not come from a chat (Open311): the
   * same checks as a chat report (category, description, service area; an address is geocoded and
   * must be in the city) and the same photo pipeline, then the same `submit`. No draft is involved.
   * @throws DomainError `report.unknown-category`, `report.description-too-short|too-long`,
   *   `report.location-required`, `report.address-not-found`, `report.outside-city`, or the photo
   *   pipeline's code (`photo.download-failed`, `photo.unsupported`…) for a photo that cannot be used.
   */
  async fileDirect(input: DirectReport): Promise<Report> {
    if (!this.d.categories.some((c) => c.slug === input.category)) throw new DomainError('report.unknown-category');
    const problem = checkDescription(input.description);
    if (problem) throw new DomainError(problem);
    let place: Place;
    if (input.point) {
      if (!this.insideServiceArea(input.point)) throw new DomainError('report.outside-city');
      const address = input.address ?? (await this.d.geocoder.reverse(input.point.lat, input.point.lng).catch(() => null));
      place = { lat: input.point.lat, lng: input.point.lng, address, source: 'geocoded' };
    } else if (input.address) {
      const hit = await this.d.geocoder.search(input.address);
      if (!hit) throw new DomainError('report.address-not-found');
      if (!this.insideServiceArea(hit)) throw new DomainError('report.outside-city');
      place = { lat: hit.lat, lng: hit.lng, address: hit.address, source: 'geocoded' };
    } else {
      throw new DomainError('report.location-required');
    }
    const { results } = await this.d.photos.ingestMany(input.photoUrls, MAX_PHOTOS);
    const photos: ProcessedPhoto[] = [];
    for (const r of results) {
      if (r.status === 'rejected') throw r.reason instanceof DomainError ? r.reason : new DomainError('photo.failed');
      if (!photos.some((p) => p.key === r.value.key)) photos.push(r.value);
    }
    const now = this.d.clock.now();
    return this.d.reports.submit({
      residentId: input.residentId,
      channel: input.channel,
      locale: input.locale,
      category: input.category,
      description: input.description.normalize('NFC').trim(),
      place,
      photos: photos.map(({ gps: _gps, ...p }) => p),
      ward: null,
      createdAt: now,
      dueAt: dueAt(now, slaHours(this.d.city, input.category)),
    });
  }
  // ── end of issue 13 ──

  private update(residentId: string, fn: (cur: Draft | null) => Draft | null): Promise<Draft | null> {
    const now = this.d.clock.now().toISOString();
    return this.d.drafts.update(residentId, (cur) => {
      const next = fn(cur);
      return next ? { ...next, updatedAt: now } : null;
    });
  }
}
