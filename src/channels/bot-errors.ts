/**
 * The one error path of every bot. Inside an inbox turn the failure is handed to the inbox (the
 * turn rolls back and is retried with back-off; the resident is told only after the last attempt).
 * Outside one, the error is logged with context and the resident gets an apology in their language.
 */
import type { Bot } from 'bottender';
import { createErrorHandler } from '../../dialogs/error';
import type { Locale } from '../domain/shared/ids';
import type { I18n } from '../i18n';
import { failTurn } from '../inbox/turn-context';
import type { Logger } from '../logger';

export interface BotErrorDeps<C> {
  readonly channel: string;
  readonly logger: Logger;
  readonly i18n: I18n;
  readonly hotline: string;
  /** Sends the apology through the context (outside an inbox turn only). */
  readonly send: (context: C, text: string) => Promise<void>;
  readonly localeOf: (context: C) => Promise<Locale>;
}

export function attachBotErrors<C>(bot: Bot<never, never, never, never>, d: BotErrorDeps<C>): void {
  const apologise = createErrorHandler(
    {
      logger: d.logger,
      i18n: d.i18n,
      get hotline() {
        return d.hotline;
      },
    },
    (ctx, text) => d.send(ctx as C, text),
    (ctx) => d.localeOf(ctx as C),
  );
  bot.onError((async (context: unknown, props: { error: unknown }) => {
    if (failTurn(props.error)) return;
    await apologise(context, props);
  }) as never);
  bot.emitter.on('error', (err: unknown) => d.logger.error({ err: err instanceof Error ? err.message.split('\n')[0] : 'error', channel: d.channel }, 'bot error'));
}
