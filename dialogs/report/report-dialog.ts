/**
 * The report conversation: collects description, photos, location and category in whatever order
 * the resident sends them, asks only for what is missing, then summarises and stores the report.
 * Every question accepts typed answers (see dialogs/answers.ts); text that answers none of them is
 * read as new information for the draft, a question for the FAQ, or gets a short re-ask that says
 * what works.
 */
import type { CityProfile } from '../../src/domain/city-profile';
import type { Draft } from '../../src/domain/reports/draft';
import { MAX_PHOTOS } from '../../src/domain/reports/draft';
import type { Report } from '../../src/domain/reports/report';
import type { FileReport, PhotoOutcome } from '../../src/app/file-report';
import { DomainError } from '../../src/domain/shared/errors';
import type { Locale } from '../../src/domain/shared/ids';
import type { I18n, Translate } from '../../src/i18n';
import type { NluResult } from '../../src/nlu';
import { categoryHints, findCategory, looksLikeQuestion, readCommand, reportIntent, typedCoordinates, words, yesNo, type CategoryNames, type EditRequest } from '../answers';
import { offer, reaskChoice } from '../choices';
import { mainMenuChoices } from '../menu';
import type { Choice, Outbound, Turn } from '../types';
import { mentionsAnotherCity } from './other-places';

/** What the report dialog may ask the language model (optional: without it, typed answers still work). */
export interface ReportUnderstanding {
  /** The model's reading of free text (intent, FAQ topic, report category, emergency). */
  read?(text: string): NluResult;
  /** Answers a clear FAQ question in one short message without buttons; true when it did. */
  answerBriefly?(turn: Turn, reading: NluResult): Promise<boolean>;
}

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
  readonly understanding?: ReportUnderstanding;
  /** What happens when a resident does not answer the publishing question (`publicSite.publishByDefault`). */
  readonly publishByDefault?: boolean;
}

const PHOTO_ERROR_KEYS: Readonly<Record<string, string>> = {
  'photo.unsupported': 'report:photos.unsupported',
  'photo.too-large': 'report:photos.tooLarge',
  'photo.too-many-pixels': 'report:photos.tooManyPixels',
  'photo.corrupt': 'report:photos.corrupt',
  'photo.download-failed': 'report:photos.downloadFailed',
};

/** Payloads the report dialog owns. */
export const REPORT_PAYLOADS = /^(REPORT_START|REPORT_CONFIRM|REPORT_EDIT|REPORT_CANCEL|REPORT_REVIEW|LOCATION_CONFIRM|LOCATION_RETRY|CATEGORY:[a-z-]+|EDIT:(description|photos|location|category))$/;

/** The question a draft is at: the first thing missing, in the order we ask for it. */
export type ReportStep = 'confirm-location' | 'description' | 'photo' | 'location' | 'category' | 'summary';

export function stepOf(draft: Draft): ReportStep {
  if (draft.pendingLocation && !draft.location) return 'confirm-location';
  if (!draft.description) return 'description';
  if (draft.photos.length === 0) return 'photo';
  if (!draft.location) return 'location';
  if (!draft.category) return 'category';
  return 'summary';
}

/** "sửa", "edit" alone inside a report: show what can be changed. */
const BARE_EDIT = /^(sua|sua lai|chinh sua|chinh lai|thay doi|edit|change|modify|change it|edit it)$/;

/** FAQ answers inside a report need this much confidence (a wrong answer derails the report). */
const FAQ_IN_FLOW_SCORE = 0.5;
/** A report category read by the model from an explanation at the category question. */
const CATEGORY_FROM_MODEL_SCORE = 0.6;

export class ReportDialog {
  private readonly names: CategoryNames[];

  constructor(private readonly d: ReportDialogDeps) {
    this.names = d.categories.map((c) => ({ slug: c.slug, title: c.title, label: d.categoryLabels[c.slug] }));
  }

