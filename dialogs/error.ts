/**
 * The one error handler of every bot: logs with context (never the error object, which can hold
 * tokens, nor message text), then apologises in the resident's language. It never throws.
 */
import type { Logger } from '../src/logger';
import type { I18n } from '../src/i18n';
import type { Locale } from '../src/domain/shared/ids';

export interface ErrorDialogDeps {
  readonly logger: Logger;
  readonly i18n: I18n;
  readonly hotline: string;
}

export function describeError(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; message?: string; status?: number; code?: string; response?: { status?: number; data?: { error?: { code?: number; type?: string; message?: string } } } };
  const graph = e?.response?.data?.error;
  // Messages from axios-error embed the request URL (with the token): keep only the first line, sanitised.
  const message = String(e?.message ?? err).split('\n')[0]!.replace(/access_token=[^&\s]+/g, 'access_token=[redacted]').slice(0, 300);
  return { name: e?.name, message, status: e?.status ?? e?.response?.status, code: e?.code ?? graph?.code, graphType: graph?.type };
}

export function createErrorHandler(deps: ErrorDialogDeps, send: (context: unknown, text: string) => Promise<void>, localeOf: (context: unknown) => Promise<Locale>) {
  return async function HandleError(context: unknown, props: { error: unknown }): Promise<void> {
    deps.logger.error({ err: describeError(props.error) }, 'dialog failed');
    try {
      const locale = await localeOf(context);
      await send(context, deps.i18n.t(locale, 'common:error', { hotline: deps.hotline }));
    } catch (err) {
      deps.logger.warn({ err: describeError(err) }, 'could not send the apology');
    }
  };
}
