/**
 * One webhook router for every channel, fed by a small adapter per channel (verify, parse, keys):
 * the signature is checked on the raw bytes before anything else (401, nothing stored), the body
 * is parsed with the channel's wire schema (400 when malformed), and every actionable event is
 * stored in the inbox before the 2xx goes out (503 if it cannot be stored: the platform retries).
 */
import type { IncomingHttpHeaders } from 'node:http';
import express, { type Request, type Response } from 'express';
import type { Channel } from '../domain/shared/ids';
import type { InboxWorker } from '../inbox/inbox-worker';
import type { IngressGauge } from '../inbox/ingress-gauge';
import { sanitiseEventBody } from '../domain/shared/sanitise';
import type { Logger } from '../logger';
import type { InboundEventInput } from '../storage/inbox-repo';

export type ParsedWebhook =
  | { readonly ok: true; readonly events: InboundEventInput[] }
  | { readonly ok: false; readonly error: string };

export interface WebhookAdapter {
  readonly channel: Channel;
  /** Named in the 401 answer. */
  readonly signatureHeader: string;
  /** Answer to a GET on the webhook URL (Messenger's verification handshake). */
  handshake(query: Record<string, unknown>): { status: number; body: string };
  /** Checks the platform's signature over the raw request bytes. */
  verify(rawBody: Buffer, headers: IncomingHttpHeaders): boolean;
  /** Turns a verified JSON body into inbox events (none for events we do not handle). */
  parse(body: unknown, log: Logger): ParsedWebhook;
  /** What the platform expects in a 200. */
  readonly ack: string | Record<string, unknown>;
}

export interface WebhookRouterDeps {
  readonly adapter: WebhookAdapter;
  readonly inbox: Pick<InboxWorker, 'accept'>;
  readonly logger: Logger;
  readonly bodyLimit: string;
  readonly ingress?: IngressGauge;
}

export function webhookRouter(d: WebhookRouterDeps): express.Router {
  const { adapter } = d;
  const log = d.logger.child({ channel: adapter.channel });
  const r = express.Router();

  r.get('/', (req: Request, res: Response) => {
    const out = adapter.handshake(req.query as Record<string, unknown>);
    res.status(out.status).type('text/plain').send(out.body);
  });

  r.post('/', express.raw({ type: () => true, limit: d.bodyLimit }), async (req: Request, res: Response) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!adapter.verify(raw, req.headers)) {
      log.warn('webhook refused: bad or missing signature');
      return res.status(401).json({ error: `invalid or missing ${adapter.signatureHeader}` });
    }
    d.ingress?.track(res);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return res.status(400).json({ error: 'body is not valid JSON' });
    }
    const parsed = adapter.parse(json, log);
    if (!parsed.ok) {
      log.info({ error: parsed.error }, 'malformed webhook refused');
      return res.status(400).json({ error: parsed.error });
    }
    // Each event is made storable on its own (lone surrogates, NUL, nesting): one bad event never
    // fails its batch's good ones. An event nested too deep for anyone to mean it is refused.
    const events: InboundEventInput[] = [];
    for (const ev of parsed.events) {
      const clean = sanitiseEventBody(ev.body);
      if (clean.ok) events.push({ ...ev, body: clean.value });
      else log.warn({ reason: clean.reason, kind: ev.kind }, 'webhook event refused: nested too deep');
    }
    if (parsed.events.length > 0 && events.length === 0) return res.status(400).json({ error: 'event nested too deep' });
    if (events.length > 0) {
      try {
        const out = await d.inbox.accept(events);
        if (out.duplicates > 0) log.info({ duplicates: out.duplicates }, 'redelivered events ignored');
      } catch (err) {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'could not store webhook events');
        // Not acknowledged: the platform retries, nothing is lost.
        return res.status(503).json({ error: 'temporarily unavailable' });
      }
    }
    return typeof adapter.ack === 'string' ? res.status(200).send(adapter.ack) : res.status(200).json(adapter.ack);
  });
  return r;
}

/** A channel without credentials: its webhook does not exist. */
export function disabledWebhook(): express.Router {
  const r = express.Router();
  r.all('/', (_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return r;
}