  /** Titles and labels of every category, for typed answers. */
  categoryNames(): readonly CategoryNames[] {
    return this.names;
  }

  categoryLabel(slug: string, locale: Locale): string {
    return this.d.categoryLabels[slug]?.[locale] ?? this.d.categories.find((c) => c.slug === slug)?.title[locale] ?? slug;
  }

  categoryTitle(slug: string, locale: Locale): string {
    return this.d.categories.find((c) => c.slug === slug)?.title[locale] ?? slug;
  }

  /** Starts (or resumes) a report. */
  async start(turn: Turn, notes: Outbound[] = []): Promise<void> {
    const t = this.t(turn);
    const existing = (await this.d.reports.currentDraft(turn.resident.id)).draft;
    await this.d.reports.start(turn.resident.id);
    const intro = existing ? t('report:resume') : t('report:start');
    await this.askNext(turn, [...notes, { text: intro }]);
  }

  /** "Start over": drops the open draft and starts a new one. */
  async restart(turn: Turn): Promise<void> {
    const t = this.t(turn);
    await this.d.reports.cancel(turn.resident.id);
    await this.d.reports.start(turn.resident.id);
    await this.askNext(turn, [{ text: t('report:restarted') }]);
  }

  /**
   * Starts a report from free text ("tôi muốn phản ánh ổ gà trước số 5 Lê Lợi", or a description
   * the model recognised): only what follows an intent phrase becomes the description.
   */
  async startWithDescription(turn: Turn, text: string): Promise<void> {
    const intent = reportIntent(text);
    const description = intent ? intent.rest : text.trim();
    const existing = (await this.d.reports.currentDraft(turn.resident.id)).draft;
    if (existing) {
      // A report is already open: this text continues it.
      if (!description) return this.askNext(turn, [{ text: this.t(turn)('report:resume') }]);
      return this.handleText(turn, existing, description, null);
    }
    const t = this.t(turn);
    await this.d.reports.start(turn.resident.id);
    const notes: Outbound[] = [{ text: t('report:start') }];
    if (description) {
      const ok = await this.tryDescribe(turn, description, notes);
      if (!ok) return this.askNext(turn, notes.slice(0, 1), { descriptionProblem: notes[1] });
    }
    await this.askNext(turn, notes);
  }

