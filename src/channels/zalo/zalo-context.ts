import { Context } from 'bottender';
import type { ZaloOaClient } from '../../clients/zalo-oa';
import type { ZaloEvent } from './zalo-event';

/** Bottender context for Zalo: `sendText` goes to the resident through the consultation API. */
export class ZaloContext extends Context<ZaloOaClient, ZaloEvent & { rawEvent: object }> {
  get platform(): 'zalo' {
    return 'zalo';
  }

  get userId(): string | null {
    return this._event.userId;
  }

  async sendText(text: string): Promise<void> {
    const id = this.userId;
    if (!id) return;
    await this._client.sendText(id, text);
  }
}
