/**
 * POST /webhooks/zalo: `X-ZEvent-Signature` checked on the raw bytes before anything is parsed or
 * stored, then the event is parsed with the wire schema, de-duplicated on msg_id and stored in the
 * inbox before the 200 (Zalo wants an answer within 2 seconds and retries for an hour).
 */
import express, { type Request, type Response } from 'express';
import type { Logger } from '../../logger';
import type { InboxWorker } from '../../inbox/inbox-worker';
import type { IngressGauge } from '../../inbox/ingress-gauge';
import { parseZaloEvent, zaloConversationKey, zaloDedupeKey } from './zalo-webhook.schema';

export function zaloWebhookRouter(d: { verify: (raw: string, header: string | undefined) => boolean; inbox: InboxWorker; logger: Logger; bodyLimit: string; ingress?: IngressGauge; onAccepted?: (userId: string) => void }) {
  const r = express.Router();
  // No handshake is documented for Zalo; answering GET does no harm and helps URL checks.
  r.get('/', (_req, res) => {
    res.status(200).json({ ok: true });
  });
  r.post('/', express.raw({ type: () => true, limit: d.bodyLimit }), async (req: Request, res: Response) => {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const header = req.headers['x-zevent-signature'];
    if (!d.verify(raw, typeof header === 'string' ? header : undefined)) {
      d.logger.warn({ channel: 'zalo' }, 'webhook refused: bad or missing signature');
      return res.status(401).json({ error: 'invalid or missing X-ZEvent-Signature' });
    }
    d.ingress?.track(res);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return res.status(400).json({ error: 'body is not valid JSON' });
    }
    const parsed = parseZaloEvent(json);
    if (!parsed.ok) {
      d.logger.info({ eventName: parsed.eventName, error: parsed.error }, 'malformed zalo event refused');
      return res.status(400).json({ error: parsed.error });
    }
    const ev = parsed.event;
    if (ev.kind === 'unknown' || ev.kind === 'oa-echo') {
      d.logger.debug({ eventName: ev.event_name }, 'zalo event acknowledged without handling');
      return res.status(200).json({ ok: true });
    }
    const userId = zaloConversationKey(ev);
    try {
      const out = await d.inbox.accept([{ channel: 'zalo', dedupeKey: zaloDedupeKey(ev), conversationKey: `zalo:${userId}`, kind: ev.kind, body: json }]);
      if (out.duplicates > 0) d.logger.info({ retry: req.headers['num_retry'] ?? req.headers['num-retry'] }, 'redelivered zalo event ignored');
      else d.onAccepted?.(userId);
    } catch (err) {
      d.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'could not store zalo event');
      return res.status(503).json({ error: 'temporarily unavailable' });
    }
    return res.status(200).json({ ok: true });
  });
  return r;
}
