/**
 * The root dialog: routes each turn to the menu, the report flow, report status or (free text) the
 * language-understanding layer. Channel-independent; built by {@link createRootDialog}.
 *
 * Free text is read in this order, so that a resident who types instead of tapping is understood
 * at every step:
 *   1. a number at a numbered list (Zalo) or a tapped button's payload;
 *   2. an emergency (the language model says so): 113/114/115 at once, at any step;
 *   3. a report code ("PA-7K3M9Q");
 *   4. a global command: menu, help, start over, cancel, language, a person, my reports;
 *   5. inside a report, an edit ("sửa mô tả", "đổi địa chỉ thành …", "thêm ảnh");
 *   6. an answer to the choices just offered (yes/no, number, title, paraphrase, category words);
 *   7. inside a report, the report dialog's reading of it at the current step;
 *   8. outside, "tôi muốn phản ánh …", then the FAQ / small talk / "I don't know" of the model.
 * Right after a rating (dialogs/verdict), free text that is no command is a comment on it.
 * Everything a turn sends goes out compacted (see ./say.ts): one message where one will do.
 */
import type { CityProfile } from '../src/domain/city-profile';
import { fold } from '../src/domain/shared/text';
import type { Draft } from '../src/domain/reports/draft';
import type { Report } from '../src/domain/reports/report';
import { findReportCode } from '../src/domain/reports/report-code';
import type { FileReport } from '../src/app/file-report';
import { STATUS_LABEL_KEYS, verdictQuestion } from '../src/app/notify-resident';
import type { ReportQueries } from '../src/app/report-queries';
import type { Locale } from '../src/domain/shared/ids';
import type { I18n, Translate } from '../src/i18n';
import type { NluResult } from '../src/nlu';
import { readCommand, readEdit, reportIntent, words, yesNo, type Command } from './answers';
import { PAGE_PREFIX, choiceByNumber, offer, reaskChoice, showPage, typedAnswer, visibleChoices } from './choices';
import { ReportDialog, REPORT_PAYLOADS, type ReportDialogDeps, type ReportUnderstanding } from './report/report-dialog';
import { mainMenuChoices } from './menu';
import { bufferTurn } from './say';
import type { ConversationState } from './state';
import type { Outbound, Turn } from './types';
import { VERDICT_PAYLOADS, type VerdictDialog } from './verdict/verdict-dialog';

/** What free text is about (see src/nlu); optional so the report flow works without it. */
export interface TextUnderstanding extends ReportUnderstanding {
  handle(turn: Turn, text: string, ctx: { reportDialog: ReportDialog; showMyReports: (turn: Turn) => Promise<void>; reading?: NluResult | null }): Promise<boolean>;
  /** Sends 113/114/115 at once when `reading` is an emergency; true when it was one. */
  emergency?(turn: Turn, reading: NluResult): Promise<boolean>;
}

export interface RootDialogDeps extends ReportDialogDeps {
  readonly reports: FileReport;
  readonly queries: ReportQueries;
  readonly i18n: I18n;
  readonly city: CityProfile;
  readonly understanding?: TextUnderstanding;
  /** Payload handlers contributed by other dialogs (FAQ, handover), tried before the fallback. */
  readonly extraPayloads?: (turn: Turn, payload: string) => Promise<boolean>;
  /** The resident's answers to a resolution: confirm / reject / rating and the comment after it. */
  readonly verdict?: Pick<VerdictDialog, 'handlePayload' | 'captureComment'>;
  /**
   * The conversation came back to the bot: the resident asked ("menu") or the people handling it
   * gave it back (Messenger's Page Inbox passed the thread back).
   */
  readonly onBackToBot?: (turn: Turn, by: 'resident' | 'page-inbox') => Promise<void>;
}

/** Longest public reply quoted in the "my reports" list (the code shows all of it). */
const REPLY_EXCERPT = 140;
/** Result photos sent with "my reports" at most. */
const MY_REPORTS_PHOTOS = 5;

export type RootDialog = (turn: Turn) => Promise<void>;

