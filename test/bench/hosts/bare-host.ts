/**
 * Child process: the baseline for webhook acks. A bare express 5 endpoint doing only what any
 * Messenger webhook must: read the raw body, check `X-Hub-Signature-256` (HMAC-SHA256, constant-time
 * compare) and answer 200. Deliberately independent of src/ so it measures the floor, not our code.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { prepareHost, serveHost } from '../lib/host-side';
import { BENCH_MESSENGER, MESSENGER_WEBHOOK_PATH } from '../lib/messenger';

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
