/**
 * Content without a developer (`settings.manage`: admins). Each form has two buttons: "Preview"
 * shows what residents would read in both languages (and what is wrong) without saving; "Save"
 * stores the edit over the shipped content, with its history, and the bot uses it from the next
 * message. "Back to the shipped text" removes an edit. Works without JavaScript.
 *
 * ```
 * GET  /console/content                        FAQ topics, canned replies, city facts
 * GET  /console/content/faq/:slug              edit form, preview, history
 * POST /console/content/faq/:slug              action=preview | save
 * POST /console/content/faq/:slug/revert
 * GET  /console/content/city  POST /console/content/city  POST /console/content/city/revert
 * GET  /console/content/canned/:category  POST …  POST …/revert     (`*`: every category's list)
 * ```
 *
 * Canned replies are edited in the report desk's shape (src/domain/reports/canned-replies.ts): per
 * reply the transition it is for, a title and a text in both languages; ids stay hidden (kept for
 * existing replies, made from the title for new ones).
 */
import type { Request, Response, Router } from 'express';
import type { EditContent } from '../../app/edit-content';
import { changedFields, ContentError, exampleLines, cleanText, type CannedReplyDraft, type CityEdit, type ContentHistoryEntry, type ContentProblem, type FaqEdit } from '../../domain/content/content';
import { CANNED_FOR, EVERY_CATEGORY, isCannedFor, type CannedFor } from '../../domain/reports/canned-replies';
import { DETAIL_KEYS, type DetailKey } from '../../domain/faq/knowledge-base.schema';
import { DomainError } from '../../domain/shared/errors';
import type { Translate } from '../../i18n';
import { requireActor } from '../auth/context';
import { requireCapability } from '../auth/guards';
import type { ConsoleViews } from '../render';
import { field, formOf, type FormBody } from './forms';

export interface ContentPagesDeps {
  readonly views: ConsoleViews;
  readonly content: EditContent;
  /** A staff member's display name for the history (null: unknown or an API key). */
  readonly staffName: (id: string) => Promise<string | null>;
}

const DETAIL_LABEL_KEYS: Readonly<Record<DetailKey, string>> = {
  documents: 'faq:detail.documents',
  fee: 'faq:detail.fee',
  time: 'faq:detail.time',
  where: 'faq:detail.where',
  online: 'faq:detail.online',
  legal: 'faq:detail.legal',
};
const PROBLEM_KEYS: Readonly<Record<ContentProblem['code'], string>> = {
  required: 'content:problems.required',
  'too-short': 'content:problems.too-short',
  'too-long': 'content:problems.too-long',
  'too-few': 'content:problems.too-few',
  'too-many': 'content:problems.too-many',
  placeholder: 'content:problems.placeholder',
  invalid: 'content:problems.invalid',
};
const LANGUAGE_KEYS = { vi: 'content:vi', en: 'content:en' } as const;
const CANNED_FOR_KEYS: Readonly<Record<CannedFor, string>> = { resolved: 'content:cannedForResolved', rejected: 'content:cannedForRejected' };
const CANNED_PART_KEYS: Readonly<Record<string, string>> = { for: 'content:cannedFor', title: 'content:cannedReplyTitle', text: 'content:cannedReplyText', id: 'content:cannedId' };
/** The two languages' names for the forms (`it.langLabels[l]`). */
const langLabels = (t: Translate) => ({ vi: t(LANGUAGE_KEYS.vi), en: t(LANGUAGE_KEYS.en) });
const NEW_REPLY_ROWS = 1;

/** A readable name of an edited field (`details.fee.en` → "Lệ phí (Tiếng Anh)"). */
export function fieldLabel(t: Translate, path: string): string {
  const parts = path.split('.');
  const last = parts[parts.length - 1];
  const lang = last === 'vi' || last === 'en' ? ` (${t(LANGUAGE_KEYS[last])})` : '';
  const [head, second] = parts;
  switch (head) {
    case 'short':
      return t('content:short') + lang;
    case 'details':
      return (second && second in DETAIL_LABEL_KEYS ? t(DETAIL_LABEL_KEYS[second as DetailKey]) : t('content:details')) + lang;
    case 'examples':
      return t('content:examples') + lang;
    case 'hotline':
      return t('content:hotline');
    case 'oneStop':
      return (second === 'name' ? t('content:oneStopName') : second === 'address' ? t('content:oneStopAddress') : t('content:oneStopHours')) + lang;
    case 'facts':
      return `${t('content:facts')}: ${second ?? ''}${lang}`;
    case 'replies':
    case undefined:
      return second !== undefined && /^\d+$/.test(second) ? replyLabel(t, second, parts[2], lang) : t('content:cannedTitle');
    default:
      // The history of a canned list names `0.title.vi` (the list is the stored value).
      return /^\d+$/.test(head) ? replyLabel(t, head, second, lang) : path;
  }
}

