/**
 * The main menu, built once: the greeting, "menu", the smalltalk answers and Messenger's persistent
 * menu all offer these entries.
 */
import type { Translate } from '../src/i18n';
import type { Choice } from './types';

export const MAIN_MENU = [
  { key: 'common:menu.report', payload: 'REPORT_START' },
  { key: 'common:menu.ask', payload: 'ASK_QUESTION' },
  { key: 'common:menu.myReports', payload: 'MY_REPORTS' },
  { key: 'common:menu.language', payload: 'LANGUAGE' },
] as const;

export function mainMenuChoices(t: Translate): Choice[] {
  return MAIN_MENU.map((m) => ({ title: t(m.key), payload: m.payload }));
}
