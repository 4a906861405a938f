/**
 * Zalo OA for the bench: signed `user_send_text` webhooks for the bench OA (BENCH_ZALO), user ids,
 * and a watcher that times the bot's replies at the fake Zalo OpenAPI from its `call` event (no
 * polling: the listener runs inside the fake's request handler, once the request body was read).
 */
import { performance } from 'node:perf_hooks';
import type { FakeZaloApi, FakeZaloCall } from '../../../dev/fakes/fake-zalo-api';
import { createZaloWebhooks } from '../../../dev/fakes/zalo-webhooks';
import type { PreparedRequest } from './http-load';
import { BENCH_ZALO, ZALO_WEBHOOK_PATH } from './messenger';

export const benchZaloWebhooks = createZaloWebhooks({ appId: BENCH_ZALO.appId, oaId: BENCH_ZALO.oaId, oaSecretKey: BENCH_ZALO.oaSecretKey });

/** A 19-digit Zalo-style user id, distinct for each (series, n). */
export function zaloUserId(series: number, n: number): string {
  return `${5 + (series % 4)}${String(series).padStart(3, '0')}${String(n).padStart(15, '0')}`;
}

/** A signed `user_send_text` (fresh msg_id, timestamp now) as bytes ready to post. */
export function zaloText(userId: string, text: string): PreparedRequest {
  const wh = benchZaloWebhooks.userSendText({ userId, text });
  return { path: ZALO_WEBHOOK_PATH, headers: { ...wh.headers }, body: Buffer.from(wh.body, 'utf8') };
}

const MESSAGE_CS = '/v3.0/oa/message/cs';

function recipientOf(call: FakeZaloCall): string | undefined {
  const body = call.body as { recipient?: { user_id?: unknown } } | undefined;
  const id = body?.recipient?.user_id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Hands out consultation messages (`POST /v3.0/oa/message/cs`) per recipient as the fake receives
 * them. The time of a reply is `performance.now()` in the fake's `call` event, i.e. in this process,
 * on the same clock as the load generator, when the fake has read the whole request.
 */
export class ZaloReplyWatcher {
  private readonly waiters = new Map<string, (at: number) => void>();
  /** Replies nobody was waiting for: a turn that sent more than one message, or a late one. */
  readonly unclaimed: string[] = [];
  /** Sends made with a token the fake no longer accepted (the client refreshes and retries). */
  staleTokenCalls = 0;
  private readonly listener = (call: FakeZaloCall): void => {
    if (call.method !== 'POST' || call.path !== MESSAGE_CS) return;
    const at = performance.now();
    if (call.token === undefined || call.token !== this.zalo.currentAccessToken) {
      this.staleTokenCalls++;
      return;
    }
    const userId = recipientOf(call) ?? '?';
    const w = this.waiters.get(userId);
    if (w) {
      this.waiters.delete(userId);
      w(at);
    } else {
      this.unclaimed.push(userId);
    }
  };

  constructor(private readonly zalo: FakeZaloApi) {
    zalo.on('call', this.listener);
  }

  /** `performance.now()` of the next reply to `userId`, or null after `timeoutMs`. */
  next(userId: string, timeoutMs: number): Promise<number | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(userId);
        resolve(null);
      }, timeoutMs);
      this.waiters.set(userId, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  close(): void {
    this.zalo.off('call', this.listener);
  }
}
