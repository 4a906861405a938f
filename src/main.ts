/**
 * Composition root for `npm start`: config → database (DATABASE_URL, else embedded PostgreSQL under
 * DATA_DIR) → migrations → fakes + simulator when a channel has no credentials → app → listen.
 */
import type { Server } from 'node:http';
import { ConfigError, FAKE_SECRETS, loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { createRuntime } from './runtime';
import { createDb, type Db } from './storage/db';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from './storage/embedded-postgres';
import { migrate } from './storage/migrate';
import { loadCityProfile } from './domain/city-profile';
import { createNlu } from './domain/nlu';
import { setUpMessengerProfile } from './channels/messenger/messenger-profile';

interface Closable {
  close(): Promise<void> | void;
}

async function openDatabase(config: Config, logger: Logger): Promise<{ db: Db; embedded: EmbeddedServer | null }> {
  if (config.databaseUrl) return { db: createDb(config.databaseUrl), embedded: null };
  logger.info({ dataDir: config.dataDir }, 'DATABASE_URL not set: starting the embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres(config.dataDir, (m) => logger.debug({ pg: m }, 'postgres'));
  const url = await ensureDatabase(embedded.url, 'phananh');
  return { db: createDb(url), embedded };
}

/** Starts the fakes the configuration asks for and returns a config pointing at them. */
async function startDevelopmentFakes(config: Config, closers: Closable[], logger: Logger) {
  /* eslint-disable @typescript-eslint/no-require-imports -- the fakes live under test/ and load only in development */
  let effective = config;
  let graph: import('../test/fakes/fake-graph-api').FakeGraphApi | undefined;
  if (!config.messenger.real) {
    const { FakeGraphApi } = require('../test/fakes/fake-graph-api') as typeof import('../test/fakes/fake-graph-api');
    graph = new FakeGraphApi({ accessToken: FAKE_SECRETS.messengerAccessToken, appSecret: FAKE_SECRETS.messengerAppSecret, pageId: config.messenger.pageId, appId: config.messenger.appId });
    await graph.start();
    closers.push({ close: () => graph!.stop() });
    effective = { ...effective, messenger: { ...effective.messenger, apiUrl: graph.url } };
    logger.info({ url: graph.url }, 'no Messenger credentials: using the in-repo fake Graph API');
  }
  let zalo: import('../test/fakes/fake-zalo-api').FakeZaloApi | undefined;
  if (!config.zalo.real) {
    const { FakeZaloApi } = require('../test/fakes/fake-zalo-api') as typeof import('../test/fakes/fake-zalo-api');
    zalo = new FakeZaloApi({ appId: FAKE_SECRETS.zaloAppId, appSecret: FAKE_SECRETS.zaloAppSecret, refreshToken: FAKE_SECRETS.zaloRefreshToken });
    await zalo.start();
    closers.push({ close: () => zalo!.stop() });
    effective = { ...effective, zalo: { ...effective.zalo, apiUrl: zalo.url, oauthUrl: zalo.url } };
    logger.info({ url: zalo.url }, 'no Zalo credentials: using the in-repo fake Zalo OpenAPI');
  }
  if (!config.geocoder.url && config.simulator) {
    const { FakeNominatim } = require('../test/fakes/fake-nominatim') as typeof import('../test/fakes/fake-nominatim');
    const nominatim = new FakeNominatim();
    await nominatim.start();
    closers.push({ close: () => nominatim.stop() });
    effective = { ...effective, geocoder: { ...effective.geocoder, url: nominatim.url } };
    logger.info('simulator mode without GEOCODER_URL: typed addresses use a small offline gazetteer of Huế');
  }
  return { config: effective, graph, zalo };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const closers: Closable[] = [];
  const { db, embedded } = await openDatabase(config, logger);
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const fakes = await startDevelopmentFakes(config, closers, logger);
  const effective = fakes.config;
  let baseUrl = effective.publicUrl ?? `http://localhost:${effective.port}`;

  const nlu = createNlu();
  logger.info({ trainingMs: Math.round(nlu.trainingMs) }, 'language model trained');
  const rt = createRuntime({
    config: effective,
    db,
    logger,
    nlu,
    extraRoutes: (app) => {
      if (!effective.simulator || !fakes.graph) return;
      /* eslint-disable @typescript-eslint/no-require-imports -- development only */
      const sim = require('../test/simulator/simulator-routes') as typeof import('../test/simulator/simulator-routes');
      const { createMessengerWebhooks } = require('../test/fakes/messenger-webhooks') as typeof import('../test/fakes/messenger-webhooks');
      const { createZaloWebhooks } = require('../test/fakes/zalo-webhooks') as typeof import('../test/fakes/zalo-webhooks');
      /* eslint-enable @typescript-eslint/no-require-imports */
      sim.mountSimulator(app, {
        appBaseUrl: () => baseUrl,
        graph: fakes.graph,
        messengerWebhooks: createMessengerWebhooks({ appSecret: FAKE_SECRETS.messengerAppSecret, pageId: effective.messenger.pageId }),
        zalo: fakes.zalo,
        zaloWebhooks: fakes.zalo ? createZaloWebhooks({ appId: FAKE_SECRETS.zaloAppId, oaId: FAKE_SECRETS.zaloOaId, oaSecretKey: FAKE_SECRETS.zaloOaSecretKey }) : undefined,
        center: loadCityProfile(effective.cityProfile).map.center,
      });
    },
  });
  await rt.start();

  const server: Server = await new Promise((resolve) => {
    const s = rt.app.listen(effective.port, () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : effective.port;
  baseUrl = `http://127.0.0.1:${port}`;
  logger.info({ port, simulator: effective.simulator ? `${effective.publicUrl ?? `http://localhost:${port}`}/simulator` : 'off' }, 'phananh-bot listening');

  await setUpMessengerProfile(rt.messenger.connector.client as never, rt.i18n, logger).catch((err: unknown) =>
    logger.warn({ err: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'could not set the Messenger Get Started button and menu'),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await new Promise<void>((r) => server.close(() => r()));
    await rt.stop();
    for (const c of closers.reverse()) await c.close();
    await db.close();
    if (embedded) await embedded.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`phananh-bot failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}