  /** Handles a photo, a location or another non-text input while a draft is open. */
  async handle(turn: Turn, draft: Draft): Promise<void> {
    const t = this.t(turn);
    const input = turn.input;
    const rid = turn.resident.id;

    if (input.kind === 'text') return this.handleText(turn, draft, input.text, null);

    if (input.kind === 'images') {
      const caption = input.caption?.trim() ?? '';
      // A caption is the description unless it is a command or a bare "ok".
      if (caption && !draft.description && !readCommand(caption) && yesNo(caption) === null) {
        const text = reportIntent(caption)?.rest ?? caption;
        await this.tryDescribe(turn, text, []);
      }
      const out = await this.d.reports.addPhotos(rid, input.urls);
      const ack: Outbound = { text: this.photoAck(t, out) };
      if (out.gpsSuggestion && !out.draft.location) {
        turn.setState({ photoPrompt: null });
        return this.askConfirmLocation(turn, out.draft, [ack], 'report:location.exifSuggest');
      }
      const step = stepOf(out.draft);
      if (out.added > 0 && turn.state.photoPrompt === step) {
        // Photos sent one by one: the question asked with the previous photo is still the one to
        // answer, so only acknowledge this one.
        return turn.send([ack]);
      }
      await this.askNext(turn, [ack]);
      turn.setState({ photoPrompt: step });
      return;
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

    // Stickers, files, links inside the flow: say what works and repeat the question.
    return this.askNext(turn, [{ text: t('common:unsupportedMessage') }]);
  }

  /**
   * Free text inside a report that is no command, no edit and no answer to the offered choices:
   * read it by the step the draft is at.
   */
  async handleText(turn: Turn, draft: Draft, raw: string, reading: NluResult | null): Promise<void> {
    const t = this.t(turn);
    let text = raw.trim();
    const intent = reportIntent(text);
    if (intent) {
      // "tôi muốn phản ánh …" again: keep only what follows, or just carry on.
      if (!intent.rest) return this.askNext(turn, [{ text: t('report:resume') }]);
      text = intent.rest;
      reading = null;
    }
    if (BARE_EDIT.test(words(text).words.join(' '))) return this.handlePayload(turn, 'REPORT_EDIT');
    const point = typedCoordinates(text);
    if (point) return this.locateTyped(turn, point);
    const step = stepOf(draft);
    // A question (not an address) is answered when the FAQ knows it, else it waits until after the report.
    const question = looksLikeQuestion(text) && !looksLikeAddress(text);
    const askLater = async (): Promise<void> => {
      if (reading && (await this.answerQuestion(turn, text, reading, step))) return;
      return this.reask(turn, step, [{ text: t('report:questionLater') }]);
    };
    switch (step) {
      case 'confirm-location':
        if (question) return askLater();
        // Not yes, not no: the resident typed the place instead ("không, ở 45 Phan Đình Phùng").
        return this.proposeAddress(turn, text.replace(/^\s*(không|khong|ko|k|sai|no|nope|chưa|chua)\s*(phải|phai|đúng|dung)?\s*[,.:!-]*\s*/iu, '') || text);
      case 'description': {
        if (yesNo(text) !== null) return this.reask(turn, step);
        if (question && reading && reading.intent !== 'report') return askLater();
        if (reading?.intent === 'smalltalk' && words(text).words.length <= 6) return this.reask(turn, step);
        // Only a place ("số 12 Lê Lợi", "gần chợ Đông Ba") and no problem: take it as the location.
        if (!draft.location && !draft.pendingLocation && looksLikeAddress(text) && words(text).words.length <= 8
          && categoryHints(text, this.names).length === 0 && (!reading || reading.intent !== 'report' || reading.score < 0.5) && (await this.addressIfFound(turn, text))) return;
        const notes: Outbound[] = [];
        if (!(await this.tryDescribe(turn, text, notes))) return turn.send(notes);
        if (draft.category) {
          // An edited description: suggest the category again from the new text.
          await this.d.reports.clear(turn.resident.id, 'category');
          notes.push({ text: t('report:description.updated') });
        }
        return this.askNext(turn, notes);
      }
      case 'photo': {
        if (!draft.location && looksLikeAddress(text)) return this.proposeAddress(turn, text);
        if (question) return askLater();
        if (/(khong|ko|chua) co (anh|hinh)|no (photo|picture|image)|(khong|ko) chup|dont have (a )?(photo|picture)/.test(words(text).words.join(' '))) {
          return this.reask(turn, step, [{ text: t('report:photos.required') }]);
        }
        if (yesNo(text) !== null || words(text).words.length < 3) return this.reask(turn, step);
        return this.addToDescription(turn, draft, text);
      }
      case 'location': {
        if (yesNo(text) !== null || [...text].length < 3) return this.reask(turn, step);
        if (question) return askLater();
        return this.proposeAddress(turn, text);
      }
      case 'category': {
        const slug = findCategory(text, this.names)
          ?? (reading?.intent === 'report' && reading.category && reading.score >= CATEGORY_FROM_MODEL_SCORE ? reading.category : null);
        if (slug && this.names.some((c) => c.slug === slug)) return this.handlePayload(turn, `CATEGORY:${slug}`);
        if (question) return askLater();
        return this.reask(turn, step);
      }
      case 'summary': {
        if (question) return askLater();
        // More words about the problem: add them to the description and show the summary again.
        if (draft.awaiting !== 'edit' && words(text).words.length >= 4 && yesNo(text) === null) {
          return this.addToDescription(turn, draft, text);
        }
        return this.reask(turn, step);
      }
    }
  }

  /**
   * After an emergency answer inside a report at the location question: if the text also names a
   * place in the city ("near Dong Ba market"), propose it, so a misread address does not stall the
   * report. Nothing is said when it is no place.
   */
  async alsoAsAddress(turn: Turn, draft: Draft, text: string): Promise<void> {
    const step = stepOf(draft);
    if (step === 'location' || step === 'confirm-location') await this.addressIfFound(turn, text);
  }

  /** Proposes `text` as the location when the geocoder finds it in the city; false (nothing said) otherwise. */
  private async addressIfFound(turn: Turn, text: string): Promise<boolean> {
    const city = this.d.city;
    if (mentionsAnotherCity(text, [city.name.vi, city.name.en, city.shortName.vi, city.shortName.en])) return false;
    try {
      const updated = await this.d.reports.proposeAddress(turn.resident.id, text);
      await this.askConfirmLocation(turn, updated, [], 'report:location.confirm');
      return true;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return false;
    }
  }

  /** Coordinates typed or pasted from a map app: the location, as a pin would set it. */
  private async locateTyped(turn: Turn, point: { lat: number; lng: number }): Promise<void> {
    const t = this.t(turn);
    try {
      const updated = await this.d.reports.locate(turn.resident.id, { ...point, source: 'platform' });
      return this.askNext(turn, [{ text: t('report:location.saved', { address: this.placeLabel(updated, turn.locale) }) }]);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'report.outside-city') throw err;
      return this.askLocation(turn, [{ text: t('report:location.outside', { city: this.d.city.name[turn.locale] }) }]);
    }
  }

