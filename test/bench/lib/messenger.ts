/**
 * The app's outside world for the bench: credentials, the fake Graph API, fake Zalo OpenAPI and
 * fake Nominatim (all on loopback, in the runner process), and signed Messenger webhooks.
 */
import { FakeGraphApi } from '../../../dev/fakes/fake-graph-api';
import { FakeNominatim } from '../../../dev/fakes/fake-nominatim';
import { FakeZaloApi } from '../../../dev/fakes/fake-zalo-api';
import { createMessengerWebhooks } from '../../../dev/fakes/messenger-webhooks';
import type { BenchContext } from './context';
import type { PreparedRequest } from './http-load';

export const BENCH_MESSENGER = {
  accessToken: 'bench-page-token',
  appSecret: 'bench-app-secret',
  pageId: '1234567890',
  appId: '987654321',
  verifyToken: 'bench-verify-token',
} as const;

export const BENCH_ZALO = {
  appId: '4107330921648205127',
  appSecret: 'bench-zalo-app-secret',
  oaId: '2950471185532601093',
  oaSecretKey: 'BENCHONLY-oa-secret-key-0000',
  refreshToken: 'bench-refresh-token-0',
} as const;

export const MESSENGER_WEBHOOK_PATH = '/webhooks/messenger';
export const ZALO_WEBHOOK_PATH = '/webhooks/zalo';

export const benchWebhooks = createMessengerWebhooks({ appSecret: BENCH_MESSENGER.appSecret, pageId: BENCH_MESSENGER.pageId });

/** A signed webhook as bytes ready to post. */
export function prepared(req: { body: string; headers: Record<string, string> }): PreparedRequest {
  return { path: MESSENGER_WEBHOOK_PATH, headers: req.headers, body: Buffer.from(req.body, 'utf8') };
}

export interface Fakes {
  readonly graph: FakeGraphApi;
  readonly zalo: FakeZaloApi;
  readonly nominatim: FakeNominatim;
  /** Environment for hosts/app-host.ts: the database, the fakes' URLs, a data directory. */
  appHostEnv(databaseUrl: string): Record<string, string>;
}

/** Starts the fakes in this process; they stop when the suite ends. */
export async function startFakes(ctx: BenchContext): Promise<Fakes> {
  const graph = new FakeGraphApi({
    accessToken: BENCH_MESSENGER.accessToken,
    appSecret: BENCH_MESSENGER.appSecret,
    pageId: BENCH_MESSENGER.pageId,
    appId: BENCH_MESSENGER.appId,
  });
  await graph.start();
  ctx.defer(() => graph.stop());
  const zalo = new FakeZaloApi({ appId: BENCH_ZALO.appId, appSecret: BENCH_ZALO.appSecret, refreshToken: BENCH_ZALO.refreshToken });
  await zalo.start();
  ctx.defer(() => zalo.stop());
  const nominatim = new FakeNominatim();
  await nominatim.start();
  ctx.defer(() => nominatim.stop());
  return {
    graph,
    zalo,
    nominatim,
    appHostEnv: (databaseUrl) => ({
      BENCH_DATABASE_URL: databaseUrl,
      BENCH_GRAPH_URL: graph.url,
      BENCH_ZALO_URL: zalo.url,
      BENCH_GEOCODER_URL: nominatim.url,
      BENCH_DATA_DIR: ctx.tmpDir('app-data'),
    }),
  };
}
