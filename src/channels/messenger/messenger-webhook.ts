/**
 * POST/GET /webhooks/messenger: handshake, signature on the raw bytes before anything else, schema
 * parse, then every actionable event is stored in the inbox before the 200 goes out.
 */
import express, { type Request, type Response } from 'express';
import type { Logger } from '../../logger';
import type { InboxWorker } from '../../inbox/inbox-worker';
import type { IngressGauge } from '../../inbox/ingress-gauge';
import type { InboundEventInput } from '../../storage/inbox-repo';
import { MessagingEvent, MessengerEnvelope, messengerDedupeKey, messengerEventKind } from './messenger-webhook.schema';

interface Preprocessor {
  preprocess(rc: { method: string; headers: Record<string, unknown>; query: Record<string, unknown>; rawBody: string; path: string; body: unknown; params: object; url: string }):
    { shouldNext: boolean; response?: { status: number; body: unknown } };
}

export function messengerWebhookRouter(d: { connector: Preprocessor; inbox: InboxWorker; logger: Logger; bodyLimit: string; ingress?: IngressGauge; onAccepted?: (events: InboundEventInput[]) => void }) {
  const r = express.Router();
  const rc = (req: Request, raw: string) => ({ method: req.method, headers: req.headers as Record<string, unknown>, query: req.query as Record<string, unknown>, rawBody: raw, path: req.path, body: {}, params: {}, url: req.originalUrl });

  r.get('/', (req: Request, res: Response) => {
    const out = d.connector.preprocess(rc(req, ''));
    res.status(out.response?.status ?? 403).type('text/plain').send(String(out.response?.body ?? 'Forbidden'));
  });

  r.post('/', express.raw({ type: () => true, limit: d.bodyLimit }), async (req: Request, res: Response) => {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const check = d.connector.preprocess(rc(req, raw));
    if (!check.shouldNext) {
      d.logger.warn({ channel: 'messenger' }, 'webhook refused: bad or missing signature');
      return res.status(401).json({ error: 'invalid or missing X-Hub-Signature-256' });
    }
    d.ingress?.track(res);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return res.status(400).json({ error: 'body is not valid JSON' });
    }
    const env = MessengerEnvelope.safeParse(json);
    if (!env.success) return res.status(400).json({ error: 'not a Messenger webhook envelope' });
    if (env.data.object !== 'page') {
      d.logger.debug({ object: env.data.object }, 'ignoring non-page webhook');
      return res.status(200).send('EVENT_RECEIVED');
    }
    const events: InboundEventInput[] = [];
    for (const entry of env.data.entry) {
      if (entry.standby?.length) d.logger.debug({ count: entry.standby.length }, 'ignoring standby events');
      for (const item of entry.messaging ?? []) {
        const ev = MessagingEvent.safeParse(item);
        if (!ev.success) {
          d.logger.debug('ignoring a messaging item of an unknown shape');
          continue;
        }
        const kind = messengerEventKind(ev.data);
        if (kind !== 'message' && kind !== 'postback') {
          d.logger.debug({ kind }, 'ignoring messenger event kind');
          continue;
        }
        events.push({
          channel: 'messenger',
          dedupeKey: messengerDedupeKey(ev.data),
          conversationKey: `messenger:${ev.data.sender.id}`,
          kind,
          body: { object: 'page', entry: [{ id: entry.id, time: entry.time, messaging: [item] }] },
        });
      }
    }
    try {
      const out = await d.inbox.accept(events);
      if (out.duplicates > 0) d.logger.info({ duplicates: out.duplicates }, 'redelivered messenger events ignored');
      d.onAccepted?.(events);
    } catch (err) {
      d.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'could not store webhook events');
      // Not acknowledged: Meta will retry, nothing is lost.
      return res.status(503).json({ error: 'temporarily unavailable' });
    }
    return res.status(200).send('EVENT_RECEIVED');
  });
  return r;
}