  /** A typed edit: "sửa mô tả", "đổi địa chỉ thành 12 Lê Lợi", "thêm ảnh", "đổi loại thành rác". */
  async edit(turn: Turn, draft: Draft, e: EditRequest): Promise<void> {
    const t = this.t(turn);
    const rid = turn.resident.id;
    switch (e.part) {
      case 'description': {
        if (!e.rest) return this.handlePayload(turn, 'EDIT:description');
        if (e.mode === 'add' && draft.description) return this.addToDescription(turn, draft, e.rest);
        const notes: Outbound[] = [];
        if (!(await this.tryDescribe(turn, e.rest, notes))) return turn.send(notes);
        await this.d.reports.clear(rid, 'category');
        return this.askNext(turn, [{ text: t('report:description.updated') }]);
      }
      case 'photos': {
        if (e.mode === 'replace') return this.handlePayload(turn, 'EDIT:photos');
        if (draft.photos.length >= MAX_PHOTOS) return this.askNext(turn, [{ text: t('report:photos.full', { max: MAX_PHOTOS }) }]);
        await this.d.reports.setAwaiting(rid, 'photo');
        return this.ask(turn, [], t('report:ask.morePhotos', { count: draft.photos.length, max: MAX_PHOTOS }));
      }
      case 'location': {
        if (!e.rest) return this.handlePayload(turn, 'EDIT:location');
        return this.proposeAddress(turn, e.rest);
      }
      case 'category': {
        const slug = e.rest ? findCategory(e.rest, this.names) : null;
        if (slug) return this.handlePayload(turn, `CATEGORY:${slug}`);
        return this.handlePayload(turn, 'EDIT:category');
      }
    }
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
    if (payload === 'REPORT_REVIEW') return this.askNext(turn, []);
    if (payload === 'REPORT_EDIT') {
      await this.d.reports.setAwaiting(rid, 'edit');
      const choices: Choice[] = [
        { title: t('report:button.editDescription'), payload: 'EDIT:description' },
        { title: t('report:button.editPhotos'), payload: 'EDIT:photos' },
        { title: t('report:button.editLocation'), payload: 'EDIT:location' },
        { title: t('report:button.editCategory'), payload: 'EDIT:category' },
        { title: t('report:button.editNothing'), payload: 'REPORT_REVIEW' },
      ];
      return offer(turn, t, t('report:edit.which'), choices, { no: 'REPORT_REVIEW', hint: t('report:reask.edit') });
    }
    if (payload.startsWith('EDIT:')) {
      const part = payload.slice(5) as 'description' | 'photos' | 'location' | 'category';
      await this.d.reports.clear(rid, part);
      const key = part === 'description' ? 'report:ask.descriptionNew' : part === 'photos' ? 'report:ask.photoNew' : null;
      if (key) {
        await this.d.reports.setAwaiting(rid, part === 'description' ? 'description' : 'photo');
        return this.ask(turn, [], t(key));
      }
      return this.askNext(turn, []);
    }
    return this.askNext(turn, []);
  }

