/**
 * The composition root. `main()` is `npm start`: config → database (DATABASE_URL, else an embedded
 * PostgreSQL under DATA_DIR) → migrations → development fakes and simulator when asked → the
 * application → listen → signals. `createApplication()` wires everything from a validated config
 * and an open database; integration tests and benchmarks use it, so they run the production wiring.
 * Only this file constructs the concrete repositories, clients and use cases.
 */
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import path from 'node:path';
import type express from 'express';
import { Pool } from 'pg';
import { createRootDialog, type RootDialog, type TextUnderstanding } from '../dialogs/root';
import { FaqDialog } from '../dialogs/faq/faq-dialog';
import { VerdictDialog, verdictMenu } from '../dialogs/verdict/verdict-dialog';
import { ChangeStatus } from './app/change-status';
import { CloseResolved } from './app/close-resolved';
import { FileReport } from './app/file-report';
import { HandOver } from './app/hand-over';
import { HandoverQueue } from './app/handover-queue';
import { NotifyResident } from './app/notify-resident';
import { ResidentVerdict } from './app/rate';
import { PhotoRedaction } from './app/photo-redaction';
import { RecordPhoto } from './app/record-photo';
import { ReplyToResident } from './app/reply-to-resident';
import { ReportQueries } from './app/report-queries';
import { Broadcasts } from './app/broadcasts';
import { broadcastsApi } from './console/api/broadcasts-api';
import { broadcastPages } from './console/pages/broadcasts-pages';
import { systemActor } from './domain/staff/actor';
import { PgBroadcastsRepo } from './storage/broadcasts-repo';
import { createCardRenderer } from './media/cards';
import { ImageCardStore } from './media/card-store';
import { zaloGroupPublisher } from './channels/zalo/zalo-group-publisher';
import { zaloGroupDirectory } from './channels/zalo/zalo-group-directory';
import { pagePostPublisher } from './channels/messenger/page-post-publisher';
import { PagePublisher } from './clients/graph/page-publisher';
import { PurgeRetained } from './app/purge-retained';
import { RemindOverdue, StaffNoticeQueries } from './app/remind-overdue';
import { RouteReport } from './app/route-report';
import { StaffReportActions } from './app/staff-report-actions';
import { StaffReportQueries } from './app/staff-report-queries';
import { SaveContact } from './app/save-contact';
import { createMessengerBot } from './channels/messenger/messenger-bot';
import { messengerTranscriptInbound } from './channels/messenger/messenger-transcript';
import { setUpMessengerProfile } from './channels/messenger/messenger-profile';
import { messengerResidentChannel } from './channels/messenger/messenger-resident-channel';
import { messengerLocationEvent, messengerWebhookAdapter } from './channels/messenger/messenger-webhook';
import { disabledWebhook, webhookRouter } from './channels/webhook-router';
import { createZaloBot } from './channels/zalo/zalo-bot';
import { zaloResidentChannel } from './channels/zalo/zalo-resident-channel';
import { zaloTranscriptInbound } from './channels/zalo/zalo-transcript';
import { ZaloTemplateSupport } from './channels/zalo/zalo-turn';
import { zaloLocationEvent, zaloWebhookAdapter } from './channels/zalo/zalo-webhook';
import { createGeocoder } from './clients/geocoder/node-geocoder-adapter';
import { SmtpMailer } from './clients/mail/smtp-mailer';
import { createMessengerClient } from './clients/graph/messenger-client';
import { ZaloOaClient } from './clients/zalo-oa';
import { ConfigError, loadConfig, type Config } from './config';
import { LiveContentStore } from './app/content-store';
import { EditContent } from './app/edit-content';
import { LiveLanguageModel } from './app/language-model';
import { contentPages } from './console/pages/content-pages';
import { PgContentOverridesRepo } from './storage/content-overrides-repo';
import { createStaffConsole, type StaffConsole } from './console';
import { createReportDesk } from './console/reports/desk';
import { handoverPages } from './console/pages/handovers-pages';
import { registerRedactionConsole } from './console/redaction';
import type { DevToolsModule } from './dev-tools';
import type { FaceDetector } from './domain/photos/ports';
import type { OutboundMessage } from './domain/messages';
import type { ResidentChannels } from './domain/notifications/ports';
import type { CategorySuggester, Clock, Geocoder } from './domain/reports/ports';
import { keywordCategorySuggester } from './domain/reports/keyword-suggester';
import type { Channel } from './domain/shared/ids';
import { createI18n, type I18n } from './i18n';
import { InboxWorker, type EventHandler } from './inbox/inbox-worker';
import { OutboxDelivery, type ReplySender } from './inbox/outbox-delivery';
import { IngressGauge } from './inbox/ingress-gauge';
import { JobQueue } from './jobs/job-queue';
import { broadcastDelivery, closeResolved, overdueReminders, photoRedaction, photoRedactionSweep, purgeRetained, residentNotice, weeklyDigest, weeklyReport } from './jobs/queues';
import { createLogger, type Logger } from './logger';
import { downloadImage, FsImageStore, ingestPhotos, PhotoPipeline, SharpRedactionRenderer, WorkerFaceDetector } from './media';
import { createNlu, type Nlu } from './nlu';
import { createApp, mediaUrl } from './server/app';
import { WebviewTokens } from './server/webview-token';
import { loadContent, type Content } from './storage/content-loader';
import { PgContactsRepo } from './storage/contacts-repo';
import { PgConversationLog } from './storage/conversation-log';
import { PgConversationSessions } from './storage/conversation-sessions';
import { createDb, guardClientErrors, type Db } from './storage/db';
import { PgDeferredNoticesRepo } from './storage/deferred-notices-repo';
import { PgDraftsRepo } from './storage/drafts-repo';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from './storage/embedded-postgres';
import { PgHandoversRepo } from './storage/handovers-repo';
import { PgInboxRepo, type InboundEventInput, type InboundEventRow } from './storage/inbox-repo';
import { PgOutboxRepo } from './storage/outbox-repo';
import { PgMediaRepo } from './storage/media-repo';
import { PgPhotoRedactionsRepo } from './storage/photo-redactions-repo';
import { migrate } from './storage/migrate';
import { PgReportsRepo } from './storage/reports-repo';
import { PgResidentsRepo } from './storage/residents-repo';
import { PgSessionStore } from './storage/session-store';
import { PgZaloTokenStore } from './storage/zalo-token-repo';
import { PgWebviewTokenUses } from './storage/webview-token-uses-repo';
import { PgRetentionRepo } from './storage/retention-repo';
import { PgAuditLog } from './storage/audit-repo';
import { PgStaffApiKeysRepo } from './storage/staff-api-keys-repo';
import { PgPasswordLinksRepo } from './storage/staff-password-links-repo';
import { PgStaffSessionStore } from './storage/staff-session-store';
import { PgStaffTokensRepo } from './storage/staff-tokens-repo';
import { PgStaffUsersRepo } from './storage/staff-users-repo';
import { PgStaffNoticesRepo, PgStaffReportsRepo } from './storage/staff-reports-repo';
// ── Issue 13: Open311, the public page, analytics and the weekly report ──
import { Analytics } from './app/analytics';
import { Open311Intake } from './app/open311-intake';
import { PublicReports } from './app/public-reports';
import type { PublicPhotos } from './domain/public/public-report';
import { publicFactsOf } from './domain/public/public-site-profile';
import { analyticsPages } from './console/pages/analytics-pages';
import { renderCaseCard } from './media/case-card';
import { open311Router } from './server/open311/open311-router';
import { publicSite } from './server/public-site/public-site';
import { PgAnalyticsRepo } from './storage/analytics-repo';
import { PgOpen311Repo } from './storage/open311-repo';
import { PgPublicReportsRepo } from './storage/public-reports-repo';
import { wardNames } from './storage/ward-names';
// ── end of issue 13 imports ──

