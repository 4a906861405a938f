/**
 * Offering choices within a channel's limit: long lists are paged with "More ▸" / "◂ Back", and the
 * full list is kept in the conversation state so page taps and Zalo digit answers resolve.
 */
import type { Translate } from '../src/i18n';
import type { Choice, Outbound, Turn } from './types';

export const PAGE_PREFIX = 'PAGE:';

/** The choices shown on `page` given at most `max` per message (including navigation buttons). */
export function pageOf(choices: readonly Choice[], page: number, max: number, t: Translate): Choice[] {
  if (choices.length <= max) return [...choices];
  const perPage = Math.max(1, max - 2);
  const firstPer = max - 1; // page 0 has no Back button
  const start = page === 0 ? 0 : firstPer + (page - 1) * perPage;
  const size = page === 0 ? firstPer : perPage;
  const slice = choices.slice(start, start + size);
  const out: Choice[] = [];
  if (page > 0) out.push({ title: t('common:back'), payload: `${PAGE_PREFIX}${page - 1}` });
  out.push(...slice);
  const remaining = choices.length - (start + size);
  if (remaining > 0) {
    // If only one choice would be left for the next page, show it here instead of a More button.
    if (remaining === 1 && out.length < max) out.push(choices[start + size]!);
    else out.push({ title: t('common:more'), payload: `${PAGE_PREFIX}${page + 1}` });
  }
  return out;
}

/** Sends `text` with `choices` (paged for the channel) and remembers them. */
export async function offer(turn: Turn, t: Translate, text: string, choices: readonly Choice[], extra: Partial<Outbound> = {}, before: Outbound[] = []): Promise<void> {
  const visible = pageOf(choices, 0, turn.capabilities.maxChoices, t);
  turn.setState({ menu: { text, choices: [...choices], page: 0 } });
  await turn.send([...before, { text, choices: visible, ...extra }]);
}

/** Re-sends the remembered choices at another page; false if nothing is remembered. */
export async function showPage(turn: Turn, t: Translate, page: number): Promise<boolean> {
  const menu = turn.state.menu;
  if (!menu) return false;
  const visible = pageOf(menu.choices, page, turn.capabilities.maxChoices, t);
  turn.setState({ menu: { ...menu, page } });
  await turn.send([{ text: menu.text, choices: visible }]);
  return true;
}

/** Resolves a bare number ("2") against the choices visible on the remembered page (Zalo text fallback). */
export function choiceByNumber(turn: Turn, t: Translate, text: string): Choice | null | 'invalid' {
  const m = text.trim().match(/^(\d{1,2})[.)]?$/);
  if (!m || !turn.state.menu) return null;
  const visible = pageOf(turn.state.menu.choices, turn.state.menu.page, turn.capabilities.maxChoices, t);
  return visible[Number(m[1]) - 1] ?? 'invalid';
}
