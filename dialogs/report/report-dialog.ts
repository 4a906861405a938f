/**
 * The report conversation: collects description, photos, location and category in whatever order
 * the resident sends them, asks only for what is missing, then summarises and stores the report.
 */
import type { CityProfile } from '../../src/domain/city-profile';
import type { Draft } from '../../src/domain/reports/draft';
import type { Report } from '../../src/domain/reports/report';
import type { FileReport } from '../../src/app/file-report';
import { DomainError } from '../../src/domain/shared/errors';
import type { Locale } from '../../src/domain/shared/ids';
import type { I18n, Translate } from '../../src/i18n';
import { offer } from '../choices';
import { isCancel } from '../text';
import type { Choice, Outbound, Turn } from '../types';

export interface ReportDialogDeps {
  readonly reports: FileReport;
  readonly i18n: I18n;
  readonly city: CityProfile;
  readonly categories: ReadonlyArray<{ slug: string; title: { vi: string; en: string } }>;
  readonly categoryLabels: Readonly<Record<string, { vi: string; en: string }>>;
  readonly draftIdleHours: number;
  /** Consent-based call-back contacts (stored apart from reports). */
  readonly contacts?: {
    find(residentId: string): Promise<{ phone: string | null } | null>;
    save(residentId: string, c: { phone: string | null; name: string | null }): Promise<void>;
  };
}

const PHOTO_ERROR_KEYS: Readonly<Record<string, string>> = {
  'photo.unsupported': 'report:photos.unsupported',
  'photo.too-large': 'report:photos.tooLarge',
  'photo.too-many-pixels': 'report:photos.tooManyPixels',
  'photo.corrupt': 'report:photos.corrupt',
  'photo.download-failed': 'report:photos.downloadFailed',
};

/** Payloads the report dialog owns. */
export const REPORT_PAYLOADS = /^(REPORT_START|REPORT_CONFIRM|REPORT_EDIT|REPORT_CANCEL|LOCATION_CONFIRM|LOCATION_RETRY|CATEGORY:[a-z-]+|EDIT:(description|photos|location|category))$/;

export class ReportDialog {
  constructor(private readonly d: ReportDialogDeps) {}

  categoryLabel(slug: string, locale: Locale): string {
    return this.d.categoryLabels[slug]?.[locale] ?? this.d.categories.find((c) => c.slug === slug)?.title[locale] ?? slug;
  }

  categoryTitle(slug: string, locale: Locale): string {
    return this.d.categories.find((c) => c.slug === slug)?.title[locale] ?? slug;
  }

  /** Starts (or resumes) a report; `seed` is what the resident already sent (text, photos, location). */
  async start(turn: Turn, notes: Outbound[] = []): Promise<void> {
    const t = this.t(turn);
    const existing = (await this.d.reports.currentDraft(turn.resident.id)).draft;
    await this.d.reports.start(turn.resident.id);
    const intro = existing ? t('report:resume') : t('report:start');
    await this.askNext(turn, [...notes, { text: intro }]);
  }

  /** Starts a report whose description is `text` (a report recognised outside the flow). */
  async startWithDescription(turn: Turn, text: string, category: string | null): Promise<void> {
    const t = this.t(turn);
    await this.d.reports.start(turn.resident.id);
    const notes: Outbound[] = [{ text: t('report:start') }];
    try {
      await this.d.reports.describe(turn.resident.id, text);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
    }
    if (category) {
      await this.d.reports.setCategory(turn.resident.id, category).catch(() => undefined);
      // A category pre-selected from free text is still confirmed by the resident: keep it as suggestion.
      await this.d.reports.clear(turn.resident.id, 'category');
    }
    await this.askNext(turn, notes);
  }

