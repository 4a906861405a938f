/**
 * Free text outside a flow: emergencies first (113/114/115 at once, never a report), then reports,
 * status checks, FAQ answers from the knowledge base (short answer, details on request, top 2–3
 * topics as buttons when unsure), small talk, and an honest "I don't know" with the hotline and a
 * person.
 */
import type { CityProfile } from '../../src/domain/city-profile';
import type { KnowledgeBase } from '../../src/domain/faq/knowledge-base';
import { renderTopicText } from '../../src/domain/faq/knowledge-base';
import { DETAIL_KEYS, type DetailKey } from '../../src/domain/faq/knowledge-base.schema';
import { fold } from '../../src/domain/shared/text';
import type { Nlu, NluResult } from '../../src/nlu';
import { EMERGENCY_NUMBER } from '../../src/nlu';
import type { Locale } from '../../src/domain/shared/ids';
import type { I18n, Translate } from '../../src/i18n';
import { offer } from '../choices';
import { mainMenuChoices } from '../menu';
import type { ReportDialog } from '../report/report-dialog';
import type { TextUnderstanding } from '../root';
import type { Choice, Turn } from '../types';

/** Below this confidence an FAQ answer given inside a report is not worth interrupting it. */
const BRIEF_ANSWER_SCORE = 0.5;

export interface FaqDialogDeps {
  readonly nlu: Nlu;
  readonly kb: KnowledgeBase;
  readonly city: CityProfile;
  readonly hotline: string;
  readonly i18n: I18n;
  /** Hands the conversation to a person (Messenger: Page Inbox; Zalo: a flag staff see). */
  readonly handover: (turn: Turn, reason: string) => Promise<void>;
  /** Two topics closer than this are offered as buttons instead of answering one. */
  readonly clarifyMargin?: number;
}

const THANKS = /(cam on|thank|thanks|tks|camon)/;
const BYE = /^(tam biet|bye|goodbye|hen gap lai)/;

/** i18n keys by emergency number and detail section (never built by concatenation). */
const SERVICE_KEYS = { '113': 'faq:service.113', '114': 'faq:service.114', '115': 'faq:service.115' } as const;
const CALL_KEYS = { '113': 'faq:call.113', '114': 'faq:call.114', '115': 'faq:call.115' } as const;
const DETAIL_LABEL_KEYS: Readonly<Record<DetailKey, string>> = {
  documents: 'faq:detail.documents',
  fee: 'faq:detail.fee',
  time: 'faq:detail.time',
  where: 'faq:detail.where',
  online: 'faq:detail.online',
  legal: 'faq:detail.legal',
};
type EmergencyNumber = keyof typeof SERVICE_KEYS;

export class FaqDialog implements TextUnderstanding {
  constructor(private readonly d: FaqDialogDeps) {}

  /** The model's reading of free text. */
  read(text: string): NluResult {
    return this.d.nlu.classify(text);
  }

  /** 113/114/115 at once, in the language the resident wrote in; true when `r` is an emergency. */
  async emergency(turn: Turn, r: NluResult): Promise<boolean> {
    if (r.intent !== 'emergency') return false;
    await this.sendEmergency(turn, r, r.lang === 'en' ? 'en' : turn.locale);
    return true;
  }

  /** A clear FAQ question inside another flow: the short answer in one message, no buttons. */
  async answerBriefly(turn: Turn, r: NluResult): Promise<boolean> {
    if (r.intent !== 'faq' || !r.topic || r.score < BRIEF_ANSWER_SCORE) return false;
    const topic = this.d.kb.bySlug.get(r.topic);
    if (!topic) return false;
    const locale = this.replyLocale(turn, r);
    await turn.send([{ text: `${topic.title[locale]}\n${renderTopicText(topic.short[locale], this.d.city, locale)}` }]);
    return true;
  }

  async handle(turn: Turn, text: string, ctx: { reportDialog: ReportDialog; showMyReports: (turn: Turn) => Promise<void>; reading?: NluResult | null }): Promise<boolean> {
    const r = ctx.reading ?? this.d.nlu.classify(text);
    const locale = this.replyLocale(turn, r);
    switch (r.intent) {
      case 'emergency':
        await this.sendEmergency(turn, r, r.lang === 'en' ? 'en' : turn.locale);
        return true;
      case 'report':
        // The category is suggested again from the description when it is stored.
        await ctx.reportDialog.startWithDescription(turn, text);
        return true;
      case 'status':
        await ctx.showMyReports(turn);
        return true;
      case 'faq':
        if (r.topic) {
          const close = r.alternatives.filter((a) => a.topic !== r.topic && r.score - a.score < (this.d.clarifyMargin ?? 0.15));
          if (close.length > 0) await this.clarify(turn, [r.topic, ...close.slice(0, 2).map((a) => a.topic)], locale);
          else await this.answer(turn, r.topic, locale);
          return true;
        }
        break;
      case 'smalltalk':
        await this.smalltalk(turn, text, locale);
        return true;
      default:
        break;
    }
    await this.unknown(turn, locale);
    return true;
  }

