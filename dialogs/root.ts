/**
 * The root dialog: routes each turn to the menu, the report flow, report status or (free text) the
 * language-understanding layer. Channel-independent; built by {@link createRootDialog}.
 */
import type { CityProfile } from '../src/domain/city-profile';
import type { Report } from '../src/domain/reports/report';
import { findReportCode } from '../src/domain/reports/report-code';
import type { FileReport } from '../src/app/file-report';
import { STATUS_LABEL_KEYS } from '../src/app/notify-resident';
import type { ReportQueries } from '../src/app/report-queries';
import type { Locale } from '../src/domain/shared/ids';
import type { I18n, Translate } from '../src/i18n';
import { PAGE_PREFIX, choiceByNumber, offer, showPage } from './choices';
import { ReportDialog, REPORT_PAYLOADS, type ReportDialogDeps } from './report/report-dialog';
import { mainMenuChoices } from './menu';
import { isCancel, isMyReports, isReportStart, languageCommand } from './text';
import type { Outbound, Turn } from './types';

/** What free text is about (see src/domain/nlu); optional so the report flow works without it. */
export interface TextUnderstanding {
  handle(turn: Turn, text: string, ctx: { reportDialog: ReportDialog; showMyReports: (turn: Turn) => Promise<void> }): Promise<boolean>;
}

export interface RootDialogDeps extends ReportDialogDeps {
  readonly reports: FileReport;
  readonly queries: ReportQueries;
  readonly i18n: I18n;
  readonly city: CityProfile;
  readonly understanding?: TextUnderstanding;
  /** Payload handlers contributed by other dialogs (FAQ, handover), tried before the fallback. */
  readonly extraPayloads?: (turn: Turn, payload: string) => Promise<boolean>;
}

export type RootDialog = (turn: Turn) => Promise<void>;