export interface ApplicationOptions {
  readonly config: Config;
  readonly db: Db;
  readonly logger: Logger;
  /** What `content/` holds (default: loaded for the configured city). */
  readonly content?: Content;
  /** Trained language understanding; without it free text gets the menu (tests of other parts). */
  readonly nlu?: Nlu;
  readonly clock?: Clock;
  readonly geocoder?: Geocoder;
  readonly suggester?: CategorySuggester;
  readonly understanding?: TextUnderstanding;
  /** Extra routes (the simulator) mounted before the 404 handler; gets the staff console for sign-in. */
  readonly extraRoutes?: (app: express.Express, staff: StaffConsole) => void;
  /** Inbox recovery poll interval. */
  readonly pollMs?: number;
  /** Back-off between attempts of a failed turn (tests shorten it). */
  readonly retryBackoffMs?: readonly number[];
  /** The face detector of photo redaction (default: face-api in a worker thread, closed by `stop`; one given here is the giver's to close). */
  readonly faceDetector?: FaceDetector;
  /**
   * Issue 13: the redacted copy of a stored photo for public surfaces (the photo redaction module's
   * `publicPhotos`). Default: the redaction module.
   */
  readonly publicPhotos?: PublicPhotos;
}

export interface Application {
  readonly app: express.Express;
  readonly inbox: InboxWorker;
  readonly jobs: JobQueue;
  /** The shipped content (`content/`); what the bot uses now is `liveContent.current()`. */
  readonly content: Content;
  /** The shipped content with the console's edits over it, swapped at run time. */
  readonly liveContent: LiveContentStore;
  /** The language model in use (retrained in the background when FAQ examples change); absent without `nlu`. */
  readonly languageModel: LiveLanguageModel | undefined;
  readonly i18n: I18n;
  readonly publicUrl: string;
  readonly webviewTokens: WebviewTokens;
  readonly residents: PgResidentsRepo;
  /** The staff console: guards, audit (`staff.audit.record`), `devAdmin()` for the simulator page. */
  readonly staff: StaffConsole;
  readonly useCases: {
    readonly fileReport: FileReport;
    readonly queries: ReportQueries;
    readonly changeStatus: ChangeStatus;
    readonly verdict: ResidentVerdict;
    readonly closeResolved: CloseResolved;
    readonly notify: NotifyResident;
    readonly handOver: HandOver;
    readonly handovers: HandoverQueue;
    readonly editContent: EditContent;
    readonly reply: ReplyToResident;
    readonly recordPhoto: RecordPhoto;
    readonly purgeRetained: PurgeRetained;
    readonly broadcasts: Broadcasts;
    /** The staff report desk (issue 11): list/detail/CSV reads, staff actions, the overdue reminder. */
    readonly reportDesk: { readonly queries: StaffReportQueries; readonly actions: StaffReportActions; readonly remindOverdue: RemindOverdue };
    /** What the public sees of photos: `publicPhotoKey` / `publicThumbKey` / `publicPhotos` (null / absent: not public yet). */
    readonly photoRedaction: PhotoRedaction;
    /** Issue 13. */
    readonly publicReports: PublicReports;
    readonly open311Intake: Open311Intake;
    readonly analytics: Analytics;
  };
  /** Platform clients of the enabled channels. */
  readonly clients: { readonly messenger?: ReturnType<typeof createMessengerClient>; readonly zalo?: ZaloOaClient };
  /** Starts background work: inbox recovery and the job queue. */
  start(): Promise<void>;
  /** Stops background work and closes the lock pool (not the main database). */
  stop(): Promise<void>;
}

