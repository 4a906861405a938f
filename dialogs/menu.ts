/**
 * The main menu, built once: the greeting, "menu" (typed or tapped), the smalltalk answers and
 * Messenger's persistent menu all offer these entries. While a report is being written, the first
 * entry resumes it and a second one cancels it.
 */
import type { Translate } from '../src/i18n';
import type { Choice } from './types';

export const MAIN_MENU = [
  { key: 'common:menu.report', payload: 'REPORT_START' },
  { key: 'common:menu.ask', payload: 'ASK_QUESTION' },
  { key: 'common:menu.myReports', payload: 'MY_REPORTS' },
  { key: 'common:menu.language', payload: 'LANGUAGE' },
] as const;

export function mainMenuChoices(t: Translate, opts: { draftOpen?: boolean } = {}): Choice[] {
  const choices = MAIN_MENU.map((m) => ({ title: t(m.key), payload: m.payload }));
  if (!opts.draftOpen) return choices;
  return [
    { title: t('common:menu.resume'), payload: 'REPORT_START' },
    { title: t('common:menu.cancelReport'), payload: 'REPORT_CANCEL' },
    ...choices.slice(1),
  ];
}
