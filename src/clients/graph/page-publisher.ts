/**
 * Publishing on the city's Facebook Page (reference §3.9): photos uploaded unpublished, then one
 * `/feed` post with `attached_media`; the Page's recent posts to find one again. Same typed error
 * contract as the Messenger and Zalo clients (a temporary spam block, #368, is retried later).
 */
import crypto from 'node:crypto';
import { PlatformApiError } from '../../domain/shared/errors';
import { graphErrorAction } from './graph-errors';
import { GRAPH_API_VERSION } from './messenger-client';

export interface PagePublisherOptions {
  readonly origin: string;
  readonly pageId: string;
  readonly accessToken: string;
  readonly appSecret: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface PagePost {
  readonly id: string;
  readonly message: string;
  readonly createdAt: Date | null;
}

export class PagePublisher {
  private readonly fetch: typeof fetch;

  constructor(private readonly o: PagePublisherOptions) {
    this.fetch = o.fetch ?? globalThis.fetch;
  }

  /** Uploads a JPEG unpublished; returns the photo id for `attached_media`. */
  async uploadPhoto(jpeg: Buffer): Promise<string> {
    const form = new FormData();
    form.append('published', 'false');
    form.append('source', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'card.jpg');
    const data = await this.call('uploadPhoto', 'POST', `/${this.o.pageId}/photos`, form);
    return idOf('uploadPhoto', data);
  }

  /** One post with the caption and the photos; returns the post id. */
  async publish(message: string, photoIds: readonly string[]): Promise<string> {
    const data = await this.call('publish', 'POST', `/${this.o.pageId}/feed`, JSON.stringify({ message, attached_media: photoIds.map((id) => ({ media_fbid: id })) }));
    return idOf('publish', data);
  }

  /** The Page's recent posts, newest first. */
  async recentPosts(limit = 25): Promise<PagePost[]> {
    const data = (await this.call('recentPosts', 'GET', `/${this.o.pageId}/feed?fields=id,message,created_time&limit=${limit}`)) as { data?: unknown };
    const list = Array.isArray(data?.data) ? data.data : [];
    return list.flatMap((p) => {
      const r = (p ?? {}) as Record<string, unknown>;
      if (typeof r.id !== 'string') return [];
      const t = typeof r.created_time === 'string' ? Date.parse(r.created_time) : NaN;
      return [{ id: r.id, message: typeof r.message === 'string' ? r.message : '', createdAt: Number.isNaN(t) ? null : new Date(t) }];
    });
  }

  private async call(method: string, verb: 'GET' | 'POST', path: string, body?: FormData | string): Promise<unknown> {
    const url = new URL(`${this.o.origin}/v${GRAPH_API_VERSION}${path}`);
    url.searchParams.set('access_token', this.o.accessToken);
    url.searchParams.set('appsecret_proof', crypto.createHmac('sha256', this.o.appSecret).update(this.o.accessToken).digest('hex'));
    let res: Response;
    try {
      res = await this.fetch(url, {
        method: verb,
        body,
        headers: typeof body === 'string' ? { 'content-type': 'application/json' } : undefined,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000),
      });
    } catch (err) {
      // The request may or may not have reached Facebook: the caller decides (look the post up).
      throw new PlatformApiError({ platform: 'messenger', method, code: 'network', action: 'retry', message: err instanceof Error ? err.name : 'network error' });
    }
    const json = (await res.json().catch(() => ({}))) as { error?: { code?: number; error_subcode?: number; message?: string } };
    if (!res.ok || json.error) {
      const e = json.error ?? {};
      const code = e.code !== undefined ? `${e.code}${e.error_subcode !== undefined ? `/${e.error_subcode}` : ''}` : `http-${res.status}`;
      throw new PlatformApiError({ platform: 'messenger', method, code, action: graphErrorAction(res.status, e), message: (e.message ?? `HTTP ${res.status}`).slice(0, 300), status: res.status });
    }
    return json;
  }
}

function idOf(method: string, data: unknown): string {
  const id = (data as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && id !== '') return id;
  throw new PlatformApiError({ platform: 'messenger', method, code: 'invalid-answer', action: 'give-up', message: 'answer without id' });
}