export function createApplication(o: ApplicationOptions): Application {
  const { config, db, logger } = o;
  const clock: Clock = o.clock ?? { now: () => new Date() };
  const publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const content = o.content ?? loadContent({ city: config.cityProfile });
  const { city, categories, categoryLabels } = content;

  // ── Content without a developer: the shipped content/ with the console's edits over it, read at
  // each use (`live()`), and the language model retrained in the background when examples change ──
  const contentRepo = new PgContentOverridesRepo(db);
  const liveContent = new LiveContentStore({ base: { city: content.city, kb: content.kb }, repo: contentRepo, logger });
  const live = () => liveContent.current();
  const languageModel = o.nlu ? new LiveLanguageModel({ initial: o.nlu, train: (data) => createNlu(data), logger }) : undefined;
  liveContent.onChange((now, change) => {
    if (change.examplesChanged && languageModel) languageModel.retrain({ ...content.training, kb: now.kb });
  });
  // ── end of content ──
  const i18n = createI18n();
  const toMediaUrl = (key: string) => mediaUrl(publicUrl, key);

  // Storage
  const residents = new PgResidentsRepo(db);
  const reports = new PgReportsRepo(db);
  const sessionStore = new PgSessionStore(db);
  const images = new FsImageStore(path.join(config.dataDir, 'media'));
  const deferred = new PgDeferredNoticesRepo(db);
  /** The one audit writer of staff changes (use cases and the console record through it). */
  const audit = new PgAuditLog({ db, clock, logger });
  const jobs = new JobQueue({ connectionString: connectionStringOf(db), logger });
  const editContent = new EditContent({ store: liveContent, repo: contentRepo, audit, categories });

  // Platform clients of the enabled channels
  const messengerClient = config.messenger
    ? createMessengerClient({ accessToken: config.messenger.accessToken, appId: config.messenger.appId, appSecret: config.messenger.appSecret, origin: config.messenger.apiUrl })
    : undefined;
  const zaloClient = config.zalo
    ? new ZaloOaClient({
        appId: config.zalo.appId,
        appSecret: config.zalo.appSecret,
        oaId: config.zalo.oaId,
        // A refreshed token pair must stand whatever a turn does (refresh tokens are single-use).
        tokenStore: new PgZaloTokenStore(db.independent),
        initialRefreshToken: config.zalo.refreshToken,
        initialAccessToken: config.zalo.accessToken,
        apiUrl: config.zalo.apiUrl,
        oauthUrl: config.zalo.oauthUrl,
        logger,
      })
    : undefined;
  const zaloTemplates = new ZaloTemplateSupport();
  const residentChannels: ResidentChannels = {
    ...(messengerClient ? { messenger: messengerResidentChannel(messengerClient) } : {}),
    ...(zaloClient ? { zalo: zaloResidentChannel({ client: zaloClient, i18n, logger, support: zaloTemplates }) } : {}),
  };

  // ── Photo redaction: faces found by a worker-thread detector (queued job), staff boxes, public copies ──
  const ownDetector = o.faceDetector ? null : new WorkerFaceDetector({ onOutput: (line) => logger.debug({ detector: line.slice(0, 200) }, 'face detector output') });
  const faceDetector: FaceDetector = o.faceDetector ?? ownDetector!;
  const photoRedactionUseCase = new PhotoRedaction({
    repo: new PgPhotoRedactionsRepo({ db, clock, logger }),
    detector: faceDetector,
    renderer: new SharpRedactionRenderer({ store: images }),
    images,
    jobs,
  });
  jobs.register(photoRedaction, async ({ key }) => {
    const outcome = await photoRedactionUseCase.detect(key);
    if (outcome === 'unknown') logger.warn({ photo: key.slice(0, 12) }, 'photo redaction job for a photo that is not recorded; dropped');
  });
  jobs.register(photoRedactionSweep, async () => {
    const n = await photoRedactionUseCase.sweep();
    if (n > 0) logger.info({ queued: n }, 'photos still waiting for face detection queued again');
  });
  // ── end of photo redaction ──

  // Use cases
  const recordPhoto = new RecordPhoto({
    download: (url) => downloadImage(url, { timeoutMs: config.photos.downloadTimeoutMs, maxBytes: config.photos.maxBytes, allow: config.photos.fetchAllow }),
    bounded: (urls, allowed, ingest) => ingestPhotos(urls, { allowed, ingest }),
    processor: new PhotoPipeline({ store: images, maxBytes: config.photos.maxBytes }),
    media: new PgMediaRepo(db),
    redaction: photoRedactionUseCase,
  });
  const geocoder =
    o.geocoder ??
    createGeocoder({ provider: config.geocoder.provider, url: config.geocoder.url, countryCode: city.geocoder.countryCode, suffix: city.geocoder.suffix, language: 'vi', logger });
  // ── Report desk (issue 11): routing at filing (ward from the point, proposed agency) ──
  const routeReport = new RouteReport(content.routing);
  // ── end ──
  const fileReport = new FileReport({
    drafts: new PgDraftsRepo(db),
    reports,
    photos: recordPhoto,
    geocoder,
    suggester: o.suggester ?? languageModel ?? keywordCategorySuggester,
    city,
    categories,
    clock,
    draftIdleHours: config.draftIdleHours,
    routing: routeReport,
  });
  const queries = new ReportQueries({ reports, mediaUrl: toMediaUrl, publicPhotos: (keys) => photoRedactionUseCase.publicPhotos(keys) });
  const changeStatus = new ChangeStatus({ reports, jobs, city, clock, reopenDays: config.reopenDays });
  const verdict = new ResidentVerdict({ changeStatus, reports });
  const closeResolvedReports = new CloseResolved({ reports, changeStatus, clock, reopenDays: config.reopenDays });
  // ── The resident's side: a question sent outside a turn becomes the conversation's choice point ──
  const conversationSessions = new PgConversationSessions(db);
  const rememberQuestion = async (resident: { channel: Channel; platformUserId: string; locale: 'vi' | 'en' }, question: OutboundMessage) => {
    const menu = verdictMenu(question, i18n.forLocale(resident.locale));
    if (menu) await conversationSessions.patchState(resident.channel, resident.platformUserId, { menu, misses: 0 });
  };
  const notify = new NotifyResident({ reports, residents, channels: residentChannels, deferred, windows: config.windows, clock, i18n, logger, city, mediaUrl: toMediaUrl, onAsked: rememberQuestion });
  // ── end of the resident's side ──
  const handovers = new PgHandoversRepo(db);
  const handOver = new HandOver({
    handovers,
    passToPeople: messengerClient ? { messenger: async (psid) => void (await messengerClient.passThreadControlToPageInbox(psid)) } : {},
    logger,
  });
  const reply = new ReplyToResident({ residents, channels: residentChannels, windows: config.windows, clock });
  // ── Hand-over queue: transcripts read with the channels' own inbound mapping ──
  const handoverQueue = new HandoverQueue({
    handovers,
    log: new PgConversationLog(db),
    residents,
    reports,
    reply,
    sessions: conversationSessions,
    takeBack: messengerClient ? { messenger: async (psid) => void (await messengerClient.takeThreadControl(psid)) } : {},
    channels: residentChannels,
    windows: config.windows,
    clock,
    i18n,
    audit,
    logger,
    readInbound: { messenger: messengerTranscriptInbound, zalo: zaloTranscriptInbound },
    composeNotice: (report, event, locale) => notify.compose(report, event, locale),
  });
  // ── end of the hand-over queue ──

  jobs.register(residentNotice, async (job) => void (await notify.deliver(job)));
  jobs.register(closeResolved, async () => {
    const n = await closeResolvedReports.run();
    if (n > 0) logger.info({ closed: n }, 'resolved reports closed after the reopen window');
  });
  // ── Report desk (issue 11): staff reads and actions, the daily overdue reminder ──
  const staffReports = new PgStaffReportsRepo(db);
  // Canned replies are read from the live content at each report page: an admin's edit shows at once.
  const staffReportQueries = new StaffReportQueries({ reports: staffReports, city, routing: content.routing, cannedReplies: () => live().city.cannedReplies, clock, mediaUrl: toMediaUrl, publicPhotos: (keys) => photoRedactionUseCase.publicPhotos(keys) });
  const staffReportActions = new StaffReportActions({ reports: staffReports, queries: staffReportQueries, changeStatus, recordPhoto, routing: routeReport, audit, clock, city, categories });
  const staffNotices = new PgStaffNoticesRepo(db);
  // E-mail only where SMTP is configured; without SMTP_URL there is no mailer and nothing else changes.
  const mailer = config.smtp ? new SmtpMailer({ url: config.smtp.url, from: config.smtp.from }) : null;
  const remindOverdue = new RemindOverdue({
    reports: staffReports,
    notices: staffNotices,
    clock,
    timezone: city.timezone,
    logger,
    mail: mailer ? { mailer, agencies: city.agencies, publicUrl, ioc: city.ioc.vi, t: i18n.forLocale('vi') } : null,
  });
  jobs.register(overdueReminders, async () => {
    const out = await remindOverdue.run();
    if (out.notices > 0) logger.info(out, 'overdue reminders written to the console (and mailed where an agency has an email)');
  });
  // ── end of the report desk's use cases ──
  const purge = new PurgeRetained({ retention: new PgRetentionRepo(db), clock, retentionDays: config.inboxRetentionDays });
  jobs.register(purgeRetained, async () => {
    const n = await purge.run();
    if (n > 0) logger.info({ purged: n }, 'old webhook bodies purged');
  });

  // Broadcasts of resolved cases into the OA's Zalo groups and onto the Facebook Page.
  // The city's public facts (public page, Open311, weekly report; the default of residents' consent).
  const facts = publicFactsOf(city);
  const broadcastsRepo = new PgBroadcastsRepo(db);
  const wardNameOf = new Map(content.routing.wards.map((w) => [w.code, w.name]));
  const broadcasts = new Broadcasts({
    broadcasts: broadcastsRepo,
    reports,
    cards: createCardRenderer(images, { cityName: city.name, color: city.broadcasts.color }),
    cardStore: new ImageCardStore(images),
    // Only redacted copies leave the city: null (not redacted yet) keeps a case out of broadcasts.
    publicPhotos: { publicKey: (key) => photoRedactionUseCase.publicPhotoKey(key) },
    publishers: {
      ...(zaloClient ? { 'zalo-group': zaloGroupPublisher(zaloClient, logger) } : {}),
      ...(config.messenger
        ? { 'facebook-page': pagePostPublisher(new PagePublisher({ origin: config.messenger.apiUrl, pageId: config.messenger.pageId, accessToken: config.messenger.accessToken, appSecret: config.messenger.appSecret }), config.messenger.pageId) }
        : {}),
    },
    groups: zaloClient ? zaloGroupDirectory(zaloClient) : undefined,
    jobs,
    city,
    categories,
    wardName: (code) => (code === null ? null : wardNameOf.get(code) ?? null),
    publishByDefault: facts.publicSite.publishByDefault,
    clock,
    logger,
    mediaUrl: toMediaUrl,
  });
  jobs.register(broadcastDelivery, async (job) => void (await broadcasts.deliver(job.deliveryId)));
  jobs.register(weeklyDigest, async () => void (await broadcasts.weeklyDigest(systemActor('weekly-digest'))));

  // Dialogs
  // The FAQ reads the knowledge base, the city and the hotline at each answer (edits apply at once).
  const faq = languageModel
    ? new FaqDialog({
        nlu: languageModel,
        get kb() {
          return live().kb;
        },
        get city() {
          return live().city;
        },
        get hotline() {
          return live().city.hotline;
        },
        i18n,
        handover: (turn, reason) => handOver.request({ id: turn.resident.id, channel: turn.channel, userId: turn.userId }, reason),
      })
    : undefined;
  const verdictDialog = new VerdictDialog({
    verdict,
    reports: queries,
    i18n,
    agencyName: (id, locale) => city.agencies.find((a) => a.id === id)?.name[locale] ?? null,
    reopenDays: config.reopenDays,
    clock,
  });
  const baseRoot = createRootDialog({
    contacts: new SaveContact({ contacts: new PgContactsRepo(db), logger }),
    publishByDefault: facts.publicSite.publishByDefault,
    reports: fileReport,
    queries,
    i18n,
    get city() {
      return live().city;
    },
    categories,
    categoryLabels,
    draftIdleHours: config.draftIdleHours,
    understanding: o.understanding ?? faq,
    extraPayloads: faq ? (turn, payload) => faq.handlePayload(turn, payload) : undefined,
    verdict: verdictDialog,
    onBackToBot: (turn, by) => handOver.returned(turn.resident.id, by),
  });
  // Notices parked while a messaging window was closed go out when the resident writes again; a
  // question among them (is it really fixed?) becomes the conversation's choice point.
  const root: RootDialog = async (turn) => {
    if (turn.input.kind !== 'receipt' && turn.resident.hasDeferredNotifications !== false) {
      await notify.flushDeferred(turn.resident.id, async (messages) => {
        await turn.send(messages);
        const question = messages.find((m) => (m.choices?.length ?? 0) > 0);
        const menu = question ? verdictMenu(question, i18n.forLocale(turn.locale)) : null;
        if (menu) turn.setState({ menu, misses: 0 });
      });
    }
    await baseRoot(turn);
  };

  // Channels: a bot per enabled channel behind its Bottender seam, a webhook adapter, the picker.
  const webviewTokens = new WebviewTokens(webviewSecret(config));
  const pickerUrl = (channel: Channel, userId: string, locale: 'vi' | 'en') =>
    `${publicUrl}/webview/location?t=${encodeURIComponent(webviewTokens.sign(channel, userId))}&lang=${locale}`;
  const handlers: Record<string, EventHandler> = {};
  const syntheticLocation: Partial<Record<Channel, (userId: string, lat: number, lng: number) => InboundEventInput>> = {};
  if (config.messenger && messengerClient) {
    const settings = config.messenger;
    const bot = createMessengerBot({ client: messengerClient, appId: settings.appId, appSecret: settings.appSecret, sessionStore, root, residents, i18n, logger, get hotline() {
      return live().city.hotline;
    }, pickerUrl });
    handlers.messenger = async (ev) => void (await bot.handle(ev.body));
    syntheticLocation.messenger = (psid, lat, lng) => messengerLocationEvent(settings.pageId, psid, lat, lng, `webview-${crypto.randomUUID()}`, Date.now());
  }
  if (config.zalo && zaloClient) {
    const settings = config.zalo;
    const bot = createZaloBot({ client: zaloClient, sessionStore, root, residents, i18n, logger, get hotline() {
      return live().city.hotline;
    }, pickerUrl, requestImageUrl: `${publicUrl}/static/contact-banner.png`, support: zaloTemplates });
    handlers.zalo = async (ev) => void (await bot.handle(ev.body));
    syntheticLocation.zalo = (userId, lat, lng) => zaloLocationEvent(settings.appId, settings.oaId, userId, lat, lng, `webview-${crypto.randomUUID()}`, Date.now());
  }

  // ── Staff console: people, access and security (src/console; repositories constructed here) ──
  const staff = createStaffConsole({
    settings: config.console,
    simulator: config.simulator,
    publicUrl,
    city,
    i18n,
    logger,
    clock,
    audit,
    users: new PgStaffUsersRepo(db),
    tokens: new PgStaffTokensRepo(db),
    apiKeys: new PgStaffApiKeysRepo(db),
    links: new PgPasswordLinksRepo(db),
    sessions: new PgStaffSessionStore(db, logger),
  });
  staff.addApi((r, kit) => broadcastsApi(r, { broadcasts, audit: kit.audit }));
  staff.addPages((r, kit) => broadcastPages(r, { broadcasts, views: kit.views, audit: kit.audit, city, categories, publishByDefault: facts.publicSite.publishByDefault }));
  staff.addPages((r, kit) => handoverPages(r, { views: kit.views, queue: handoverQueue, windows: config.windows }));
  const staffNames = new PgStaffUsersRepo(db);
  staff.addPages((r, kit) => contentPages(r, { views: kit.views, content: editContent, staffName: async (id) => (/^\d{1,18}$/.test(id) ? (await staffNames.findById(id))?.displayName ?? null : null) }));
  // Photo redaction pages and API (/console/reports/:code/photos/:key/redact, /console/media/:key, /api/staff/v1/photos/:key/redaction)
  registerRedactionConsole(staff, { redaction: photoRedactionUseCase, images, mediaUrl: toMediaUrl });
  // ── end of the staff console ──

  // ── Report desk (issue 11): /console/reports… and the report API of /api/staff/v1 ──
  const reportDesk = createReportDesk({
    queries: staffReportQueries,
    actions: staffReportActions,
    notices: new StaffNoticeQueries(staffNotices),
    city,
    routing: content.routing,
    categories,
    clock,
    logger,
    ratePerMinute: config.reportDesk.apiRatePerMinute,
    photoMaxBytes: config.photos.maxBytes,
    mapTileUrl: config.mapTileUrl,
    reopenDays: config.reopenDays,
  });
  staff.addPages(reportDesk.pages);
  staff.addApi(reportDesk.api);
  // ── end of the report desk ──
  // ── Issue 13: Open311, the public page, analytics and the weekly report ──
  const wards = wardNames();
  const publicReports = new PublicReports({
    reader: new PgPublicReportsRepo(db),
    photos: o.publicPhotos ?? photoRedactionUseCase,
    mediaUrl: toMediaUrl,
    rules: { publishByDefault: facts.publicSite.publishByDefault, wardName: (code) => wards.nameOf(code) },
    clock,
  });
  const open311Store = new PgOpen311Repo(db);
  const open311Intake = new Open311Intake({ fileReport, changeStatus, photos: recordPhoto, store: open311Store, clock });
  const analyticsRepo = new PgAnalyticsRepo(db);
  const analytics = new Analytics({ reader: analyticsRepo, store: analyticsRepo, clock, timeZone: city.timezone });
  jobs.register(weeklyReport, async (job) => {
    const r = await analytics.generateWeekly(job.weekStart ?? null, 'system');
    logger.info({ week: r.weekStart, received: r.figures.totals.received }, 'weekly report stored');
  });
  staff.addPages(analyticsPages({ analytics, city, categories, wardName: (code) => wards.nameOf(code), letterhead: facts.weeklyReport }));
  const mountPublic = (a: express.Express) => {
    a.use('/open311/v2', open311Router({
      reports: publicReports,
      intake: open311Intake,
      resolveApiKey: async (raw) => (await staff.access.resolveBearer(raw))?.actor ?? null,
      tokenCode: (token) => open311Store.codeOfToken(token),
      audit,
      city,
      categories,
      facts,
      publicUrl,
      clock,
      logger,
    }));
    a.use(publicSite({
      reports: publicReports,
      images,
      renderCard: renderCaseCard,
      i18n,
      city,
      facts,
      categories,
      wards: facts.publicSite.provinceCode ? wards.ofProvince(facts.publicSite.provinceCode) : [],
      publicUrl,
      mapTileUrl: config.mapTileUrl,
      logger,
    }));
  };
  // ── end of issue 13 ──

  // The inbox: turns in one transaction each, their replies recorded and sent after the commit.
  const lockPool = new Pool({ connectionString: connectionStringOf(db), max: 30 });
  guardClientErrors(lockPool, (err) => logger.warn({ err: err.message }, 'inbox database connection lost'));
  const ingress = new IngressGauge();
  const outbox = new PgOutboxRepo(db);
  const replySenders: Record<string, ReplySender> = {};
  for (const [channel, resident] of Object.entries(residentChannels)) {
    replySenders[channel] = async (userId, op) => {
      if (op.kind === 'messages') return resident.send(userId, op.messages as OutboundMessage[], { kind: 'response' }, op.locale);
      if (channel === 'zalo' && zaloClient) await zaloClient.sendRequestUserInfo(userId, { title: op.title, subtitle: op.subtitle, imageUrl: `${publicUrl}/static/contact-banner.png` });
    };
  }
  const apologise = async (ev: InboundEventRow) => {
    const [channel, userId] = splitConversationKey(ev.conversationKey);
    const send = residentChannels[channel as Channel];
    if (!send || !userId) return;
    const locale = (await residents.find(channel as Channel, userId))?.locale ?? 'vi';
    await send.send(userId, [{ text: i18n.t(locale, 'common:error', { hotline: live().city.hotline }) }], { kind: 'response' }, locale);
  };
  const inbox = new InboxWorker({
    inbox: new PgInboxRepo(db),
    lockPool,
    handlers,
    outbox,
    delivery: new OutboxDelivery({ outbox, senders: replySenders, logger }),
    onGiveUp: apologise,
    logger,
    pollMs: o.pollMs,
    retryBackoffMs: o.retryBackoffMs,
    ingress,
  });
  const webhook = (adapter: Parameters<typeof webhookRouter>[0]['adapter'] | null) =>
    adapter ? webhookRouter({ adapter, inbox, logger, bodyLimit: config.webhookBodyLimit, ingress }) : disabledWebhook();
  const app = createApp({
    logger,
    db,
    inbox,
    queries,
    images,
    city,
    publicUrl,
    webviewTokens,
    webviewTokenUses: new PgWebviewTokenUses(db),
    trustProxy: config.trustProxy,
    mapTileUrl: config.mapTileUrl,
    geocode: (q) => geocoder.search(q),
    syntheticLocation,
    webhooks: {
      messenger: webhook(config.messenger ? messengerWebhookAdapter({ appSecret: config.messenger.appSecret, verifyToken: config.messenger.verifyToken, appId: config.messenger.appId }) : null),
      zalo: webhook(config.zalo ? zaloWebhookAdapter({ appId: config.zalo.appId, oaSecretKey: config.zalo.oaSecretKey }) : null),
    },
    publicRoutes: mountPublic,
    consoleRoutes: (a) => staff.mount(a),
    extraRoutes: o.extraRoutes ? (a) => o.extraRoutes?.(a, staff) : undefined,
  });

  let settleTimer: NodeJS.Timeout | undefined;
  let contentPoll: NodeJS.Timeout | undefined;
  return {
    app,
    inbox,
    jobs,
    content,
    liveContent,
    languageModel,
    i18n,
    publicUrl,
    webviewTokens,
    residents,
    staff,
    useCases: {
      fileReport,
      queries,
      changeStatus,
      verdict,
      closeResolved: closeResolvedReports,
      notify,
      handOver,
      handovers: handoverQueue,
      editContent,
      reply,
      recordPhoto,
      purgeRetained: purge,
      broadcasts,
      photoRedaction: photoRedactionUseCase,
      publicReports,
      open311Intake,
      analytics,
      reportDesk: { queries: staffReportQueries, actions: staffReportActions, remindOverdue },
    },
    clients: { messenger: messengerClient, zalo: zaloClient },
    async start() {
      await staff.start();
      // The dashboard's weekly counts are kept in the city's time zone.
      await analyticsRepo.useTimeZone(city.timezone);
      await liveContent.reload();
      // Edits made in another process reach this one within CONTENT_POLL_MS.
      contentPoll = setInterval(() => void liveContent.refreshIfChanged().catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not check for content edits')), CONTENT_POLL_MS);
      contentPoll.unref();
      inbox.start();
      await jobs.start();
      // Deliveries a dead process left half-done settle within a minute of the start.
      const settle = () => broadcasts.settleStalled().catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not settle stalled deliveries'));
      await settle();
      settleTimer = setInterval(() => void settle(), SETTLE_EVERY_MS);
      settleTimer.unref();
    },
    async stop() {
      if (settleTimer) clearInterval(settleTimer);
      if (contentPoll) clearInterval(contentPoll);
      await languageModel?.idle();
      await inbox.stop();
      await jobs.stop();
      await ownDetector?.close();
      await staff.close();
      mailer?.close();
      await lockPool.end();
    },
  };
}

/** Secret of the map web view's tokens, derived from the enabled channels' secrets. */
function webviewSecret(config: Config): string {
  return crypto.createHash('sha256').update(`webview:${config.messenger?.appSecret ?? ''}:${config.zalo?.oaSecretKey ?? ''}`).digest('hex');
}

/** How often deliveries left half-done by a dead process are looked for. */
const SETTLE_EVERY_MS = 15_000;

/** `messenger:<psid>` → ['messenger', '<psid>']. */
function splitConversationKey(key: string): [string, string] {
  const i = key.indexOf(':');
  return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)];
}

