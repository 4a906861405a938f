/**
 * Composition root for `npm start`: config → database (DATABASE_URL, else embedded PostgreSQL under
 * DATA_DIR) → migrations → fakes + simulator when a channel has no credentials → app → listen.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config';
import type { DevToolsModule } from './dev-tools';
import { createLogger, type Logger } from './logger';
import { createRuntime } from './runtime';
import { createDb, type Db } from './storage/db';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from './storage/embedded-postgres';
import { migrate } from './storage/migrate';
import { loadContent } from './storage/content-loader';
import { createNlu } from './nlu';
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

/** The development tools (fakes, simulator) from `dev/`, loaded only in simulator mode. */
function loadDevTools(): DevToolsModule {
  // A computed path keeps dev/ out of the production build's module graph (dist/ has no dev/).
  const file = path.join(__dirname, '..', 'dev', 'index');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- development only, loaded on demand
    return require(file) as DevToolsModule;
  } catch (err) {
    throw new Error(`The simulator needs the development tools in dev/ (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); run it with npm start from a checkout, or set SIMULATOR=off`);
  }
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

  const dev = config.simulator ? await loadDevTools().startDevTools(config, logger) : null;
  if (dev) closers.push({ close: () => dev.stop() });
  const effective = dev?.config ?? config;
  let baseUrl = effective.publicUrl ?? `http://localhost:${effective.port}`;

  const content = loadContent({ city: effective.cityProfile });
  const nlu = createNlu(content.training);
  logger.info({ trainingMs: Math.round(nlu.trainingMs) }, 'language model trained');
  const rt = createRuntime({
    config: effective,
    db,
    logger,
    nlu,
    content,
    extraRoutes: (app) => dev?.mount(app, () => baseUrl, content.city.map.center),
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