/** "Câu mẫu 2 – Nội dung (Tiếng Anh)". */
function replyLabel(t: Translate, index: string, part: string | undefined, lang: string): string {
  const key = part !== undefined && Object.hasOwn(CANNED_PART_KEYS, part) ? CANNED_PART_KEYS[part] : undefined;
  return t('content:reply', { n: Number(index) + 1 }) + (key ? ` – ${t(key)}` : '') + lang;
}

/** A value as the history shows it: a canned reply's transition in words, anything else as stored. */
function shownValue(t: Translate, path: string, value: string): string {
  return /(^|\.)\d+\.for$/.test(path) && isCannedFor(value) ? t(CANNED_FOR_KEYS[value]) : value;
}

const bilingual = (body: FormBody, name: string) => ({ vi: cleanText(field(body, `${name}_vi`)), en: cleanText(field(body, `${name}_en`)) });

function faqEditFrom(body: FormBody): FaqEdit {
  const details: Partial<Record<DetailKey, { vi: string; en: string }>> = {};
  for (const k of DETAIL_KEYS) {
    const d = bilingual(body, `details_${k}`);
    if (d.vi !== '' || d.en !== '') details[k] = d;
  }
  return { short: bilingual(body, 'short'), details, examples: { vi: exampleLines(field(body, 'examples_vi')), en: exampleLines(field(body, 'examples_en')) } };
}

function cityEditFrom(body: FormBody, factKeys: readonly string[]): CityEdit {
  return {
    hotline: cleanText(field(body, 'hotline')),
    oneStop: { name: bilingual(body, 'oneStop_name'), address: bilingual(body, 'oneStop_address'), hours: bilingual(body, 'oneStop_hours') },
    facts: Object.fromEntries(factKeys.map((k) => [k, bilingual(body, `facts_${k}`)])),
  };
}

/** The rows of the canned form (`reply_<i>_id`, `_for`, `_title_vi` … `_text_en`); a row left empty is dropped. */
function cannedFrom(body: FormBody): CannedReplyDraft[] {
  const out: CannedReplyDraft[] = [];
  for (let i = 0; i < 50; i++) {
    if (['title_vi', 'title_en', 'text_vi', 'text_en'].every((f) => body[`reply_${i}_${f}`] === undefined)) continue;
    const title = bilingual(body, `reply_${i}_title`);
    const text = bilingual(body, `reply_${i}_text`);
    if (title.vi === '' && title.en === '' && text.vi === '' && text.en === '') continue;
    out.push({ id: cleanText(field(body, `reply_${i}_id`)), for: field(body, `reply_${i}_for`), title, text });
  }
  return out;
}

