/**
 * Get Started button and persistent menu (report / ask a question / my reports / language), set
 * through the Messenger Profile API at start-up.
 */
import type { MessengerClient } from 'messaging-api-messenger';
import type { I18n } from '../../i18n';
import type { Logger } from '../../logger';
import { mainMenuChoices } from '../../../dialogs/menu';

export async function setUpMessengerProfile(client: MessengerClient, i18n: I18n, logger: Logger): Promise<void> {
  const menu = (locale: 'vi' | 'en') => ({
    locale: locale === 'vi' ? 'default' : 'en_US',
    composerInputDisabled: false,
    callToActions: mainMenuChoices(i18n.forLocale(locale)).map((c) => ({ type: 'postback', title: c.title, payload: c.payload })),
  });
  await client.setGetStarted('GET_STARTED');
  await client.setPersistentMenu([menu('vi'), menu('en')] as never);
  logger.info('Messenger Get Started button and persistent menu set');
}