  /** Drops the draft; the main menu follows in the same message. */
  async cancel(turn: Turn): Promise<void> {
    const t = this.t(turn);
    const had = await this.d.reports.cancel(turn.resident.id);
    const text = `${t(had ? 'report:cancelled' : 'report:nothingToCancel')}\n${t('common:menu.promptAfter')}`;
    await offer(turn, t, text, mainMenuChoices(t));
  }

  /** Asks for the first missing part, or shows the summary when the draft is complete. */
  async askNext(turn: Turn, notes: Outbound[], opts: { descriptionProblem?: Outbound } = {}): Promise<void> {
    const t = this.t(turn);
    const rid = turn.resident.id;
    const { draft } = await this.d.reports.currentDraft(rid);
    if (!draft) return turn.send(notes);
    switch (stepOf(draft)) {
      case 'confirm-location': {
        const key = draft.pendingLocation!.source === 'exif' ? 'report:location.exifSuggest' : 'report:location.confirm';
        return this.askConfirmLocation(turn, draft, notes, key);
      }
      case 'description':
        await this.d.reports.setAwaiting(rid, 'description');
        return this.ask(turn, opts.descriptionProblem ? [...notes, opts.descriptionProblem] : notes, opts.descriptionProblem ? t('report:reask.description') : t('report:ask.description'));
      case 'photo':
        await this.d.reports.setAwaiting(rid, 'photo');
        return this.ask(turn, notes, t('report:ask.photo'));
      case 'location':
        return this.askLocation(turn, notes);
      case 'category':
        return this.askCategory(turn, draft, notes);
      case 'summary':
        return this.showSummary(turn, draft, notes);
    }
  }

  /** A short re-ask of the current question that says which answers work. */
  async reask(turn: Turn, step: ReportStep, notes: Outbound[] = []): Promise<void> {
    const t = this.t(turn);
    if (turn.state.menu && (step === 'category' || step === 'summary' || step === 'confirm-location')) {
      await reaskChoice(turn, t, this.d.city.hotline, notes);
      return;
    }
    const misses = turn.state.misses + 1;
    const lines: string[] = [];
    let extra: Partial<Outbound> = {};
    if (step === 'description') lines.push(t('report:reask.description'));
    else if (step === 'photo') lines.push(t('report:reask.photo'));
    else if (step === 'location') {
      lines.push(t('report:reask.location'));
      extra = { link: { title: t('report:button.map'), url: turn.locationPickerUrl() } };
    } else return this.askNext(turn, notes);
    if (misses >= 2) lines.push(t('common:reask.human', { hotline: this.d.city.hotline }));
    turn.setState({ menu: null, misses });
    await turn.send([...notes, { text: lines.join('\n'), ...extra }]);
  }

  /** Sends a question without choices (any earlier choices no longer apply). */
  private async ask(turn: Turn, notes: readonly Outbound[], text: string, extra: Partial<Outbound> = {}): Promise<void> {
    turn.setState({ menu: null, misses: 0 });
    await turn.send([...notes, { text, ...extra }]);
  }

