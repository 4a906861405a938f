/**
 * The Zalo OA bot: Bottender's Bot with our Zalo connector, the PostgreSQL session store and the
 * same dialogs as Messenger, rendered for Zalo.
 */
import { Bot } from 'bottender';
import type { RootDialog } from '../../../dialogs/root';
import type { ZaloOaClient } from '../../clients/zalo-oa';
import type { ResidentsRepo } from '../../domain/reports/ports';
import type { I18n } from '../../i18n';
import type { Logger } from '../../logger';
import type { PgSessionStore } from '../../storage/session-store';
import { recordTurnOutput } from '../../inbox/turn-context';
import { attachBotErrors } from '../bot-errors';
import { buildTurn } from '../turn';
import { ZaloConnector } from './zalo-connector';
import type { ZaloContext } from './zalo-context';
import { ZALO_LIMITS } from '../../clients/zalo-oa/zalo-limits';
import { renderForZalo, zaloInbound, type ZaloTemplateSupport } from './zalo-turn';

export interface ZaloBotDeps {
  readonly client: ZaloOaClient;
  readonly sessionStore: PgSessionStore;
  readonly root: RootDialog;
  readonly residents: ResidentsRepo;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly hotline: string;
  readonly pickerUrl: (channel: 'zalo', userId: string, locale: 'vi' | 'en') => string;
  readonly requestImageUrl: string;
  /** Shared with the resident channel: whether Zalo refused list templates. */
  readonly support: ZaloTemplateSupport;
}

export function createZaloBot(d: ZaloBotDeps) {
  const connector = new ZaloConnector({ client: d.client });
  const bot = new Bot({ connector: connector as never, sessionStore: d.sessionStore, sync: true });
  const support = d.support;

  bot.onEvent((async (context: ZaloContext) => {
    const ev = context.event.parsed;
    const input = zaloInbound(ev);
    const userId = context.userId;
    if (!userId || input.kind === 'receipt') return;
    if (input.kind === 'unfollow') {
      d.logger.info({ channel: 'zalo' }, 'resident unfollowed the OA');
      return;
    }
    const resident = await d.residents.touch('zalo', userId, new Date(context.event.timestamp));
    const turn = buildTurn(context, {
      channel: 'zalo',
      userId,
      input,
      resident,
      capabilities: { maxChoices: ZALO_LIMITS.listButtons, nativeLocation: true, contactRequest: true },
      residents: d.residents,
      // Inside an inbox turn the replies are recorded and sent after the turn commits.
      send: async (messages, locale) => {
        if (recordTurnOutput({ channel: 'zalo', userId, op: { kind: 'messages', locale, messages } })) return;
        await renderForZalo(d.client, userId, messages, { support, chooseNumberHint: d.i18n.t(locale, 'common:chooseNumber'), logger: d.logger });
      },
      locationPickerUrl: (locale) => d.pickerUrl('zalo', userId, locale),
      requestContactInfo: async (title, subtitle) => {
        if (recordTurnOutput({ channel: 'zalo', userId, op: { kind: 'contact-request', title, subtitle } })) return;
        await d.client.sendRequestUserInfo(userId, { title, subtitle, imageUrl: d.requestImageUrl });
      },
    });
    await d.root(turn);
  }) as never);

  attachBotErrors<ZaloContext>(bot as never, {
    channel: 'zalo',
    logger: d.logger,
    i18n: d.i18n,
    // Read at each apology: the hotline can be edited in the console.
    get hotline() {
      return d.hotline;
    },
    send: async (ctx, text) => void (await ctx.sendText(text)),
    localeOf: async (ctx) => (ctx.userId && (await d.residents.find('zalo', ctx.userId))?.locale) || 'vi',
  });

  const handle = bot.createRequestHandler();
  return {
    bot,
    connector,
    handle: (body: unknown) => handle(body as never, { method: 'POST', path: '/webhooks/zalo', query: {}, headers: {}, rawBody: '', body: body as never, params: {}, url: '/webhooks/zalo' } as never),
  };
}
