/**
 * Offering choices within a channel's limit, and reading the answer whether it was tapped or typed.
 *
 * A list longer than a message can carry as buttons takes two screens at most: the first shows
 * the first `max - 1` choices (the most likely ones: callers order them) and a "More ▸" button;
 * the second shows all the rest, which a channel renders as buttons when they fit and as numbered
 * text otherwise (Zalo: 5 buttons). The full list is kept in the conversation state, so page taps,
 * typed numbers, titles and yes/no resolve against what the resident saw.
 */
import type { Translate } from '../src/i18n';
import { findCategory, matchChoice, numberAnswer, yesNo, type CategoryNames } from './answers';
import type { Menu } from './state';
import type { Choice, Outbound, Turn } from './types';

export const PAGE_PREFIX = 'PAGE:';

/** The choices shown on `page` given at most `max` buttons per message (including "More"/"Back"). */
export function pageOf(choices: readonly Choice[], page: number, max: number, t: Translate, moreTitle?: string | null): Choice[] {
  if (choices.length <= max) return [...choices];
  const first = Math.max(1, max - 1);
  if (page <= 0) return [...choices.slice(0, first), { title: moreTitle ?? t('common:more'), payload: `${PAGE_PREFIX}1` }];
  return [...choices.slice(first), { title: t('common:back'), payload: `${PAGE_PREFIX}0` }];
}

export interface OfferOptions {
  /** Payload a typed "yes" stands for. */
  readonly yes?: string | null;
  /** Payload a typed "no" stands for. */
  readonly no?: string | null;
  /** Title of the "More ▸" button of a long list. */
  readonly moreTitle?: string | null;
  /** Text of the list's second screen. */
  readonly moreText?: string | null;
  /** Short re-ask for an answer that fits no choice (default: common:reask.choose). */
  readonly hint?: string | null;
  /** Link or call buttons sent with the choices. */
  readonly extra?: Partial<Outbound>;
  /** Messages sent before the question in the same turn (acknowledgements). */
  readonly before?: readonly Outbound[];
}

/** Sends `text` with `choices` (the first screen) and remembers them as the current choice point. */
export async function offer(turn: Turn, t: Translate, text: string, choices: readonly Choice[], o: OfferOptions = {}): Promise<void> {
  const menu: Menu = {
    text,
    choices: [...choices],
    page: 0,
    yes: o.yes ?? null,
    no: o.no ?? null,
    moreTitle: o.moreTitle ?? null,
    moreText: o.moreText ?? null,
    hint: o.hint ?? null,
  };
  const visible = pageOf(choices, 0, turn.capabilities.maxChoices, t, menu.moreTitle);
  turn.setState({ menu, misses: 0 });
  await turn.send([...(o.before ?? []), { text, choices: visible, ...o.extra }]);
}

/** Re-sends the remembered choices at another page; false if nothing is remembered. */
export async function showPage(turn: Turn, t: Translate, page: number): Promise<boolean> {
  const menu = turn.state.menu;
  if (!menu) return false;
  const visible = pageOf(menu.choices, page, turn.capabilities.maxChoices, t, menu.moreTitle);
  turn.setState({ menu: { ...menu, page } });
  // The second screen gets its own short text: the first screen's question is still in view.
  const text = page === 0 ? menu.text : menu.moreText ?? t('common:moreChoices');
  await turn.send([{ text, choices: visible }]);
  return true;
}

/** The choices visible on the remembered page (what a typed number refers to). */
export function visibleChoices(turn: Turn, t: Translate): Choice[] {
  const menu = turn.state.menu;
  return menu ? pageOf(menu.choices, menu.page, turn.capabilities.maxChoices, t, menu.moreTitle) : [];
}

/** Resolves a typed number ("2", "số 2", "thứ hai") against the choices visible on the remembered page. */
export function choiceByNumber(turn: Turn, t: Translate, text: string): Choice | null | 'invalid' {
  if (!turn.state.menu) return null;
  const n = numberAnswer(text);
  if (n === null) return null;
  return visibleChoices(turn, t)[n - 1] ?? 'invalid';
}

/**
 * What a typed text answers at the current choice point: a number, "yes"/"no" where the question
 * has them, an option's title or a paraphrase of it, or a category named in free words when the
 * choices are categories. Null when it answers none of them.
 */
export function typedAnswer(turn: Turn, t: Translate, text: string, categories: readonly CategoryNames[] = []): Choice | null {
  const menu = turn.state.menu;
  if (!menu) return null;
  const byNumber = choiceByNumber(turn, t, text);
  if (byNumber && byNumber !== 'invalid') return byNumber;
  const yn = yesNo(text);
  if (yn === 'yes' && menu.yes) return { title: text, payload: menu.yes };
  if (yn === 'no' && menu.no) return { title: text, payload: menu.no };
  if (yn !== null && (menu.yes || menu.no)) return null;
  const visible = visibleChoices(turn, t);
  const hit = matchChoice(text, visible) ?? matchChoice(text, menu.choices);
  if (hit) return hit;
  const offered = categories.filter((c) => menu.choices.some((ch) => ch.payload === `CATEGORY:${c.slug}`));
  if (offered.length > 0) {
    const slug = findCategory(text, offered);
    if (slug) return { title: text, payload: `CATEGORY:${slug}` };
  }
  return null;
}

/**
 * A short re-ask at the current choice point: what answers work, with the same buttons. The
 * second miss in a row also offers a person.
 */
export async function reaskChoice(turn: Turn, t: Translate, hotline: string, before: readonly Outbound[] = []): Promise<boolean> {
  const menu = turn.state.menu;
  if (!menu) return false;
  const misses = turn.state.misses + 1;
  const lines = [menu.hint ?? t('common:reask.choose')];
  if (misses >= 2) lines.push(t('common:reask.human', { hotline }));
  turn.setState({ misses });
  await turn.send([...before, { text: lines.join('\n'), choices: visibleChoices(turn, t) }]);
  return true;
}