function connectionStringOf(db: Db): string {
  const opts = (db.pool as unknown as { options: { connectionString?: string } }).options;
  if (!opts.connectionString) throw new Error('the database pool must be created from a connection string');
  return opts.connectionString;
}

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
    throw new Error(`The simulator needs the development tools in dev/ (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); run it with npm start from a checkout, or set SIMULATOR=off`, { cause: err });
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
  db.pool.on('error', (err) => logger.warn({ err: err.message }, 'database connection lost'));
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  if (!config.messenger && !config.simulator) logger.warn('Messenger has no credentials: its webhook is disabled (404)');
  if (!config.zalo && !config.simulator) logger.warn('Zalo has no credentials: its webhook is disabled (404)');
  // Never the URL itself: it carries the mail server's password.
  if (config.smtp) logger.info({ smtpFrom: config.smtp.from }, 'SMTP configured: overdue reminders are also mailed to agencies with an email in the city profile');

  if (config.simulatorForced && (config.messenger || config.zalo)) {
    const line = '!'.repeat(78);
    process.stderr.write(`${line}\n! SIMULATOR=on with real platform credentials: the simulator is served and needs a\n! staff login; channels without credentials are played by the in-repo fakes. Never do\n! this in production.\n${line}\n`);
    logger.warn('SIMULATOR=on with real credentials: the simulator is served (staff login required)');
  }
  const dev = config.simulator ? await loadDevTools().startDevTools(config, logger) : null;
  if (dev) closers.push({ close: () => dev.stop() });
  const effective = dev?.config ?? config;
  let baseUrl = effective.publicUrl ?? `http://localhost:${effective.port}`;

  const content = loadContent({ city: effective.cityProfile });
  const nlu = createNlu(content.training);
  logger.info({ trainingMs: Math.round(nlu.trainingMs) }, 'language model trained');
  const application = createApplication({
    config: effective,
    db,
    logger,
    nlu,
    content,
    extraRoutes: (app, staff) =>
      dev?.mount(app, () => baseUrl, content.city.map.center, {
        // With real credentials somewhere, only signed-in staff may play residents.
        guard: config.messenger || config.zalo ? staff.signedInGuard() : undefined,
        devAdmin: () => staff.devAdmin(),
      }),
  });
  await application.start();
  const devAdmin = application.staff.devAdmin();
  if (devAdmin) process.stdout.write(`\nStaff console (development admin, new password at every start):\n  email:    ${devAdmin.email}\n  password: ${devAdmin.password}\n\n`);

  const server: Server = await new Promise((resolve) => {
    const s = application.app.listen(effective.port, () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : effective.port;
  baseUrl = `http://127.0.0.1:${port}`;
  logger.info({ port, simulator: effective.simulator ? `${effective.publicUrl ?? `http://localhost:${port}`}/simulator` : 'off' }, 'phananh-bot listening');

  if (application.clients.messenger) {
    await setUpMessengerProfile(application.clients.messenger, application.i18n, logger).catch((err: unknown) =>
      logger.warn({ err: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'could not set the Messenger Get Started button and menu'),
    );
  }

  let stopping = false;
  /**
   * Stops accepting requests, lets turns in flight finish (up to SHUTDOWN_DRAIN_MS), stops the
   * job queue, the fakes, the pool and the embedded PostgreSQL, then exits. Each step has a time
   * limit so a dead database cannot hold the process forever.
   */
  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    setTimeout(() => process.exit(exitCode || 1), SHUTDOWN_DRAIN_MS + 15_000).unref();
    const step = async (name: string, fn: () => Promise<unknown> | unknown, ms = 5_000) => {
      try {
        await withTimeout(Promise.resolve().then(fn), ms);
      } catch (err) {
        logger.warn({ step: name, err: err instanceof Error ? err.message : String(err) }, 'shutdown step did not finish cleanly');
      }
    };
    await step('http', () => new Promise<void>((r) => server.close(() => r())));
    await step('app', () => application.stop(), SHUTDOWN_DRAIN_MS);
    for (const c of closers.reverse()) await step('dev tools', () => c.close());
    await step('database pool', () => db.close());
    if (embedded) await step('embedded PostgreSQL', () => embedded.stop(), 10_000);
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  // A bug must not kill the process silently: log it, then stop cleanly (the supervisor restarts us).
  process.on('unhandledRejection', (err: unknown) => {
    logger.fatal({ err: describeFatal(err) }, 'unhandled promise rejection; shutting down');
    void shutdown('unhandledRejection', 1);
  });
  process.on('uncaughtException', (err: unknown) => {
    logger.fatal({ err: describeFatal(err) }, 'uncaught exception; shutting down');
    void shutdown('uncaughtException', 1);
  });
}

/** How often a process looks for content edited in another process. */
const CONTENT_POLL_MS = 15_000;

/** How long a stopping process lets the turns in flight finish. */
const SHUTDOWN_DRAIN_MS = 10_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then((v) => resolve(v), reject).finally(() => clearTimeout(t));
  });
}

function describeFatal(err: unknown): { name?: string; message: string; stack?: string } {
  return err instanceof Error ? { name: err.name, message: err.message.split('\n')[0]!.slice(0, 300), stack: err.stack?.split('\n').slice(1, 6).join('\n') } : { message: String(err).slice(0, 300) };
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`phananh-bot failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}