  /** FAQ:<slug>, FAQ_MORE:<slug>, HUMAN. */
  async handlePayload(turn: Turn, payload: string): Promise<boolean> {
    if (payload.startsWith('FAQ:')) {
      const slug = payload.slice(4);
      if (!this.d.kb.bySlug.has(slug)) return false;
      await this.answer(turn, slug, turn.locale);
      return true;
    }
    if (payload.startsWith('FAQ_MORE:')) {
      const slug = payload.slice(9);
      if (!this.d.kb.bySlug.has(slug)) return false;
      await this.details(turn, slug, turn.locale);
      return true;
    }
    if (payload === 'HUMAN') {
      const t = this.t(turn.locale);
      await this.d.handover(turn, 'resident asked for a person');
      turn.setState({ menu: null, handedOver: true });
      await turn.send([{ text: t('faq:handedOver') }]);
      return true;
    }
    return false;
  }

  /**
   * Replies follow the language the resident chose; until they choose one, a question written in
   * English is answered in English.
   */
  private replyLocale(turn: Turn, r: NluResult): Locale {
    if (turn.state.languageChosen) return turn.locale;
    return r.lang === 'en' ? 'en' : turn.locale;
  }

  private async sendEmergency(turn: Turn, r: NluResult, locale: Locale): Promise<void> {
    const t = this.t(locale);
    const first = ((r.emergencyKind && EMERGENCY_NUMBER[r.emergencyKind as keyof typeof EMERGENCY_NUMBER]) || '113') as EmergencyNumber;
    const numbers = [first, ...(['113', '114', '115'] as const).filter((n) => n !== first)];
    await turn.send([{
      text: t('faq:emergency', { number: first, service: t(SERVICE_KEYS[first]) }),
      calls: numbers.map((n) => ({ title: t(CALL_KEYS[n]), phone: n })),
    }]);
  }

  private async answer(turn: Turn, slug: string, locale: Locale): Promise<void> {
    const t = this.t(locale);
    const topic = this.d.kb.bySlug.get(slug)!;
    const text = renderTopicText(topic.short[locale], this.d.city, locale);
    const choices: Choice[] = [];
    if (Object.keys(topic.details).length > 0) choices.push({ title: t('faq:more'), payload: `FAQ_MORE:${slug}` });
    for (const rel of topic.related.slice(0, 2)) {
      const other = this.d.kb.bySlug.get(rel);
      if (other) choices.push({ title: other.title[locale], payload: `FAQ:${rel}` });
    }
    choices.push({ title: t('faq:human'), payload: 'HUMAN' });
    await offer(turn, t, `${topic.title[locale]}\n${text}`, choices);
  }

  private async details(turn: Turn, slug: string, locale: Locale): Promise<void> {
    const t = this.t(locale);
    const topic = this.d.kb.bySlug.get(slug)!;
    const parts: string[] = [topic.title[locale]];
    for (const key of DETAIL_KEYS) {
      const d = topic.details[key];
      if (d) parts.push(`• ${t(DETAIL_LABEL_KEYS[key])}: ${renderTopicText(d[locale], this.d.city, locale)}`);
    }
    const sources = topic.sources.map((s) => s.title).join('; ');
    if (sources) parts.push(`(${sources})`);
    await turn.send([{ text: parts.join('\n\n') }]);
    const related: Choice[] = topic.related.slice(0, 3).flatMap((rel) => {
      const other = this.d.kb.bySlug.get(rel);
      return other ? [{ title: other.title[locale], payload: `FAQ:${rel}` }] : [];
    });
    if (related.length > 0) await offer(turn, t, t('faq:related'), related);
  }

  private async clarify(turn: Turn, slugs: string[], locale: Locale): Promise<void> {
    const t = this.t(locale);
    const choices: Choice[] = slugs.map((s) => ({ title: this.d.kb.bySlug.get(s)?.title[locale] ?? s, payload: `FAQ:${s}` }));
    choices.push({ title: t('faq:noneOfThese'), payload: 'HUMAN' });
    await offer(turn, t, t('faq:clarify'), choices);
  }

  private async smalltalk(turn: Turn, text: string, locale: Locale): Promise<void> {
    const t = this.t(locale);
    const f = fold(text);
    const key = THANKS.test(f) ? 'common:thanks' : BYE.test(f) ? 'common:goodbye' : 'common:hello';
    await offer(turn, t, t(key), mainMenuChoices(t));
  }

  private async unknown(turn: Turn, locale: Locale): Promise<void> {
    const t = this.t(locale);
    await offer(turn, t, t('faq:unknown', { hotline: this.d.hotline }), [
      { title: t('faq:human'), payload: 'HUMAN' },
      { title: t('common:menu.report'), payload: 'REPORT_START' },
    ], { extra: { calls: [{ title: `📞 ${this.d.hotline}`, phone: this.d.hotline }] } });
  }

  private t(locale: Locale): Translate {
    return this.d.i18n.forLocale(locale);
  }
}
