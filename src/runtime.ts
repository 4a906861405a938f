/**
 * Wires the application from a validated config and an open database: repositories, use cases,
 * dialogs, bots, the inbox worker and the express app. Used by `main.ts` and by integration tests,
 * so tests exercise the same wiring as production.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type express from 'express';
import { Pool } from 'pg';
import { createRootDialog, type TextUnderstanding } from '../dialogs/root';
import { createMessengerBot } from './channels/messenger/messenger-bot';
import { createGeocoder } from './clients/geocoder/node-geocoder-adapter';
import { createMessengerClient } from './clients/graph/messenger-client';
import type { Config } from './config';
import type { CityProfile } from './domain/city-profile';
import { loadContent, type Content } from './storage/content-loader';
import type { CategorySuggester, Clock, Geocoder, PhotoIngest } from './domain/reports/ports';
import { ReportService } from './domain/reports/report-service';
import { createI18n, type I18n } from './i18n';
import { InboxWorker, type EventHandler } from './inbox/inbox-worker';
import { IngressGauge } from './inbox/ingress-gauge';
import type { Logger } from './logger';
import { downloadImage, FsImageStore, PhotoPipeline } from './media';
import { createApp } from './server/app';
import { messengerWebhookRouter } from './channels/messenger/messenger-webhook';
import { WebviewTokens } from './server/webview-token';
import type { Db } from './storage/db';
import { PgDraftsRepo } from './storage/drafts-repo';
import { PgInboxRepo, type InboundEventInput } from './storage/inbox-repo';
import { PgReportsRepo } from './storage/reports-repo';
import { PgResidentsRepo } from './storage/residents-repo';
import { PgSessionStore } from './storage/session-store';
import { keywordCategorySuggester } from './domain/reports/keyword-suggester';
import { createZaloBot } from './channels/zalo/zalo-bot';
import { ZaloOaClient } from './clients/zalo-oa';
import { PgZaloTokenStore } from './storage/zalo-token-repo';
import { PgContactsRepo } from './storage/contacts-repo';
import { zaloWebhookRouter } from './channels/zalo/zalo-webhook';
import PgBoss from 'pg-boss';
import { StatusNotifier } from './notifications/status-notifier';
import type { RootDialog } from '../dialogs/root';
import { FaqDialog } from '../dialogs/faq/faq-dialog';
import type { Nlu } from './nlu';
import type { Turn } from '../dialogs/types';

export interface RuntimeOptions {
  readonly config: Config;
  readonly db: Db;
  readonly logger: Logger;
  /** What `content/` holds (default: loaded for the configured city). */
  readonly content?: Content;
  readonly clock?: Clock;
  readonly geocoder?: Geocoder;
  readonly suggester?: CategorySuggester;
  readonly understanding?: TextUnderstanding;
  /** Trained language understanding; without it free text gets the menu (tests of other parts). */
  readonly nlu?: Nlu;
  /** Extra routes (the simulator) mounted before the 404 handler. */
  readonly extraRoutes?: (app: express.Express) => void;
  /** Inbox recovery poll interval. */
  readonly pollMs?: number;
}

export interface Runtime {
  readonly app: express.Express;
  readonly inbox: InboxWorker;
  readonly city: CityProfile;
  readonly i18n: I18n;
  readonly reports: ReportService;
  readonly residents: PgResidentsRepo;
  readonly publicUrl: string;
  readonly webviewTokens: WebviewTokens;
  readonly messenger: ReturnType<typeof createMessengerBot>;
  readonly zalo: ReturnType<typeof createZaloBot>;
  readonly zaloClient: ZaloOaClient;
  readonly notifier: StatusNotifier;
  /** Starts background work: inbox recovery and the notification queue. */
  start(): Promise<void>;
  /** Stops background work and closes the lock pool (not the main database). */
  stop(): Promise<void>;
}