export function createRootDialog(deps: RootDialogDeps): RootDialog {
  const report = new ReportDialog(deps);

  const sendMenu = (turn: Turn, t: Translate, before: Outbound[] = []) => offer(turn, t, t('common:menu.prompt'), mainMenuChoices(t), {}, before);

  const dateLabel = (d: Date, locale: Locale) =>
    d.toLocaleDateString(locale === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: deps.city.timezone, day: '2-digit', month: '2-digit', year: 'numeric' });

  const statusLine = (t: Translate, r: Report, locale: Locale) =>
    t('report:code.status', {
      code: r.code,
      category: report.categoryTitle(r.category, locale),
      status: t(STATUS_LABEL_KEYS[r.status]),
      date: dateLabel(r.updatedAt, locale),
    });

  const showMyReports = async (turn: Turn): Promise<void> => {
    const t = deps.i18n.forLocale(turn.locale);
    const list = await deps.queries.myReports(turn.resident.id, 5);
    if (list.length === 0) return turn.send([{ text: t('report:my.none') }]);
    const lines = list.map((r) =>
      t('report:my.item', { code: r.code, category: report.categoryLabel(r.category, turn.locale), status: t(STATUS_LABEL_KEYS[r.status]), date: dateLabel(r.createdAt, turn.locale) }),
    );
    await turn.send([{ text: [t('report:my.header'), ...lines].join('\n') }]);
  };

  const showCode = async (turn: Turn, code: string): Promise<void> => {
    const t = deps.i18n.forLocale(turn.locale);
    const r = await deps.queries.findByCode(code);
    await turn.send([{ text: r ? statusLine(t, r, turn.locale) : t('report:code.notFound', { code }) }]);
  };

  const switchLanguage = async (turn: Turn, locale: Locale): Promise<void> => {
    await turn.setLocale(locale);
    const t = deps.i18n.forLocale(locale);
    await sendMenu(turn, t, [{ text: t('common:language.switched') }]);
  };

  const welcome = async (turn: Turn): Promise<void> => {
    const t = deps.i18n.forLocale(turn.locale);
    turn.setState({ welcomed: true });
    await sendMenu(turn, t, [{ text: t('common:welcome', { city: deps.city.name[turn.locale] }) }]);
  };

  const handlePayload = async (turn: Turn, payload: string): Promise<void> => {
    const t = deps.i18n.forLocale(turn.locale);
    if (payload === 'GET_STARTED' || payload === 'MENU') return welcome(turn);
    if (payload.startsWith(PAGE_PREFIX)) {
      const page = Number(payload.slice(PAGE_PREFIX.length));
      if (Number.isInteger(page) && page >= 0 && (await showPage(turn, t, page))) return;
      return sendMenu(turn, t);
    }
    if (payload === 'LANGUAGE') return switchLanguage(turn, turn.locale === 'vi' ? 'en' : 'vi');
    if (payload === 'LANG:vi' || payload === 'LANG:en') return switchLanguage(turn, payload.slice(5) as Locale);
    if (payload === 'MY_REPORTS') return showMyReports(turn);
    if (payload === 'ASK_QUESTION') {
      turn.setState({ menu: null });
      return turn.send([{ text: t('common:ask.prompt') }]);
    }
    if (payload === 'PHONE_CONSENT') return report.requestPhone(turn);
    if (payload === 'PHONE_DECLINE') {
      turn.setState({ menu: null });
      return turn.send([{ text: t('report:phone.declined') }]);
    }
    if (REPORT_PAYLOADS.test(payload)) return report.handlePayload(turn, payload);
    if (deps.extraPayloads && (await deps.extraPayloads(turn, payload))) return;
    return sendMenu(turn, t);
  };

  return async function root(turn: Turn): Promise<void> {
    const input = turn.input;
    if (input.kind === 'receipt' || input.kind === 'unfollow') return;
    const t = deps.i18n.forLocale(turn.locale);
    if (input.kind === 'follow') return welcome(turn);
    if (input.kind === 'contact') return report.saveContact(turn, input.phone, input.name);

    if (turn.state.handedOver) {
      // A person is handling this conversation; the bot stays quiet until the resident asks for it.
      const back = input.kind === 'text' && (input.payload === 'MENU' || input.payload === 'GET_STARTED' || /^(menu|bot|tro ly|trợ lý)$/i.test(input.text.trim()));
      if (!back) return;
      turn.setState({ handedOver: false });
      return sendMenu(turn, t, [{ text: t('faq:backToBot') }]);
    }

    const notes: Outbound[] = [];
    const current = await deps.reports.currentDraft(turn.resident.id);
    if (current.expired) notes.push({ text: t('report:expired', { hours: deps.draftIdleHours }) });
    if (notes.length > 0) await turn.send(notes);
    const draft = current.draft;

    if (input.kind === 'text') {
      let payload = input.payload;
      if (!payload) {
        const picked = choiceByNumber(turn, t, input.text);
        if (picked === 'invalid') return turn.send([{ text: t('common:invalidChoice', { n: input.text.trim() }) }]);
        if (picked) payload = picked.payload;
      }
      if (payload) return handlePayload(turn, payload);

      const text = input.text;
      const code = findReportCode(text);
      if (code && text.trim().length <= code.length + 30) return showCode(turn, code);
      if (isMyReports(text)) return showMyReports(turn);
      const lang = languageCommand(text);
      if (lang) return switchLanguage(turn, lang);
      if (draft) return report.handle(turn, draft);
      if (isCancel(text)) return report.cancel(turn);
      if (isReportStart(text)) return report.start(turn);
      if (!turn.state.welcomed) {
        turn.setState({ welcomed: true });
        await turn.send([{ text: t('common:welcome', { city: deps.city.name[turn.locale] }) }]);
      }
      if (deps.understanding && (await deps.understanding.handle(turn, text, { reportDialog: report, showMyReports }))) return;
      return sendMenu(turn, t, [{ text: t('common:fallback', { hotline: deps.city.hotline }) }]);
    }

    if (draft) return report.handle(turn, draft);
    if (input.kind === 'images' || input.kind === 'location') {
      // A photo or a location out of the blue starts a report with it.
      await deps.reports.start(turn.resident.id);
      const started = (await deps.reports.currentDraft(turn.resident.id)).draft!;
      await turn.send([{ text: t('report:start') }]);
      return report.handle(turn, started);
    }
    if (input.kind === 'sticker') return sendMenu(turn, t, [{ text: t('common:sticker') }]);
    return sendMenu(turn, t, [{ text: t('common:unsupportedMessage') }]);
  };
}
