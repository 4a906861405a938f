/**
 * Admins edit what the bot says without a developer: FAQ answers (and the example questions the
 * language model learns from), canned replies per report category (and for every category: `*`),
 * the hotline and the one-stop shop facts. Each edit is checked with the rules of the shipped
 * files, previewed in both languages as a resident would read it, stored over the shipped content
 * with its history (who, when, before and after) and audited; "back to the shipped text" removes
 * the edit. The merged content is reloaded at once (the report page offers an edited canned reply
 * from the next request), and a change of example questions retrains the language model in the
 * background (main.ts listens to the store).
 */
import {
  CITY_KEY,
  cannedKey,
  cannedOf,
  cannedProblems,
  cityEditOf,
  cityProblems,
  ContentError,
  examplesDiffer,
  faqEditOf,
  faqKey,
  faqProblems,
  renderedTopic,
  withCannedIds,
  type CannedReplies,
  type CannedReplyDraft,
  type CityEdit,
  type ContentHistoryEntry,
  type ContentOverridesRepo,
  type ContentProblem,
  type FaqEdit,
  type LiveContent,
} from '../domain/content/content';
import type { CityProfile } from '../domain/city-profile';
import { EVERY_CATEGORY } from '../domain/reports/canned-replies';
import { placeholderProblems, renderTopicText } from '../domain/faq/knowledge-base';
import type { TopicEntry } from '../domain/faq/knowledge-base.schema';
import { DomainError } from '../domain/shared/errors';
import type { Locale } from '../domain/shared/ids';
import type { StaffActor } from '../domain/staff/actor';
import type { AuditLog } from '../domain/staff/audit';
import { can } from '../domain/staff/permissions';

/** What the use case needs of the store (src/app/content-store.ts). */
export interface EditableContent {
  current(): LiveContent;
  shipped(): LiveContent;
  editedKeys(): ReadonlySet<string>;
  reload(): Promise<void>;
}

export interface EditContentDeps {
  readonly store: EditableContent;
  readonly repo: ContentOverridesRepo;
  readonly audit: AuditLog;
  readonly categories: ReadonlyArray<{ readonly slug: string; readonly title: { readonly vi: string; readonly en: string } }>;
}

export type Preview<T> = { readonly problems: readonly ContentProblem[]; readonly vi: T; readonly en: T };

export type TopicPreview = ReturnType<typeof renderedTopic>;

export interface CityPreview {
  readonly hotline: string;
  readonly oneStop: { readonly name: string; readonly address: string; readonly hours: string };
  /** Answers that quote these facts, as residents would now read them. */
  readonly samples: ReadonlyArray<{ readonly title: string; readonly text: string }>;
}

const HISTORY = 20;

export class EditContent {
  constructor(private readonly d: EditContentDeps) {}

  /** The FAQ topics, in order, with whether each was edited here. */
  topics(): Array<{ slug: string; title: { vi: string; en: string }; edited: boolean }> {
    const edited = this.d.store.editedKeys();
    return this.d.store.current().kb.topics.map((t) => ({ slug: t.slug, title: t.title, edited: edited.has(faqKey(t.slug)) }));
  }

  /** The lists of canned replies: every category's (`*`, title null) first, then each report category's. */
  categories(): Array<{ slug: string; title: { vi: string; en: string } | null; count: number; edited: boolean }> {
    const edited = this.d.store.editedKeys();
    const city = this.d.store.current().city;
    return [{ slug: EVERY_CATEGORY, title: null }, ...this.d.categories].map((c) => ({ slug: c.slug, title: c.title, count: cannedOf(city, c.slug).length, edited: edited.has(cannedKey(c.slug)) }));
  }

  // ---- FAQ ----------------------------------------------------------------------------------