export function createRuntime(o: RuntimeOptions): Runtime {
  const { config, db, logger } = o;
  const clock = o.clock ?? { now: () => new Date() };
  const publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const content = o.content ?? loadContent({ city: config.cityProfile });
  const { city, categories, categoryLabels } = content;
  const i18n = createI18n();

  const residents = new PgResidentsRepo(db);
  const drafts = new PgDraftsRepo(db);
  const reportsRepo = new PgReportsRepo(db);
  const sessionStore = new PgSessionStore(db);
  const images = new FsImageStore(path.join(config.dataDir, 'media'));
  const pipeline = new PhotoPipeline({ store: images, maxBytes: config.photos.maxBytes });
  const photos: PhotoIngest = {
    async ingest(url) {
      const bytes = await downloadImage(url, { timeoutMs: config.photos.downloadTimeoutMs, maxBytes: config.photos.maxBytes });
      const p = await pipeline.process(bytes);
      await db.query(
        'INSERT INTO media (key, content_type, bytes, width, height) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING',
        [p.key, p.contentType, p.bytes, p.width, p.height],
      );
      return { key: p.key, thumbKey: p.thumbKey, width: p.width, height: p.height, gps: p.gps };
    },
  };
  const geocoder =
    o.geocoder ??
    createGeocoder({
      provider: config.geocoder.provider,
      url: config.geocoder.url,
      countryCode: city.geocoder.countryCode,
      suffix: city.geocoder.suffix,
      language: 'vi',
      logger,
    });
  const reports = new ReportService({
    drafts,
    reports: reportsRepo,
    photos,
    geocoder,
    suggester: o.suggester ?? o.nlu ?? keywordCategorySuggester,
    city,
    categories,
    clock,
    draftIdleHours: config.draftIdleHours,
  });

  const webviewSecret = crypto
    .createHash('sha256')
    .update(`webview:${config.messenger.appSecret}:${config.zalo.oaSecretKey}`)
    .digest('hex');
  const webviewTokens = new WebviewTokens(webviewSecret);
  const pickerUrl = (channel: 'messenger' | 'zalo', userId: string, locale: 'vi' | 'en') => {
    return `${publicUrl}/webview/location?t=${encodeURIComponent(webviewTokens.sign(channel, userId))}&lang=${locale}`;
  };

  const contacts = new PgContactsRepo(db);
  // Filled once the Messenger client exists (the FAQ dialog's handover passes the thread to the Page Inbox).
  let passToInbox: (psid: string) => Promise<void> = async () => undefined;
  const handover = async (turn: Turn, reason: string) => {
    await db.query('INSERT INTO staff_handovers (resident_id, channel, reason) VALUES ($1, $2, $3)', [turn.resident.id, turn.channel, reason]);
    if (turn.channel === 'messenger') await passToInbox(turn.userId).catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'pass thread control failed'));
    logger.info({ channel: turn.channel }, 'conversation handed to staff');
  };
  const faq = o.nlu
    ? new FaqDialog({ nlu: o.nlu, kb: content.kb, city, hotline: city.hotline, i18n, handover })
    : undefined;
  const baseRoot = createRootDialog({
    contacts,
    reports,
    i18n,
    city,
    categories,
    categoryLabels,
    draftIdleHours: config.draftIdleHours,
    understanding: o.understanding ?? faq,
    extraPayloads: faq ? (turn, payload) => faq.handlePayload(turn, payload) : undefined,
  });

  // Notifications parked while a messaging window was closed go out when the resident writes again.
  let notifier: StatusNotifier | undefined;
  const root: RootDialog = async (turn) => {
    if (notifier && turn.input.kind !== 'receipt' && turn.resident.hasDeferredNotifications !== false) await notifier.flushDeferred(turn.resident.id, (text) => turn.send([{ text }]));
    await baseRoot(turn);
  };

  const messengerClient = createMessengerClient({
    accessToken: config.messenger.accessToken,
    appId: config.messenger.appId,
    appSecret: config.messenger.appSecret,
    origin: config.messenger.apiUrl,
  });
  passToInbox = async (psid) => {
    await messengerClient.passThreadControlToPageInbox(psid);
  };
  const messenger = createMessengerBot({
    client: messengerClient,
    appId: config.messenger.appId,
    appSecret: config.messenger.appSecret,
    verifyToken: config.messenger.verifyToken,
    sessionStore,
    root,
    residents,
    i18n,
    logger,
    hotline: city.hotline,
    pickerUrl,
  });

  const zaloClient = new ZaloOaClient({
    appId: config.zalo.appId,
    appSecret: config.zalo.appSecret,
    oaId: config.zalo.oaId,
    tokenStore: new PgZaloTokenStore(db),
    initialRefreshToken: config.zalo.refreshToken,
    initialAccessToken: config.zalo.accessToken,
    apiUrl: config.zalo.apiUrl,
    oauthUrl: config.zalo.oauthUrl,
    logger,
  });
  const zalo = createZaloBot({
    client: zaloClient,
    appId: config.zalo.appId,
    oaSecretKey: config.zalo.oaSecretKey,
    sessionStore,
    root,
    residents,
    i18n,
    logger,
    hotline: city.hotline,
    pickerUrl,
    requestImageUrl: `${publicUrl}/static/contact-banner.png`,
  });

  const lockPool = new Pool({ connectionString: connectionStringOf(db), max: 30 });
  lockPool.on('error', () => undefined);
  const handlers: Record<string, EventHandler> = {
    messenger: async (ev) => {
      await messenger.handle(ev.body);
    },
    zalo: async (ev) => {
      await zalo.handle(ev.body);
    },
  };
  const ingress = new IngressGauge();
  const inbox = new InboxWorker({ inbox: new PgInboxRepo(db), lockPool, handlers, logger, pollMs: o.pollMs, ingress });

  const syntheticLocation = {
    messenger: (userId: string, lat: number, lng: number): InboundEventInput => {
      const mid = `webview-${crypto.randomUUID()}`;
      const now = Date.now();
      return {
        channel: 'messenger',
        dedupeKey: `mid:${mid}`,
        conversationKey: `messenger:${userId}`,
        kind: 'message',
        body: {
          object: 'page',
          entry: [{ id: config.messenger.pageId, time: now, messaging: [{ sender: { id: userId }, recipient: { id: config.messenger.pageId }, timestamp: now, message: { mid, attachments: [{ type: 'location', payload: { coordinates: { lat, long: lng } } }] } }] }],
        },
      };
    },
  };

  const boss = new PgBoss({ connectionString: connectionStringOf(db), max: 4 });
  boss.on('error', (err: Error) => logger.warn({ err: err.message }, 'job queue error'));
  notifier = new StatusNotifier({
    db,
    boss,
    messenger: messengerClient,
    zalo: zaloClient,
    i18n,
    logger,
    windows: { messengerWindowHours: config.messenger.windowHours, zaloWindowDays: config.zalo.windowDays, zbsStatusTemplateId: config.zalo.zbsStatusTemplateId },
    now: () => clock.now(),
  });
  const statusNotifier = notifier;

  const zaloSynthetic = (userId: string, lat: number, lng: number): InboundEventInput => {
    const msgId = `webview-${crypto.randomUUID()}`;
    return {
      channel: 'zalo',
      dedupeKey: msgId,
      conversationKey: `zalo:${userId}`,
      kind: 'location',
      body: {
        app_id: config.zalo.appId,
        event_name: 'user_send_location',
        timestamp: String(Date.now()),
        sender: { id: userId },
        recipient: { id: config.zalo.oaId },
        message: { msg_id: msgId, attachments: [{ type: 'location', payload: { coordinates: { latitude: String(lat), longitude: String(lng) } } }] },
      },
    };
  };

  const app = createApp({
    logger,
    db,
    inbox,
    reports: reportsRepo,
    images,
    city,
    publicUrl,
    webviewTokens,
    mapTileUrl: config.mapTileUrl,
    syntheticLocation: { ...syntheticLocation, zalo: zaloSynthetic },
    webhooks: {
      messenger: messengerWebhookRouter({ connector: messenger.connector as never, inbox, logger, bodyLimit: config.webhookBodyLimit, ingress }),
      zalo: zaloWebhookRouter({ verify: (raw, header) => zalo.connector.verify(raw, header), inbox, logger, bodyLimit: config.webhookBodyLimit, ingress }),
    },
    extraRoutes: o.extraRoutes,
  });

  return {
    app,
    inbox,
    city,
    i18n,
    reports,
    residents,
    publicUrl,
    webviewTokens,
    messenger,
    zalo,
    zaloClient,
    notifier: statusNotifier,
    async start() {
      inbox.start();
      await boss.start();
      await statusNotifier.start();
    },
    async stop() {
      await inbox.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 5000 }).catch(() => undefined);
      await lockPool.end();
    },
  };
}

function connectionStringOf(db: Db): string {
  const opts = (db.pool as unknown as { options: { connectionString?: string } }).options;
  if (!opts.connectionString) throw new Error('the database pool must be created from a connection string');
  return opts.connectionString;
}
