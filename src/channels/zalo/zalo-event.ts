/**
 * A Zalo webhook event as Bottender sees it. Bottender camel-cases body keys before a connector
 * gets them; Zalo's keys are plain snake_case words, so we turn them back and parse with the single
 * wire schema (zalo-webhook.schema.ts) instead of keeping a second, camelCase copy of it.
 */
import { parseZaloEvent, zaloConversationKey, type ZaloWebhookEvent } from './zalo-webhook.schema';

export function snakeKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = snakeKeysDeep(v);
  }
  return out;
}

export class ZaloEvent {
  readonly parsed: ZaloWebhookEvent | null;

  constructor(readonly rawEvent: Record<string, unknown>) {
    const r = parseZaloEvent(snakeKeysDeep(rawEvent));
    this.parsed = r.ok ? r.event : null;
  }

  get userId(): string | null {
    return this.parsed ? zaloConversationKey(this.parsed) : null;
  }

  get timestamp(): number {
    const ts = Number(this.parsed && 'timestamp' in this.parsed ? this.parsed.timestamp : NaN);
    return Number.isFinite(ts) ? ts : Date.now();
  }

  get isMessage(): boolean {
    return this.parsed !== null && this.parsed.kind !== 'unknown' && this.parsed.event_name.startsWith('user_send_');
  }

  get isText(): boolean {
    return this.parsed?.kind === 'text';
  }

  get text(): string | null {
    return this.parsed?.kind === 'text' ? this.parsed.message.text : null;
  }
}
