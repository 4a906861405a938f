/**
 * Our Bottender connector for the Zalo Official Account, behind our seam: the webhook adapter
 * (zalo-webhook.ts) verifies signatures and stores events before acknowledging; this connector
 * turns a stored event into a context for the dialogs.
 */
import type { ZaloOaClient } from '../../clients/zalo-oa';
import { ZaloContext } from './zalo-context';
import { ZaloEvent } from './zalo-event';

export interface ZaloConnectorOptions {
  readonly client: ZaloOaClient;
}

export class ZaloConnector {
  readonly client: ZaloOaClient;

  constructor(o: ZaloConnectorOptions) {
    this.client = o.client;
  }

  get platform(): 'zalo' {
    return 'zalo';
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
