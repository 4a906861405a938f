/**
 * Child process: the baseline for webhook acks. Bare express 5 endpoints doing only what any
 * webhook of that platform must: read the raw body, check the signature (constant-time compare) and
 * answer 200. Messenger: `X-Hub-Signature-256`, HMAC-SHA256 of the body. Zalo: `X-ZEvent-Signature`,
 * `mac=` + SHA-256 of app id + body + the body's `timestamp` + OA secret key (the timestamp has to
 * be read from the JSON body). Deliberately independent of src/ so it measures the floor, not our code.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { prepareHost, serveHost } from '../lib/host-side';
import { BENCH_MESSENGER, BENCH_ZALO, MESSENGER_WEBHOOK_PATH, ZALO_WEBHOOK_PATH } from '../lib/messenger';

prepareHost();

async function main(): Promise<void> {
  const app = express();
  app.disable('x-powered-by');
  app.post(MESSENGER_WEBHOOK_PATH, express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const given = Buffer.from(String(req.get('x-hub-signature-256') ?? ''));
    const expected = Buffer.from(`sha256=${crypto.createHmac('sha256', BENCH_MESSENGER.appSecret).update(raw).digest('hex')}`);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      res.status(401).end();
      return;
    }
    res.status(200).send('EVENT_RECEIVED');
  });
  app.post(ZALO_WEBHOOK_PATH, express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let timestamp: string | undefined;
    try {
      const ts = (JSON.parse(raw.toString('utf8')) as { timestamp?: unknown }).timestamp;
      timestamp = typeof ts === 'string' ? ts : typeof ts === 'number' ? String(ts) : undefined;
    } catch {
      timestamp = undefined;
    }
    const given = Buffer.from(String(req.get('x-zevent-signature') ?? ''));
    const expected = timestamp
      ? Buffer.from(`mac=${crypto.createHash('sha256').update(BENCH_ZALO.appId).update(raw).update(timestamp).update(BENCH_ZALO.oaSecretKey).digest('hex')}`)
      : Buffer.alloc(0);
    if (!timestamp || given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      res.status(401).end();
      return;
    }
    // The same answer as the app's route.
    res.status(200).json({ ok: true });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  serveHost(
    { port },
    {
      async usage() {
        const u = process.resourceUsage();
        return { maxRssBytes: u.maxRSS * 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 };
      },
    },
    async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bare host failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