  /** @throws DomainError `content.not-found` */
  async faq(slug: string): Promise<{ topic: TopicEntry; edit: FaqEdit; shipped: FaqEdit; edited: boolean; history: ContentHistoryEntry[] }> {
    const topic = this.topic(slug);
    const shipped = this.d.store.shipped().kb.bySlug.get(slug)!;
    return { topic, edit: faqEditOf(topic), shipped: faqEditOf(shipped), edited: this.d.store.editedKeys().has(faqKey(slug)), history: await this.d.repo.history(faqKey(slug), HISTORY) };
  }

  /** What residents would read with `edit`, in both languages, and what is wrong with it. */
  previewFaq(slug: string, edit: FaqEdit): Preview<TopicPreview> {
    const topic = this.topic(slug);
    const city = this.d.store.current().city;
    return { problems: faqProblems(topic, edit, city), vi: renderedTopic(topic, edit, city, 'vi'), en: renderedTopic(topic, edit, city, 'en') };
  }

  /** @throws ContentError (with the problems), DomainError `content.not-found` / `content.forbidden` */
  async saveFaq(slug: string, edit: FaqEdit, actor: StaffActor): Promise<'saved' | 'unchanged'> {
    this.authorise(actor);
    const topic = this.topic(slug);
    const problems = faqProblems(topic, edit, this.d.store.current().city);
    if (problems.length > 0) throw new ContentError(problems);
    const before = faqEditOf(topic);
    if (same(before, edit)) return 'unchanged';
    await this.d.repo.save(faqKey(slug), before, edit, actor);
    await this.d.store.reload();
    await this.d.audit.record({ actor, action: 'content.update', target: { kind: 'content', id: faqKey(slug) }, details: { examplesChanged: examplesDiffer(before, edit) } });
    return 'saved';
  }

  async revertFaq(slug: string, actor: StaffActor): Promise<boolean> {
    this.authorise(actor);
    const topic = this.topic(slug);
    const shipped = faqEditOf(this.d.store.shipped().kb.bySlug.get(slug)!);
    return this.revert(faqKey(slug), faqEditOf(topic), shipped, actor);
  }

  // ---- City facts ---------------------------------------------------------------------------

  async city(): Promise<{ edit: CityEdit; shipped: CityEdit; edited: boolean; history: ContentHistoryEntry[] }> {
    return {
      edit: cityEditOf(this.d.store.current().city),
      shipped: cityEditOf(this.d.store.shipped().city),
      edited: this.d.store.editedKeys().has(CITY_KEY),
      history: await this.d.repo.history(CITY_KEY, HISTORY),
    };
  }

