/**
 * The Messenger bot: Bottender's Bot with our SHA-256 connector, the PostgreSQL session store and
 * the shared dialogs. Run in sync mode: the inbox worker awaits each turn before the next one.
 */
import { Bot, type MessengerContext } from 'bottender';
import type { MessengerClient } from 'messaging-api-messenger';
import type { RootDialog } from '../../../dialogs/root';
import type { ResidentsRepo } from '../../domain/reports/ports';
import type { I18n } from '../../i18n';
import type { Logger } from '../../logger';
import type { PgSessionStore } from '../../storage/session-store';
import { recordTurnOutput } from '../../inbox/turn-context';
import { attachBotErrors } from '../bot-errors';
import { buildTurn } from '../turn';
import { BotMessengerConnector } from './messenger-connector';
import { MESSENGER_LIMITS, contextSink, messengerInbound, renderForMessenger } from './messenger-turn';

export interface MessengerBotDeps {
  readonly client: MessengerClient;
  readonly appId: string;
  readonly appSecret: string;
  readonly sessionStore: PgSessionStore;
  readonly root: RootDialog;
  readonly residents: ResidentsRepo;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly hotline: string;
  readonly pickerUrl: (channel: 'messenger', userId: string, locale: 'vi' | 'en') => string;
}

export function createMessengerBot(d: MessengerBotDeps) {
  const connector = new BotMessengerConnector({ appId: d.appId, appSecret: d.appSecret, client: d.client });
  const bot = new Bot({ connector: connector as never, sessionStore: d.sessionStore, sync: true });

  bot.onEvent((async (context: MessengerContext) => {
    const input = messengerInbound(context);
    const ev = context.event;
    if (ev.isStandby && !ev.isEcho && (ev.isMessage || ev.isPostback) && context.session?.user?.id) {
      // The Page Inbox holds the thread (a hand-over): the bot stays quiet, but the resident wrote,
      // which keeps the messaging window open for the console's replies.
      await d.residents.touch('messenger', String(context.session.user.id), new Date(ev.timestamp || Date.now()));
      return;
    }
    if (input.kind === 'receipt') return;
    const userId = String(context.session?.user?.id ?? '');
    if (!userId) return;
    const at = new Date(context.event.timestamp || Date.now());
    // A thread given back by the Page Inbox is no message from the resident: it opens no window.
    const resident = input.kind === 'handback' ? await d.residents.find('messenger', userId) : await d.residents.touch('messenger', userId, at);
    if (!resident) return;
    const turn = buildTurn(context, {
      channel: 'messenger',
      userId,
      input,
      resident,
      capabilities: { maxChoices: MESSENGER_LIMITS.quickReplies, nativeLocation: false, contactRequest: false },
      residents: d.residents,
      // Inside an inbox turn the replies are recorded and sent after the turn commits.
      send: async (messages, locale) => {
        if (!recordTurnOutput({ channel: 'messenger', userId, op: { kind: 'messages', locale, messages } })) await renderForMessenger(contextSink(context), messages);
      },
      locationPickerUrl: (locale) => d.pickerUrl('messenger', userId, locale),
    });
    await d.root(turn);
  }) as never);

  attachBotErrors<MessengerContext>(bot as never, {
    channel: 'messenger',
    logger: d.logger,
    i18n: d.i18n,
    // Read at each apology: the hotline can be edited in the console.
    get hotline() {
      return d.hotline;
    },
    send: async (ctx, text) => void (await ctx.sendText(text)),
    localeOf: async (ctx) => {
      const id = ctx.session?.user?.id;
      return (id && (await d.residents.find('messenger', String(id)))?.locale) || 'vi';
    },
  });

  const handle = bot.createRequestHandler();
  return { bot, connector, handle: (body: unknown) => handle(body as never, { method: 'POST', path: '/webhooks/messenger', query: {}, headers: {}, rawBody: '', body: body as never, params: {}, url: '/webhooks/messenger' } as never) };
}