  private async askCategory(turn: Turn, draft: Draft, notes: Outbound[]): Promise<void> {
    const t = this.t(turn);
    await this.d.reports.setAwaiting(turn.resident.id, 'category');
    const suggested = draft.suggestedCategory && draft.suggestedCategory !== 'other' && this.names.some((c) => c.slug === draft.suggestedCategory) ? draft.suggestedCategory : null;
    // The most likely first: the suggestion, categories named in the description, then the city's order ("other" last).
    const hints = draft.description ? categoryHints(draft.description, this.names) : [];
    const order = [...new Set([...(suggested ? [suggested] : []), ...hints, ...this.names.map((c) => c.slug).filter((s) => s !== 'other'), 'other'])].filter((s) => this.names.some((c) => c.slug === s));
    const choices = order.map((slug) => ({ title: this.categoryLabel(slug, turn.locale), payload: `CATEGORY:${slug}` }));
    const text = suggested ? t('report:ask.categorySuggested', { category: this.categoryTitle(suggested, turn.locale) }) : t('report:ask.category');
    const paged = choices.length > turn.capabilities.maxChoices;
    await offer(turn, t, text, choices, {
      yes: suggested ? `CATEGORY:${suggested}` : null,
      no: suggested && paged ? 'PAGE:1' : null,
      moreTitle: t('report:button.otherCategories'),
      moreText: t('report:ask.categoryMore'),
      hint: suggested ? t('report:reask.categorySuggested', { category: this.categoryLabel(suggested, turn.locale) }) : t('report:reask.category'),
      before: notes,
    });
  }

  private async showSummary(turn: Turn, draft: Draft, notes: Outbound[]): Promise<void> {
    const t = this.t(turn);
    await this.d.reports.setAwaiting(turn.resident.id, 'confirm');
    const summary = t('report:summary', {
      category: this.categoryTitle(draft.category!, turn.locale),
      description: draft.description,
      photos: draft.photos.length,
      address: this.placeLabel(draft, turn.locale),
    });
    await offer(turn, t, summary, [
      { title: t('report:button.confirm'), payload: 'REPORT_CONFIRM' },
      { title: t('report:button.edit'), payload: 'REPORT_EDIT' },
      { title: t('report:button.cancel'), payload: 'REPORT_CANCEL' },
    ], { yes: 'REPORT_CONFIRM', no: 'REPORT_EDIT', hint: t('report:reask.confirm'), before: notes });
  }

  private async askLocation(turn: Turn, notes: Outbound[]): Promise<void> {
    const t = this.t(turn);
    await this.d.reports.setAwaiting(turn.resident.id, 'location');
    const text = turn.capabilities.nativeLocation ? t('report:ask.locationZalo') : t('report:ask.location');
    await this.ask(turn, notes, text, { link: { title: t('report:button.map'), url: turn.locationPickerUrl() } });
  }

  private async askConfirmLocation(turn: Turn, draft: Draft, notes: Outbound[], key: string): Promise<void> {
    const t = this.t(turn);
    await this.d.reports.setAwaiting(turn.resident.id, 'location-confirm');
    const p = draft.pendingLocation!;
    const address = p.address ?? t('report:location.coordinates', { lat: p.lat.toFixed(5), lng: p.lng.toFixed(5) });
    await offer(turn, t, t(key, { address }), [
      { title: t('report:button.locationYes'), payload: 'LOCATION_CONFIRM' },
      { title: t('report:button.locationRetry'), payload: 'LOCATION_RETRY' },
    ], { yes: 'LOCATION_CONFIRM', no: 'LOCATION_RETRY', hint: t('report:reask.locationConfirm'), before: notes });
  }

  private async proposeAddress(turn: Turn, text: string): Promise<void> {
    const t = this.t(turn);
    const city = this.d.city;
    if (mentionsAnotherCity(text, [city.name.vi, city.name.en, city.shortName.vi, city.shortName.en])) {
      return this.askLocation(turn, [{ text: t('report:location.outside', { city: city.name[turn.locale] }) }]);
    }
    try {
      const draft = await this.d.reports.proposeAddress(turn.resident.id, text);
      return this.askConfirmLocation(turn, draft, [], 'report:location.confirm');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const note = err.code === 'report.outside-city'
        ? t('report:location.outside', { city: city.name[turn.locale] })
        : t('report:location.notFound', { query: text.slice(0, 120) });
      return this.askLocation(turn, [{ text: note }]);
    }
  }