  /** Handles one input while a draft is open. */
  async handle(turn: Turn, draft: Draft): Promise<void> {
    const t = this.t(turn);
    const input = turn.input;
    const rid = turn.resident.id;

    if (input.kind === 'text' && input.payload) return this.handlePayload(turn, input.payload);
    if (input.kind === 'text' && isCancel(input.text)) return this.cancel(turn);

    if (input.kind === 'images') {
      const notes: Outbound[] = [];
      if (input.caption && !draft.description) await this.tryDescribe(turn, input.caption, notes);
      const out = await this.d.reports.addPhotos(rid, input.urls);
      if (out.added > 0) notes.push({ text: t('report:photos.added', { count: out.added, total: out.draft.photos.length }) });
      if (out.duplicates > 0 && out.added === 0) notes.push({ text: t('report:photos.duplicate') });
      if (out.overLimit > 0) notes.push({ text: t('report:photos.overLimit') });
      for (const code of new Set(out.failures)) notes.push({ text: t(PHOTO_ERROR_KEYS[code] ?? 'report:photos.unsupported') });
      if (out.gpsSuggestion && !out.draft.location) {
        return this.askConfirmLocation(turn, out.draft, notes, 'report:location.exifSuggest');
      }
      return this.askNext(turn, notes);
    }

    if (input.kind === 'location') {
      const notes: Outbound[] = [];
      try {
        const updated = await this.d.reports.locate(rid, { lat: input.lat, lng: input.lng, source: input.source, address: input.title });
        notes.push({ text: t('report:location.saved', { address: this.placeLabel(updated, turn.locale) }) });
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'report.outside-city') throw err;
        notes.push({ text: t('report:location.outside', { city: this.d.city.name[turn.locale] }) });
      }
      return this.askNext(turn, notes);
    }

    if (input.kind === 'text') {
      const text = input.text;
      const notes: Outbound[] = [];
      const awaiting = draft.awaiting;
      if ((awaiting === 'location' || awaiting === 'location-confirm') && draft.description) {
        return this.proposeAddress(turn, text);
      }
      if (!draft.description) {
        const ok = await this.tryDescribe(turn, text, notes);
        if (!ok) return turn.send(notes);
        return this.askNext(turn, notes);
      }
      if (awaiting === 'photo' && !draft.location && looksLikeAddress(text)) {
        return this.proposeAddress(turn, text);
      }
      if (awaiting === 'category') {
        const slug = this.matchCategory(text, turn.locale);
        if (slug) return this.handlePayload(turn, `CATEGORY:${slug}`);
      }
      // Anything else: repeat the pending question so the resident knows what is expected.
      return this.askNext(turn, notes);
    }

