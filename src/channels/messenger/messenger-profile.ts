/**
 * Get Started button and persistent menu (report / ask a question / my reports / language), set
 * through the Messenger Profile API at start-up.
 */
import type { MessengerClient } from 'messaging-api-messenger';
import type { I18n } from '../../i18n';
import type { Logger } from '../../logger';

export async function setUpMessengerProfile(client: MessengerClient, i18n: I18n, logger: Logger): Promise<void> {
  const menu = (locale: 'vi' | 'en') => ({
    locale: locale === 'vi' ? 'default' : 'en_US',
    composerInputDisabled: false,
    callToActions: [
      { type: 'postback', title: i18n.t(locale, 'common:menu.report'), payload: 'REPORT_START' },
      { type: 'postback', title: i18n.t(locale, 'common:menu.ask'), payload: 'ASK_QUESTION' },
      { type: 'postback', title: i18n.t(locale, 'common:menu.myReports'), payload: 'MY_REPORTS' },
      { type: 'postback', title: i18n.t(locale, 'common:menu.language'), payload: 'LANGUAGE' },
    ],
  });
  await client.setGetStarted('GET_STARTED');
  await client.setPersistentMenu([menu('vi'), menu('en')] as never);
  logger.info('Messenger Get Started button and persistent menu set');
}
