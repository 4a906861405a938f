/**
 * Bottender's MessengerConnector, behind our seam: it turns a stored webhook event into a context
 * for the dialogs (the webhook adapter, messenger-webhook.ts, verifies and stores events; Bottender's
 * own server, which would call `preprocess`, is not used), with sessions that do not change when
 * nothing in the conversation did.
 */
import { MessengerConnector } from 'bottender';
import type { MessengerClient } from 'messaging-api-messenger';

type UpdateSessionArgs = Parameters<MessengerConnector['updateSession']>;

export class BotMessengerConnector extends MessengerConnector {
  constructor(opts: { appId: string; appSecret: string; client: MessengerClient }) {
    super({ appId: opts.appId, appSecret: opts.appSecret, verifyToken: 'unused', client: opts.client } as never);
  }

  /**
   * Bottender refreshes `session.user` and `session.page` (with new `_updatedAt` stamps) on every
   * event when there is no profile picture, which we never fetch; that made every session differ
   * from the stored one and cost a write per turn. Once both are set they are kept as read.
   */
  async updateSession(...[session, bodyOrEvent]: UpdateSessionArgs): Promise<void> {
    const s = session as unknown as { user?: { id?: unknown }; page?: unknown };
    if (s.user?.id && s.page) return;
    await super.updateSession(session, bodyOrEvent);
  }
}
