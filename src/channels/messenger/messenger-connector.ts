/**
 * Bottender's MessengerConnector with Meta's current signature header (`X-Hub-Signature-256`,
 * HMAC-SHA256) instead of the legacy SHA-1 one, a constant-time verify-token check, and sessions
 * that do not change when nothing in the conversation did.
 */
import { MessengerConnector } from 'bottender';
import type { MessengerClient } from 'messaging-api-messenger';
import { safeEqual } from '../signature';
import { verifyMessengerSignature } from './messenger-signature';

type Preprocess = ReturnType<MessengerConnector['preprocess']>;
type Rc = Parameters<MessengerConnector['preprocess']>[0];
type UpdateSessionArgs = Parameters<MessengerConnector['updateSession']>;

export class Sha256MessengerConnector extends MessengerConnector {
  private readonly secret: string;
  private readonly token: string;

  constructor(opts: { appId: string; appSecret: string; verifyToken: string; client: MessengerClient }) {
    super({ appId: opts.appId, appSecret: opts.appSecret, verifyToken: opts.verifyToken || 'unset', client: opts.client } as never);
    this.secret = opts.appSecret;
    this.token = opts.verifyToken;
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

  preprocess(rc: Rc): Preprocess {
    const method = rc.method.toLowerCase();
    if (method === 'get') {
      const q = rc.query as Record<string, unknown>;
      const ok = this.token !== '' && q['hub.mode'] === 'subscribe' && typeof q['hub.verify_token'] === 'string' && safeEqual(q['hub.verify_token'], this.token);
      return ok
        ? { shouldNext: false, response: { status: 200, body: String(q['hub.challenge'] ?? '') } }
        : { shouldNext: false, response: { status: 403, body: 'Forbidden' } };
    }
    if (method !== 'post') return { shouldNext: true };
    const header = (rc.headers as Record<string, string | undefined>)['x-hub-signature-256'];
    return verifyMessengerSignature(rc.rawBody ?? '', header, this.secret)
      ? { shouldNext: true }
      : { shouldNext: false, response: { status: 401, body: 'invalid or missing X-Hub-Signature-256' } };
  }
}