/** Greetings ("xin chào", "hi") from a resident the bot has not welcomed yet get the welcome alone. */
const GREETING = /^(xin chao|chao|hello|hi|hey|alo|a lo|good (morning|afternoon|evening)|chao ban|chao ad|hi there)\b/;

/** Four words or more, no Vietnamese letters: a sentence written in English, not "ok" or "menu". */
function clearlyEnglish(text: string): boolean {
  const w = words(text);
  return !w.accented && w.words.length >= 4;
}

/** Inputs a resident sends on purpose: the first of them gets the welcome (a follow gets it anyway). */
const FIRST_CONTACT_INPUTS: ReadonlySet<string> = new Set(['text', 'images', 'location', 'sticker', 'file', 'link', 'other']);

export function createRootDialog(deps: RootDialogDeps): RootDialog {
  const report = new ReportDialog(deps);
  /** Turns answered with the emergency numbers: nothing goes in front of those. */
  const emergencies = new WeakSet<Turn>();
  const tr = (locale: Locale): Translate => deps.i18n.forLocale(locale);

  const sendMenu = async (turn: Turn, before: Outbound[] = [], draftOpen = false): Promise<void> => {
    const t = tr(turn.locale);
    await offer(turn, t, t(draftOpen ? 'common:menu.promptDraft' : 'common:menu.prompt'), mainMenuChoices(t, { draftOpen }), { before });
  };

  const dateLabel = (d: Date, locale: Locale) =>
    d.toLocaleDateString(locale === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: deps.city.timezone, day: '2-digit', month: '2-digit', year: 'numeric' });

  const statusLine = (t: Translate, r: Report, locale: Locale) =>
    t('report:code.status', {
      code: r.code,
      category: report.categoryTitle(r.category, locale),
      status: t(STATUS_LABEL_KEYS[r.status]),
      date: dateLabel(r.updatedAt, locale),
    });

  /** What the city answered: the reply of a resolution, the reason of a refusal, the other code of a duplicate. */
  const answerLines = (t: Translate, r: Report, locale: Locale): string[] => {
    const lines: string[] = [];
    if (r.status === 'duplicate' && r.duplicateOf) lines.push(t('resident:view.duplicateOf', { other: r.duplicateOf }));
    if (r.publicReply && (r.status === 'resolved' || r.status === 'closed')) lines.push(t('resident:view.reply', { city: deps.city.name[locale], reply: r.publicReply }));
    else if (r.publicReply && r.status === 'rejected') lines.push(t('resident:view.reason', { reason: r.publicReply }));
    return lines;
  };

  /** A resolution of the resident's own awaiting their word: "is it really fixed?" (one per turn). */
  const askVerdict = async (turn: Turn, r: Report, before: Outbound[] = []): Promise<void> => {
    const t = tr(turn.locale);
    const q = verdictQuestion(t, r.code);
    await offer(turn, t, q.message.text, q.message.choices ?? [], { yes: q.yes, no: q.no, hint: q.hint, before });
  };

  const showMyReports = async (turn: Turn, draftOpen = false): Promise<void> => {
    const t = tr(turn.locale);
    const list = await deps.queries.myReports(turn.resident.id, 5);
    if (list.length === 0) return turn.send([{ text: t('report:my.none') }]);
    const lines = list.flatMap((r) => {
      const item = t('report:my.item', { code: r.code, category: report.categoryLabel(r.category, turn.locale), status: t(STATUS_LABEL_KEYS[r.status]), date: dateLabel(r.createdAt, turn.locale) });
      const answer = answerLines(t, r, turn.locale).join(' ');
      const excerpt = [...answer].length > REPLY_EXCERPT ? `${[...answer].slice(0, REPLY_EXCERPT - 1).join('')}…` : answer;
      return excerpt ? [item, t('resident:view.replyShort', { reply: excerpt })] : [item];
    });
    const messages: Outbound[] = [{ text: [t('report:my.header'), ...lines, t('resident:view.more')].join('\n') }];
    // The result photos of the resolutions in the list, each under its report's code.
    let photos = 0;
    for (const r of list) {
      const urls = deps.queries.resultPhotoUrls(r).slice(0, MY_REPORTS_PHOTOS - photos);
      if (urls.length === 0) continue;
      photos += urls.length;
      messages.push({ text: t('resident:view.resultPhotos', { code: r.code }), images: urls });
    }
    const awaiting = !draftOpen && deps.verdict ? list.find((r) => r.status === 'resolved') : undefined;
    if (awaiting) return askVerdict(turn, awaiting, messages);
    await turn.send(messages);
  };

  const showCode = async (turn: Turn, code: string, draftOpen = false): Promise<void> => {
    const t = tr(turn.locale);
    const r = await deps.queries.findByCode(code);
    if (!r) return turn.send([{ text: t('report:code.notFound', { code }) }]);
    const images = deps.queries.resultPhotoUrls(r);
    const status: Outbound = { text: [statusLine(t, r, turn.locale), ...answerLines(t, r, turn.locale)].join('\n'), ...(images.length ? { images } : {}) };
    // Only the resident who filed it is asked whether it is fixed.
    if (!draftOpen && deps.verdict && r.status === 'resolved' && r.residentId === turn.resident.id) return askVerdict(turn, r, [status]);
    await turn.send([status]);
  };

  /** After a side question (my reports, a code) inside a report, the pending question again. */
  const resumeIfOpen = async (turn: Turn, draft: Draft | null): Promise<void> => {
    if (draft) await report.askNext(turn, []);
  };

  const switchLanguage = async (turn: Turn, to: Locale | 'toggle', draft: Draft | null): Promise<void> => {
    const locale: Locale = to === 'toggle' ? (turn.locale === 'vi' ? 'en' : 'vi') : to;
    await turn.setLocale(locale);
    turn.setState({ languageChosen: true });
    const note: Outbound = { text: tr(locale)('common:language.switched') };
    if (draft) return report.askNext(turn, [note]);
    return sendMenu(turn, [note]);
  };

  const welcome = async (turn: Turn, draftOpen = false): Promise<void> => {
    const t = tr(turn.locale);
    turn.setState({ welcomed: true });
    const text = `${t('common:welcome', { city: deps.city.name[turn.locale] })}\n${t(draftOpen ? 'common:menu.promptDraft' : 'common:menu.prompt')}`;
    await offer(turn, t, text, mainMenuChoices(t, { draftOpen }));
  };

  const human = async (turn: Turn): Promise<void> => {
    if (deps.extraPayloads && (await deps.extraPayloads(turn, 'HUMAN'))) return;
    const t = tr(turn.locale);
    turn.setState({ menu: null });
    await turn.send([{ text: t('common:human.hotline', { hotline: deps.city.hotline }), calls: [{ title: `📞 ${deps.city.hotline}`, phone: deps.city.hotline }] }]);
  };

  const runCommand = async (turn: Turn, cmd: Command, draft: Draft | null): Promise<void> => {
    const t = tr(turn.locale);
    switch (cmd.kind) {
      case 'menu':
        return sendMenu(turn, [], draft !== null);
      case 'help':
        return sendMenu(turn, [{ text: t('common:help') }], draft !== null);
      case 'restart':
        return draft ? report.restart(turn) : welcome(turn);
      case 'resume':
        return draft ? report.start(turn) : sendMenu(turn);
      case 'cancel':
        // "thôi" to a question outside a report (share a phone number?) is its "no".
        if (!draft && turn.state.menu?.no) return handlePayload(turn, turn.state.menu.no, draft);
        return report.cancel(turn);
      case 'language':
        return switchLanguage(turn, cmd.to, draft);
      case 'human':
        return human(turn);
      case 'myReports':
        await showMyReports(turn, draft !== null);
        return resumeIfOpen(turn, draft);
      case 'ask':
        turn.setState({ menu: null });
        return turn.send([{ text: t(draft ? 'common:ask.promptDraft' : 'common:ask.prompt') }]);
    }
  };

  const handlePayload = async (turn: Turn, payload: string, draft: Draft | null): Promise<void> => {
    const t = tr(turn.locale);
    if (payload === 'GET_STARTED') return welcome(turn, draft !== null);
    if (payload === 'MENU') return sendMenu(turn, [], draft !== null);
    if (payload.startsWith(PAGE_PREFIX)) {
      const page = Number(payload.slice(PAGE_PREFIX.length));
      if (Number.isInteger(page) && page >= 0 && (await showPage(turn, t, page))) return;
      return sendMenu(turn, [], draft !== null);
    }
    if (payload === 'LANGUAGE') return switchLanguage(turn, 'toggle', draft);
    if (payload === 'LANG:vi' || payload === 'LANG:en') return switchLanguage(turn, payload.slice(5) as Locale, draft);
    if (payload === 'MY_REPORTS') {
      await showMyReports(turn, draft !== null);
      return resumeIfOpen(turn, draft);
    }
    if (VERDICT_PAYLOADS.test(payload) && deps.verdict && (await deps.verdict.handlePayload(turn, payload))) return;
    if (payload === 'ASK_QUESTION') return runCommand(turn, { kind: 'ask' }, draft);
    if (payload === 'PUBLISH_OK' || payload === 'PUBLISH_NO') return report.answerPublish(turn, payload === 'PUBLISH_OK');
    if (payload === 'PHONE_CONSENT') return report.requestPhone(turn);
    if (payload === 'PHONE_DECLINE') {
      turn.setState({ menu: null });
      return turn.send([{ text: t('report:phone.declined') }]);
    }
    if (REPORT_PAYLOADS.test(payload)) return report.handlePayload(turn, payload);
    if (payload === 'HUMAN') return human(turn);
    if (deps.extraPayloads && (await deps.extraPayloads(turn, payload))) return;
    return sendMenu(turn, [], draft !== null);
  };

  const onText = async (turn: Turn, draft: Draft | null, input: { text: string; payload: string | null }, awaitingComment: ConversationState['awaitingComment'] = null): Promise<void> => {
    let t = tr(turn.locale);
    let payload = input.payload;
    if (!payload) {
      const picked = choiceByNumber(turn, t, input.text);
      if (picked === 'invalid') return turn.send([{ text: t('common:invalidChoice', { n: input.text.trim() }), choices: visibleChoices(turn, t) }]);
      if (picked) payload = picked.payload;
    }
    if (payload) return handlePayload(turn, payload, draft);

    const text = input.text.trim();
    if (text === '') return;
    // A message that is exactly a command word ("help", "menu", "stop", "English") is that command,
    // even where the model hears a cry for help in it; anything longer goes to the model first.
    const exactCommand = readCommand(text);
    if (exactCommand && exactCommand.kind !== 'human') return runCommand(turn, exactCommand, draft);
    const reading = deps.understanding?.read?.(text) ?? null;
    if (reading?.intent === 'emergency' && deps.understanding?.emergency && (await deps.understanding.emergency(turn, reading))) {
      emergencies.add(turn);
      // The emergency numbers come first, always; a place typed at the location question still counts.
      if (draft) await report.alsoAsAddress(turn, draft, text);
      return;
    }

    // The free text that follows a rating is a comment on it (a command still is that command).
    if (!draft && deps.verdict && awaitingComment && (await deps.verdict.captureComment(turn, text, awaitingComment))) return;

    const code = findReportCode(text);
    if (code && text.length <= code.length + 30) {
      await showCode(turn, code, draft !== null);
      return resumeIfOpen(turn, draft);
    }
    if (exactCommand) return runCommand(turn, exactCommand, draft);
    // A resident who has not chosen a language and writes a clear English sentence gets English.
    if (reading && !turn.state.languageChosen && turn.locale === 'vi' && reading.lang === 'en' && clearlyEnglish(text)) {
      await turn.setLocale('en');
      turn.setState({ languageChosen: true });
      t = tr('en');
      await turn.send([{ text: t('common:language.auto') }]);
    }
    if (draft) {
      const edit = readEdit(text);
      if (edit) return report.edit(turn, draft, edit);
    }
    const answer = typedAnswer(turn, t, text, report.categoryNames());
    if (answer) return handlePayload(turn, answer.payload, draft);
    if (draft) return report.handleText(turn, draft, text, reading);

    const intent = reportIntent(text);
    if (intent) return intent.rest ? report.startWithDescription(turn, intent.rest) : report.start(turn);
    const bare = yesNo(text) !== null;
    // A first greeting (or a bare "ok") gets the welcome and the menu alone; anything else gets its
    // answer, with the welcome put in front of it (see `root`).
    if (!turn.state.welcomed && (!reading || bare || (reading.intent === 'smalltalk' && GREETING.test(fold(text))))) return welcome(turn);
    // "ok", "không" with no question pending (after a report was sent, say): what else?
    if (bare) return offer(turn, t, t('common:menu.promptAfter'), mainMenuChoices(t));
    if (deps.understanding && (await deps.understanding.handle(turn, text, { reportDialog: report, showMyReports, reading }))) return;
    if (turn.state.menu) {
      await reaskChoice(turn, t, deps.city.hotline);
      return;
    }
    return sendMenu(turn, [{ text: t('common:fallback', { hotline: deps.city.hotline }) }]);
  };

  const route = async (turn: Turn): Promise<void> => {
    const input = turn.input;
    if (input.kind === 'receipt' || input.kind === 'unfollow') return;
    const t = tr(turn.locale);
    if (input.kind !== 'images' && turn.state.photoPrompt !== null) turn.setState({ photoPrompt: null });
    // A comment on a rating is only the very next message: whatever this turn is, the wait ends.
    const awaitingComment = turn.state.awaitingComment;
    if (awaitingComment) turn.setState({ awaitingComment: null });
    if (input.kind === 'follow') return welcome(turn);
    if (input.kind === 'contact') return report.saveContact(turn, input.phone, input.name);

    if (input.kind === 'handback') {
      // The people handling the conversation gave it back: the bot answers the next message.
      if (turn.state.handedOver) {
        turn.setState({ handedOver: false, menu: null });
        await deps.onBackToBot?.(turn, 'page-inbox');
      }
      return;
    }
    if (turn.state.handedOver) {
      // A person is handling this conversation; the bot stays quiet until the resident asks for it.
      const cmd = input.kind === 'text' && !input.payload ? readCommand(input.text) : null;
      const back = input.kind === 'text' && (input.payload === 'MENU' || input.payload === 'GET_STARTED' || cmd?.kind === 'menu' || cmd?.kind === 'help' || cmd?.kind === 'restart' || /^(bot|tro ly|trợ lý)$/i.test(input.text.trim()));
      if (!back) return;
      turn.setState({ handedOver: false });
      await deps.onBackToBot?.(turn, 'resident');
      const open = (await deps.reports.currentDraft(turn.resident.id)).draft !== null;
      return sendMenu(turn, [{ text: t('faq:backToBot') }], open);
    }

    const current = await deps.reports.currentDraft(turn.resident.id);
    if (current.expired) await turn.send([{ text: t('report:expired', { hours: deps.draftIdleHours }) }]);
    const draft = current.draft;

    if (input.kind === 'text') return onText(turn, draft, input, awaitingComment);
    if (draft) return report.handle(turn, draft);
    if (input.kind === 'images' || input.kind === 'location') {
      // A photo or a location out of the blue starts a report with it.
      await deps.reports.start(turn.resident.id);
      const started = (await deps.reports.currentDraft(turn.resident.id)).draft!;
      await turn.send([{ text: t('report:start') }]);
      return report.handle(turn, started);
    }
    if (input.kind === 'sticker') return sendMenu(turn, [{ text: t('common:sticker') }]);
    return sendMenu(turn, [{ text: t('common:unsupportedMessage') }]);
  };

  return async function root(outer: Turn): Promise<void> {
    const { turn, flush, prepend, pending } = bufferTurn(outer);
    const firstContact = !outer.state.welcomed && FIRST_CONTACT_INPUTS.has(outer.input.kind);
    try {
      await route(turn);
      // The assistant introduces itself once, in front of its first answer (never before an emergency answer).
      if (firstContact && !turn.state.welcomed && pending() > 0 && !emergencies.has(turn)) {
        turn.setState({ welcomed: true });
        prepend([{ text: tr(turn.locale)('common:welcome', { city: deps.city.name[turn.locale] }) }]);
      }
    } finally {
      await flush();
    }
  };
}