    // Stickers, files, links inside the flow: say what works and repeat the question.
    return this.askNext(turn, [{ text: t('common:unsupportedMessage') }]);
  }

  async handlePayload(turn: Turn, payload: string): Promise<void> {
    const t = this.t(turn);
    const rid = turn.resident.id;
    if (payload === 'REPORT_START') return this.start(turn);
    if (payload === 'REPORT_CANCEL') return this.cancel(turn);

    const { draft } = await this.d.reports.currentDraft(rid);
    if (!draft) {
      // A button from an old message: start over rather than fail.
      return this.start(turn);
    }

    if (payload.startsWith('CATEGORY:')) {
      const slug = payload.slice('CATEGORY:'.length);
      try {
        await this.d.reports.setCategory(rid, slug);
        return this.askNext(turn, [{ text: t('report:category.saved', { category: this.categoryTitle(slug, turn.locale) }) }]);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return this.askNext(turn, [{ text: t('report:category.unknown') }]);
      }
    }
    if (payload === 'LOCATION_CONFIRM') {
      try {
        const updated = await this.d.reports.confirmPendingLocation(rid);
        return this.askNext(turn, [{ text: t('report:location.saved', { address: this.placeLabel(updated, turn.locale) }) }]);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const key = err.code === 'report.outside-city' ? 'report:location.outside' : 'report:location.noPending';
        return this.askNext(turn, [{ text: t(key, { city: this.d.city.name[turn.locale] }) }]);
      }
    }
    if (payload === 'LOCATION_RETRY') {
      await this.d.reports.rejectPendingLocation(rid);
      return this.askLocation(turn, []);
    }
    if (payload === 'REPORT_CONFIRM') return this.submit(turn);
    if (payload === 'REPORT_EDIT') {
      await this.d.reports.setAwaiting(rid, 'edit');
      const choices: Choice[] = [
        { title: t('report:button.editDescription'), payload: 'EDIT:description' },
        { title: t('report:button.editPhotos'), payload: 'EDIT:photos' },
        { title: t('report:button.editLocation'), payload: 'EDIT:location' },
        { title: t('report:button.editCategory'), payload: 'EDIT:category' },
      ];
      return offer(turn, t, t('report:edit.which'), choices);
    }
    if (payload.startsWith('EDIT:')) {
      const part = payload.slice(5) as 'description' | 'photos' | 'location' | 'category';
      await this.d.reports.clear(rid, part);
      return this.askNext(turn, []);
    }
    return this.askNext(turn, []);
  }

  async cancel(turn: Turn): Promise<void> {
    const t = this.t(turn);
    const had = await this.d.reports.cancel(turn.resident.id);
    turn.setState({ menu: null });
    await turn.send([{ text: t(had ? 'report:cancelled' : 'report:nothingToCancel') }]);
  }

  /** Asks for the first missing part, or shows the summary when the draft is complete. */
  async askNext(turn: Turn, notes: Outbound[]): Promise<void> {
    const t = this.t(turn);
    const rid = turn.resident.id;
    const { draft } = await this.d.reports.currentDraft(rid);
    if (!draft) return turn.send(notes);
    if (draft.pendingLocation && !draft.location) {
      const key = draft.pendingLocation.source === 'exif' ? 'report:location.exifSuggest' : 'report:location.confirm';
      return this.askConfirmLocation(turn, draft, notes, key);
    }
    if (!draft.description) {
      await this.d.reports.setAwaiting(rid, 'description');
      return turn.send([...notes, { text: t('report:ask.description') }]);
    }
    if (draft.photos.length === 0) {
      await this.d.reports.setAwaiting(rid, 'photo');
      return turn.send([...notes, { text: t('report:ask.photo') }]);
    }
    if (!draft.location) return this.askLocation(turn, notes);
    if (!draft.category) {
      await this.d.reports.setAwaiting(rid, 'category');
      const suggested = draft.suggestedCategory;
      const ordered = suggested
        ? [suggested, ...this.d.categories.map((c) => c.slug).filter((s) => s !== suggested)]
        : this.d.categories.map((c) => c.slug);
      const choices = ordered.map((slug) => ({ title: this.categoryLabel(slug, turn.locale), payload: `CATEGORY:${slug}` }));
      const text = suggested && suggested !== 'other'
        ? t('report:ask.categorySuggested', { category: this.categoryTitle(suggested, turn.locale) })
        : t('report:ask.category');
      return offer(turn, t, text, choices, {}, notes);
    }
    await this.d.reports.setAwaiting(rid, 'confirm');
    const summary = t('report:summary', {
      category: this.categoryTitle(draft.category, turn.locale),
      description: draft.description,
      photos: draft.photos.length,
      address: this.placeLabel(draft, turn.locale),
    });
    return offer(turn, t, summary, [
      { title: t('report:button.confirm'), payload: 'REPORT_CONFIRM' },
      { title: t('report:button.edit'), payload: 'REPORT_EDIT' },
      { title: t('report:button.cancel'), payload: 'REPORT_CANCEL' },
    ], {}, notes);
  }

  private async askLocation(turn: Turn, notes: Outbound[]): Promise<void> {
    const t = this.t(turn);
    await this.d.reports.setAwaiting(turn.resident.id, 'location');
    turn.setState({ menu: null });
    const text = turn.capabilities.nativeLocation ? t('report:ask.locationZalo') : t('report:ask.location');
    await turn.send([...notes, { text, link: { title: t('report:button.map'), url: turn.locationPickerUrl() } }]);
  }

  private async askConfirmLocation(turn: Turn, draft: Draft, notes: Outbound[], key: string): Promise<void> {
    const t = this.t(turn);
    await this.d.reports.setAwaiting(turn.resident.id, 'location-confirm');
    const p = draft.pendingLocation!;
    const address = p.address ?? t('report:location.coordinates', { lat: p.lat.toFixed(5), lng: p.lng.toFixed(5) });
    await offer(turn, t, t(key, { address }), [
      { title: t('report:button.locationYes'), payload: 'LOCATION_CONFIRM' },
      { title: t('report:button.locationRetry'), payload: 'LOCATION_RETRY' },
    ], {}, notes);
  }

  private async proposeAddress(turn: Turn, text: string): Promise<void> {
    const t = this.t(turn);
    try {
      const draft = await this.d.reports.proposeAddress(turn.resident.id, text);
      return this.askConfirmLocation(turn, draft, [], 'report:location.confirm');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const note = err.code === 'report.outside-city'
        ? t('report:location.outside', { city: this.d.city.name[turn.locale] })
        : t('report:location.notFound', { query: text.slice(0, 120) });
      return this.askLocation(turn, [{ text: note }]);
    }
  }

  private async tryDescribe(turn: Turn, text: string, notes: Outbound[]): Promise<boolean> {
    const t = this.t(turn);
    try {
      await this.d.reports.describe(turn.resident.id, text);
      return true;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      notes.push({ text: t(err.code === 'report.description-too-long' ? 'report:description.tooLong' : 'report:description.tooShort') });
      return false;
    }
  }

  private async submit(turn: Turn): Promise<void> {
    const t = this.t(turn);
    let report: Report;
    try {
      report = await this.d.reports.submit(turn.resident.id, turn.channel, turn.locale);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.askNext(turn, [{ text: t('report:incomplete') }]);
    }
    turn.setState({ menu: null });
    const done: Outbound = { text: t('report:submitted', { code: report.code }) };
    if (turn.capabilities.contactRequest && this.d.contacts && !(await this.d.contacts.find(turn.resident.id))?.phone) {
      return offer(turn, t, t('report:phone.ask'), [
        { title: t('report:phone.yes'), payload: 'PHONE_CONSENT' },
        { title: t('report:phone.no'), payload: 'PHONE_DECLINE' },
      ], {}, [done]);
    }
    await turn.send([done]);
  }

  /** Consent given: show the platform's form; its answer arrives as a `contact` input. */
  async requestPhone(turn: Turn): Promise<void> {
    const t = this.t(turn);
    turn.setState({ menu: null });
    await turn.requestContactInfo(t('report:phone.requestTitle', { city: this.d.city.name[turn.locale] }), t('report:phone.requestSubtitle'));
  }

  async saveContact(turn: Turn, phone: string | null, name: string | null): Promise<void> {
    const t = this.t(turn);
    if (this.d.contacts && (phone || name)) await this.d.contacts.save(turn.resident.id, { phone, name });
    await turn.send([{ text: t('report:phone.saved') }]);
  }

  private matchCategory(text: string, locale: Locale): string | null {
    const f = text.trim().toLowerCase();
    const hit = this.d.categories.find((c) => c.slug === f || c.title[locale].toLowerCase() === f || this.categoryLabel(c.slug, locale).toLowerCase() === f);
    return hit?.slug ?? null;
  }

  placeLabel(draft: Pick<Draft, 'location'> | { location?: { lat: number; lng: number; address: string | null } }, locale: Locale): string {
    const loc = draft.location;
    if (!loc) return '—';
    return loc.address ?? this.d.i18n.t(locale, 'report:location.coordinates', { lat: loc.lat.toFixed(5), lng: loc.lng.toFixed(5) });
  }

  private t(turn: Turn): Translate {
    return this.d.i18n.forLocale(turn.locale);
  }
}

/** A typed text that is probably an address rather than more description. */
function looksLikeAddress(text: string): boolean {
  return /\d|đường|duong|kiệt|kiet|hẻm|hem|ngõ|ngo|phường|phuong|street|road|ward|số |so |gần|gan |trước|truoc|chợ|cho |cầu|cau /i.test(text) && text.length <= 200;
}
