/**
 * Our Bottender connector for the Zalo Official Account. The HTTP route verifies signatures and
 * stores events before acknowledging (src/server/zalo-webhook.ts); this connector turns a stored
 * event into a context for the dialogs. `preprocess` is still implemented (Bottender calls it
 * unconditionally when it serves requests itself) and checks `X-ZEvent-Signature`.
 */
import type { ZaloOaClient } from '../../clients/zalo-oa';
import { ZaloContext } from './zalo-context';
import { ZaloEvent } from './zalo-event';
import { verifyZaloSignature } from './zalo-signature';

export interface ZaloConnectorOptions {
  readonly client: ZaloOaClient;
  readonly appId: string;
  readonly oaSecretKey: string;
}

export class ZaloConnector {
  readonly client: ZaloOaClient;

  constructor(private readonly o: ZaloConnectorOptions) {
    this.client = o.client;
  }

  get platform(): 'zalo' {
    return 'zalo';
  }

  /** Verifies `X-ZEvent-Signature` on the raw body (app id + body + timestamp + OA secret key). */
  verify(rawBody: string, header: string | undefined): boolean {
    let bodyAppId: string | undefined;
    try {
      const parsed = JSON.parse(rawBody) as { app_id?: unknown };
      bodyAppId = typeof parsed.app_id === 'string' ? parsed.app_id : undefined;
    } catch {
      return false;
    }
    const appIds = bodyAppId && bodyAppId !== this.o.appId ? [this.o.appId, bodyAppId] : [this.o.appId];
    return verifyZaloSignature({ rawBody, header, appIds, oaSecretKey: this.o.oaSecretKey });
  }

  preprocess(rc: { method: string; headers: Record<string, unknown>; rawBody?: string }) {
    if (rc.method.toLowerCase() !== 'post') return { shouldNext: false, response: { status: 200, body: 'OK' } };
    const header = rc.headers['x-zevent-signature'];
    return this.verify(rc.rawBody ?? '', typeof header === 'string' ? header : undefined)
      ? { shouldNext: true }
      : { shouldNext: false, response: { status: 401, body: { error: 'invalid or missing X-ZEvent-Signature' } } };
  }

  /** One event per request: Zalo sends one event per POST. */
  mapRequestToEvents(body: Record<string, unknown>): ZaloEvent[] {
    return [new ZaloEvent(body)];
  }

  getUniqueSessionKey(event: unknown): string | null {
    return event instanceof ZaloEvent ? event.userId : null;
  }

  async updateSession(session: Record<string, unknown>, event: unknown): Promise<void> {
    if (!session.user && event instanceof ZaloEvent && event.userId) {
      session.user = { id: event.userId, _updatedAt: new Date().toISOString() };
    }
  }

  createContext(params: { event: ZaloEvent; session?: unknown; initialState?: unknown; requestContext?: unknown; emitter?: unknown }): ZaloContext {
    return new ZaloContext({ ...params, client: this.client } as never);
  }
}