  /** A clear FAQ question inside a report: a brief answer, then the pending question again (short). */
  private async answerQuestion(turn: Turn, text: string, reading: NluResult, step: ReportStep): Promise<boolean> {
    if (reading.intent !== 'faq' || !reading.topic || reading.score < FAQ_IN_FLOW_SCORE) return false;
    if (!looksLikeQuestion(text) || !this.d.understanding?.answerBriefly) return false;
    if (!(await this.d.understanding.answerBriefly(turn, reading))) return false;
    const t = this.t(turn);
    await this.reask(turn, step, [{ text: t('report:draftKept') }]);
    // A question is not a wrong answer: do not count it towards offering a person.
    turn.setState({ misses: 0 });
    return true;
  }

  private async addToDescription(turn: Turn, draft: Draft, text: string): Promise<void> {
    const t = this.t(turn);
    const joined = `${draft.description ?? ''}${draft.description ? '. ' : ''}${text.trim()}`.replace(/\.\.\s/g, '. ');
    const notes: Outbound[] = [];
    if (!(await this.tryDescribe(turn, joined, notes))) return turn.send(notes);
    return this.askNext(turn, [{ text: t('report:description.added') }]);
  }

  private photoAck(t: Translate, out: PhotoOutcome): string {
    const parts: string[] = [];
    if (out.added > 0) parts.push(t('report:photos.added', { count: out.added, total: out.draft.photos.length }));
    if (out.duplicates > 0 && out.added === 0) parts.push(t('report:photos.duplicate'));
    if (out.overLimit > 0) parts.push(t('report:photos.overLimit'));
    for (const code of new Set(out.failures)) parts.push(t(PHOTO_ERROR_KEYS[code] ?? 'report:photos.unsupported'));
    return parts.join(' ');
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
    turn.setState({ menu: null, misses: 0, publishFor: report.code });
    // With the code, in the same message: may the city show this report publicly (public page,
    // broadcasts)? No answer leaves the city's default. The call-back offer (Zalo) follows the answer.
    const done = t('report:submitted', { code: report.code });
    const ask = t(this.d.publishByDefault === false ? 'report:publish.askDefaultPrivate' : 'report:publish.ask');
    return offer(turn, t, `${done}\n\n${ask}`, [
      { title: t('report:publish.yes'), payload: 'PUBLISH_OK' },
      { title: t('report:publish.no'), payload: 'PUBLISH_NO' },
    ], { yes: 'PUBLISH_OK', no: 'PUBLISH_NO', hint: t('report:reask.publish') });
  }

  /** PUBLISH_OK / PUBLISH_NO: stored on the report just filed; then, on Zalo, the call-back offer. */
  async answerPublish(turn: Turn, publish: boolean): Promise<void> {
    const t = this.t(turn);
    const report = await this.d.reports.choosePublish(turn.resident.id, turn.state.publishFor, publish);
    turn.setState({ menu: null, publishFor: null });
    if (!report) return turn.send([{ text: t('report:publish.noReport') }]);
    const ack: Outbound = { text: t(publish ? 'report:publish.saidYes' : 'report:publish.saidNo', { code: report.code }) };
    if (turn.capabilities.contactRequest && this.d.contacts && !(await this.d.contacts.find(turn.resident.id))?.phone) {
      return offer(turn, t, t('report:phone.ask'), [
        { title: t('report:phone.yes'), payload: 'PHONE_CONSENT' },
        { title: t('report:phone.no'), payload: 'PHONE_DECLINE' },
      ], { yes: 'PHONE_CONSENT', no: 'PHONE_DECLINE', hint: t('report:reask.phone'), before: [ack] });
    }
    await turn.send([ack]);
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