export function contentPages(r: Router, d: ContentPagesDeps): void {
  const guard = requireCapability('settings.manage');

  const problemsView = (t: Translate, problems: readonly ContentProblem[]) =>
    problems.map((p) => ({ id: `field-${p.field.replace(/\./g, '-')}`, text: t(PROBLEM_KEYS[p.code], { field: fieldLabel(t, p.field), limit: p.limit, detail: p.detail }) }));

  const historyView = async (req: Request, entries: readonly ContentHistoryEntry[]) => {
    const { t, formatTime } = d.views.common(req);
    const names = new Map<string, string | null>();
    for (const e of entries) if (e.actor.kind === 'staff' && e.actor.id && !names.has(e.actor.id)) names.set(e.actor.id, await d.staffName(e.actor.id));
    return entries.map((e) => ({
      when: formatTime(e.at),
      who: (e.actor.id && names.get(e.actor.id)) || t('content:staffN', { id: e.actor.id ?? '?' }),
      reverted: e.reverted,
      changes: changedFields(e.before, e.after).map((c) => ({ field: fieldLabel(t, c.field), before: shownValue(t, c.field, c.before), after: shownValue(t, c.field, c.after) })),
    }));
  };

  const notice = (req: Request): string | null => {
    const t = d.views.t(req);
    if (req.query.saved === '1') return t('content:saved');
    if (req.query.unchanged === '1') return t('content:unchanged');
    if (req.query.reverted === '1') return t('content:reverted');
    return null;
  };

  /** Refusals: unknown item → 404 page; not an admin (the use case's own check) → 403 page. */
  const guarded = (run: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await run(req, res);
    } catch (err) {
      if (!(err instanceof DomainError) || (err.code !== 'content.not-found' && err.code !== 'content.forbidden')) throw err;
      const t = d.views.t(req);
      const notFound = err.code === 'content.not-found';
      d.views.page(req, res, 'error', { message: t(notFound ? 'content:errors.notFound' : 'content:errors.forbidden'), back: '/console/content' }, {
        title: t(notFound ? 'console:errors.notFoundTitle' : 'console:errors.forbiddenTitle'),
        status: notFound ? 404 : 403,
      });
    }
  };

  r.get('/content', guard, (req, res) => {
    const { t, locale } = d.views.common(req);
    const categories = d.content.categories().map((c) => ({ ...c, name: c.title ? c.title[locale] : t('content:cannedEvery') }));
    d.views.page(req, res, 'content/index', { topics: d.content.topics(), categories, categoryCount: categories.filter((c) => c.slug !== EVERY_CATEGORY).length }, { title: t('content:title') });
  });

  // ---- FAQ ----------------------------------------------------------------------------------

  const faqPage = async (req: Request, res: Response, slug: string, o: { edit?: FaqEdit; preview?: boolean; problems?: readonly ContentProblem[]; status?: number } = {}) => {
    const { t, locale } = d.views.common(req);
    const item = await d.content.faq(slug);
    const edit = o.edit ?? item.edit;
    const preview = o.preview ? d.content.previewFaq(slug, edit) : null;
    const problems = o.problems ?? preview?.problems ?? [];
    const detailRows = DETAIL_KEYS.map((k) => ({ key: k, label: t(DETAIL_LABEL_KEYS[k]), vi: edit.details[k]?.vi ?? '', en: edit.details[k]?.en ?? '' }));
    d.views.page(
      req,
      res,
      'content/faq',
      {
        slug,
        edit,
        detailRows,
        examples: { vi: edit.examples.vi.join('\n'), en: edit.examples.en.join('\n') },
        edited: item.edited,
        preview: preview && { vi: preview.vi, en: preview.en, detailLabel: (k: DetailKey) => t(DETAIL_LABEL_KEYS[k]) },
        problems: problemsView(t, problems),
        invalid: new Set(problems.map((p) => p.field)),
        history: await historyView(req, item.history),
        notice: notice(req),
        placeholderExample: '{{city.hotline}}',
        langLabels: langLabels(t),
      },
      { title: item.topic.title[locale], status: o.status ?? (problems.length > 0 ? 422 : 200) },
    );
  };

  r.get('/content/faq/:slug', guard, guarded(async (req, res) => faqPage(req, res, String(req.params.slug))));

  r.post('/content/faq/:slug', guard, guarded(async (req, res) => {
    const slug = String(req.params.slug);
    const body = formOf(req);
    const edit = faqEditFrom(body);
    if (field(body, 'action') !== 'save') return faqPage(req, res, slug, { edit, preview: true });
    try {
      const out = await d.content.saveFaq(slug, edit, requireActor(req));
      return res.redirect(303, `/console/content/faq/${encodeURIComponent(slug)}?${out}=1`);
    } catch (err) {
      if (!(err instanceof ContentError)) throw err;
      return faqPage(req, res, slug, { edit, preview: true, problems: err.problems });
    }
  }));

  r.post('/content/faq/:slug/revert', guard, guarded(async (req, res) => {
    const slug = String(req.params.slug);
    await d.content.revertFaq(slug, requireActor(req));
    res.redirect(303, `/console/content/faq/${encodeURIComponent(slug)}?reverted=1`);
  }));

  // ---- City facts ---------------------------------------------------------------------------

  const cityPage = async (req: Request, res: Response, o: { edit?: CityEdit; preview?: boolean; problems?: readonly ContentProblem[] } = {}) => {
    const { t } = d.views.common(req);
    const item = await d.content.city();
    const edit = o.edit ?? item.edit;
    const preview = o.preview ? d.content.previewCity(edit) : null;
    const problems = o.problems ?? preview?.problems ?? [];
    d.views.page(
      req,
      res,
      'content/city',
      {
        edit,
        facts: Object.keys(item.shipped.facts).map((k) => ({ key: k, vi: edit.facts[k]?.vi ?? '', en: edit.facts[k]?.en ?? '' })),
        edited: item.edited,
        preview,
        problems: problemsView(t, problems),
        invalid: new Set(problems.map((p) => p.field)),
        history: await historyView(req, item.history),
        notice: notice(req),
        langLabels: langLabels(t),
      },
      { title: t('content:cityTitle'), status: problems.length > 0 ? 422 : 200 },
    );
  };

  r.get('/content/city', guard, guarded(async (req, res) => cityPage(req, res)));

  r.post('/content/city', guard, guarded(async (req, res) => {
    const body = formOf(req);
    const edit = cityEditFrom(body, Object.keys((await d.content.city()).shipped.facts));
    if (field(body, 'action') !== 'save') return cityPage(req, res, { edit, preview: true });
    try {
      const out = await d.content.saveCity(edit, requireActor(req));
      return res.redirect(303, `/console/content/city?${out}=1`);
    } catch (err) {
      if (!(err instanceof ContentError)) throw err;
      return cityPage(req, res, { edit, preview: true, problems: err.problems });
    }
  }));

  r.post('/content/city/revert', guard, guarded(async (req, res) => {
    await d.content.revertCity(requireActor(req));
    res.redirect(303, '/console/content/city?reverted=1');
  }));

  // ---- Canned replies -----------------------------------------------------------------------

  const cannedPage = async (req: Request, res: Response, category: string, o: { replies?: readonly CannedReplyDraft[]; problems?: readonly ContentProblem[] } = {}) => {
    const { t, locale } = d.views.common(req);
    const item = await d.content.canned(category);
    const replies: readonly CannedReplyDraft[] = o.replies ?? item.replies;
    const empty: CannedReplyDraft = { id: '', for: 'resolved', title: { vi: '', en: '' }, text: { vi: '', en: '' } };
    const rows = [...replies, ...Array.from({ length: NEW_REPLY_ROWS }, () => empty)].map((r, i) => ({ ...r, i, isNew: i >= replies.length }));
    const problems = o.problems ?? [];
    d.views.page(
      req,
      res,
      'content/canned',
      {
        category,
        every: category === EVERY_CATEGORY,
        rows,
        forOptions: CANNED_FOR.map((value) => ({ value, label: t(CANNED_FOR_KEYS[value]) })),
        edited: item.edited,
        problems: problemsView(t, problems),
        invalid: new Set(problems.map((p) => p.field)),
        history: await historyView(req, item.history),
        notice: notice(req),
        langLabels: langLabels(t),
      },
      { title: `${t('content:cannedTitle')}: ${item.title ? item.title[locale] : t('content:cannedEvery')}`, status: problems.length > 0 ? 422 : 200 },
    );
  };

  r.get('/content/canned/:category', guard, guarded(async (req, res) => cannedPage(req, res, String(req.params.category))));

  r.post('/content/canned/:category', guard, guarded(async (req, res) => {
    const category = String(req.params.category);
    const replies = cannedFrom(formOf(req));
    try {
      const out = await d.content.saveCanned(category, replies, requireActor(req));
      return res.redirect(303, `/console/content/canned/${encodeURIComponent(category)}?${out}=1`);
    } catch (err) {
      if (!(err instanceof ContentError)) throw err;
      return cannedPage(req, res, category, { replies, problems: err.problems });
    }
  }));

  r.post('/content/canned/:category/revert', guard, guarded(async (req, res) => {
    const category = String(req.params.category);
    await d.content.revertCanned(category, requireActor(req));
    res.redirect(303, `/console/content/canned/${encodeURIComponent(category)}?reverted=1`);
  }));
}