  previewCity(edit: CityEdit): Preview<CityPreview> {
    const shipped = this.d.store.shipped().city;
    const problems = cityProblems(edit, shipped);
    const city: CityProfile = { ...this.d.store.current().city, hotline: edit.hotline, oneStop: edit.oneStop, facts: { ...shipped.facts, ...edit.facts } };
    // One answer quoting the hotline and one quoting the one-stop shop (the one quoting most first).
    const topics = this.d.store.current().kb.topics;
    const quotes = (re: RegExp) => [...topics].filter((t) => re.test(t.short.vi)).sort((a, b) => (b.short.vi.match(/\{\{/g)?.length ?? 0) - (a.short.vi.match(/\{\{/g)?.length ?? 0))[0];
    const quoting = [...new Set([quotes(/\{\{\s*city\.hotline/), quotes(/\{\{\s*city\.oneStop/)].filter((t): t is TopicEntry => t !== undefined))];
    const view = (locale: Locale): CityPreview => ({
      hotline: edit.hotline,
      oneStop: { name: edit.oneStop.name[locale], address: edit.oneStop.address[locale], hours: edit.oneStop.hours[locale] },
      samples: problems.length > 0 ? [] : quoting.map((t) => ({ title: t.title[locale], text: placeholderProblems(t.short[locale], city).length ? t.short[locale] : renderTopicText(t.short[locale], city, locale) })),
    });
    return { problems, vi: view('vi'), en: view('en') };
  }

  async saveCity(edit: CityEdit, actor: StaffActor): Promise<'saved' | 'unchanged'> {
    this.authorise(actor);
    const problems = cityProblems(edit, this.d.store.shipped().city);
    if (problems.length > 0) throw new ContentError(problems);
    const before = cityEditOf(this.d.store.current().city);
    if (same(before, edit)) return 'unchanged';
    await this.d.repo.save(CITY_KEY, before, edit, actor);
    await this.d.store.reload();
    await this.d.audit.record({ actor, action: 'content.update', target: { kind: 'content', id: CITY_KEY }, details: { hotlineChanged: before.hotline !== edit.hotline } });
    return 'saved';
  }

  async revertCity(actor: StaffActor): Promise<boolean> {
    this.authorise(actor);
    return this.revert(CITY_KEY, cityEditOf(this.d.store.current().city), cityEditOf(this.d.store.shipped().city), actor);
  }

  // ---- Canned replies -----------------------------------------------------------------------

  /** A category's canned replies (`*`: those offered for every category; its title is null). */
  async canned(category: string): Promise<{ title: { vi: string; en: string } | null; replies: CannedReplies; shipped: CannedReplies; edited: boolean; history: ContentHistoryEntry[] }> {
    const c = this.cannedList(category);
    return {
      title: c.title,
      replies: cannedOf(this.d.store.current().city, category),
      shipped: cannedOf(this.d.store.shipped().city, category),
      edited: this.d.store.editedKeys().has(cannedKey(category)),
      history: await this.d.repo.history(cannedKey(category), HISTORY),
    };
  }

  /**
   * Stores a category's list as the form sent it: new replies get an id, existing ones keep theirs.
   * @throws ContentError (with the problems), DomainError `content.not-found` / `content.forbidden`
   */
  async saveCanned(category: string, drafts: readonly CannedReplyDraft[], actor: StaffActor): Promise<'saved' | 'unchanged'> {
    this.authorise(actor);
    this.cannedList(category);
    const problems = cannedProblems(drafts);
    if (problems.length > 0) throw new ContentError(problems);
    const replies = withCannedIds(drafts);
    const before = cannedOf(this.d.store.current().city, category);
    if (same(before, replies)) return 'unchanged';
    await this.d.repo.save(cannedKey(category), before, replies, actor);
    await this.d.store.reload();
    await this.d.audit.record({ actor, action: 'content.update', target: { kind: 'content', id: cannedKey(category) }, details: { replies: replies.length } });
    return 'saved';
  }

  async revertCanned(category: string, actor: StaffActor): Promise<boolean> {
    this.authorise(actor);
    this.cannedList(category);
    return this.revert(cannedKey(category), cannedOf(this.d.store.current().city, category), cannedOf(this.d.store.shipped().city, category), actor);
  }

  // ---------------------------------------------------------------------------------------------

  private async revert(key: string, before: unknown, after: unknown, actor: StaffActor): Promise<boolean> {
    const removed = await this.d.repo.remove(key, before, after, actor);
    if (!removed) return false;
    await this.d.store.reload();
    await this.d.audit.record({ actor, action: 'content.revert', target: { kind: 'content', id: key } });
    return true;
  }

  private topic(slug: string): TopicEntry {
    const topic = this.d.store.current().kb.bySlug.get(slug);
    if (!topic) throw new DomainError('content.not-found', `there is no FAQ topic ${slug}`);
    return topic;
  }

  /** A report category, or `*` (every category, no title). */
  private cannedList(slug: string): { slug: string; title: { vi: string; en: string } | null } {
    if (slug === EVERY_CATEGORY) return { slug, title: null };
    const c = this.d.categories.find((x) => x.slug === slug);
    if (!c) throw new DomainError('content.not-found', `there is no report category ${slug}`);
    return c;
  }

  /** The console guards every route; the use case checks again (the API or a script may call it). */
  private authorise(actor: StaffActor): void {
    if (!can(actor.role, 'settings.manage')) throw new DomainError('content.forbidden', 'only admins edit content');
  }
}

/** Equal content whatever the order of object keys (a form and a file list details differently). */
function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
