/**
 * createApp(deps): the express application. Webhooks, health, the public status API, media, the
 * location web view and (in development) the simulator. No business rules here.
 */
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import sharp from 'sharp';
import type { CityProfile } from '../domain/city-profile';
import { pointInPolygon } from '../domain/geo/polygon';
import type { ReportQueries } from '../app/report-queries';
import type { InboxWorker } from '../inbox/inbox-worker';
import type { Logger } from '../logger';
import type { Db } from '../storage/db';
import type { InboundEventInput } from '../storage/inbox-repo';
import type { Channel } from '../domain/shared/ids';
import type { WebviewTokens, WebviewTokenUses } from './webview-token';
import { rateLimit } from 'express-rate-limit';
import { baseSecurityHeaders, webviewPolicy } from './security-headers';

export interface ImageReader {
  get(key: string): Promise<{ data: Buffer; contentType: string } | null>;
}

export interface AppDeps {
  readonly logger: Logger;
  readonly db: Db;
  readonly inbox: InboxWorker;
  readonly queries: Pick<ReportQueries, 'publicStatus'>;
  readonly images: ImageReader;
  readonly city: CityProfile;
  readonly publicUrl: string;
  readonly webviewTokens: WebviewTokens;
  readonly webviewTokenUses: WebviewTokenUses;
  /** express `trust proxy` (see config TRUST_PROXY). */
  readonly trustProxy: string;
  readonly mapTileUrl: string;
  /** Requests per minute and client on the public status API and the map web view's post (default 60 / 20). */
  readonly rateLimits?: { readonly statusPerMinute?: number; readonly webviewPerMinute?: number };
  /**
   * Address search of the map picker (the app's geocoder, e.g. `geocoder.search`). Without it the
   * page hides its search box.
   */
  readonly geocode?: (query: string) => Promise<{ lat: number; lng: number; address: string } | null>;
  /** Builds the platform-shaped event for a location posted from the web view. */
  readonly syntheticLocation: Partial<Record<Channel, (userId: string, lat: number, lng: number) => InboundEventInput>>;
  /** Webhook routers by channel path segment (`messenger`, `zalo`); a disabled channel's answers 404. */
  readonly webhooks: Readonly<Record<string, express.Router>>;
  /** Issue 13: the public page (`/`, `/reports/:code`) and Open311 (`/open311/v2`), mounted before the console. */
  readonly publicRoutes?: (app: express.Express) => void;
  /** The staff console (`/console`, `/api/staff/v1`): mounted by src/console, before the extras. */
  readonly consoleRoutes?: (app: express.Express) => void;
  readonly extraRoutes?: (app: express.Express) => void;
}

const CODE_RE = /^PA-[2-9A-HJ-NP-Z]{6,10}$/;
const MEDIA_RE = /^[a-f0-9]{64}\.(jpg|webp)$/;

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function mediaUrl(publicUrl: string, key: string): string {
  return `${publicUrl}/media/${key}`;
}

export function createApp(d: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', d.trustProxy);
  app.use(baseSecurityHeaders(d.publicUrl.startsWith('https://')));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await d.db.query('SELECT 1');
      res.json({ status: 'ready', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });

  for (const [name, router] of Object.entries(d.webhooks)) app.use(`/webhooks/${name}`, router);

  const limiter = (perMinute: number) =>
    rateLimit({ windowMs: 60_000, limit: perMinute, standardHeaders: 'draft-8', legacyHeaders: false, message: { error: 'too many requests; try again in a minute' } });
  app.get('/api/reports/:code', limiter(d.rateLimits?.statusPerMinute ?? 60), async (req, res) => {
    const code = String(req.params.code).toUpperCase();
    // Only what the public may see: never the resident's platform id, name or phone.
    const view = CODE_RE.test(code) ? await d.queries.publicStatus(code) : null;
    if (!view) return res.status(404).json({ error: 'report not found' });
    return res.json(view);
  });

  app.get('/media/:key', async (req, res) => {
    const key = String(req.params.key);
    const img = MEDIA_RE.test(key) ? await d.images.get(key) : null;
    if (!img) return res.status(404).json({ error: 'not found' });
    res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    return res.type(img.contentType).send(img.data);
  });

  let banner: Promise<Buffer> | undefined;
  app.get('/static/contact-banner.png', async (_req, res) => {
    // Image shown in Zalo's request_user_info card: the city's name on a plain banner.
    banner ??= Promise.resolve().then(() =>
      sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="640" height="320"><rect width="640" height="320" fill="#0068ff"/><text x="320" y="175" font-size="44" font-family="sans-serif" fill="#fff" text-anchor="middle">${escapeXml(d.city.name.vi)}</text></svg>`)).png().toBuffer());
    res.type('image/png').send(await banner);
  });
  app.use('/static/leaflet', express.static(path.dirname(require.resolve('leaflet/dist/leaflet.js')), { maxAge: '7d' }));
  app.use('/webview', webviewPolicy(d.mapTileUrl));
  app.get('/webview/location', (_req, res) => res.sendFile(path.join(__dirname, 'public', 'location.html')));
  app.get('/webview/location.js', (_req, res) => res.type('application/javascript').sendFile(path.join(__dirname, 'public', 'location.js')));
  app.get('/webview/location/config', (_req, res) => {
    res.json({
      center: d.city.map.center,
      zoom: d.city.map.zoom,
      polygon: d.city.serviceArea.polygon,
      tileUrl: d.mapTileUrl,
      attribution: '© OpenStreetMap contributors',
      search: d.geocode !== undefined,
    });
  });
  // Address search for the picker: only with the resident's signed link (it spends our geocoder quota).
  app.get('/webview/location/search', limiter(d.rateLimits?.webviewPerMinute ?? 20), async (req, res) => {
    const token = typeof req.query.t === 'string' ? req.query.t : '';
    if (!d.webviewTokens.verify(token)) return res.status(403).json({ error: 'this link has expired; ask the bot for a new one' });
    if (!d.geocode) return res.status(404).json({ error: 'address search is not available' });
    const q = typeof req.query.q === 'string' ? req.query.q.normalize('NFC').trim() : '';
    if (q.length < 2 || q.length > 200) return res.status(400).json({ error: 'q must be 2 to 200 characters' });
    const hit = await d.geocode(q);
    if (!hit) return res.json({ found: false });
    return res.json({ found: true, lat: hit.lat, lng: hit.lng, address: hit.address, inside: pointInPolygon(hit, d.city.serviceArea.polygon) });
  });
  app.post('/webview/location', limiter(d.rateLimits?.webviewPerMinute ?? 20), express.json({ limit: '4kb' }), async (req, res) => {
    const b = (req.body ?? {}) as { t?: unknown; lat?: unknown; lng?: unknown };
    const claims = typeof b.t === 'string' ? d.webviewTokens.verify(b.t) : null;
    if (!claims) return res.status(403).json({ error: 'this link has expired; ask the bot for a new one' });
    const lat = Number(b.lat);
    const lng = Number(b.lng);
    if (typeof b.lat !== 'number' || typeof b.lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
      return res.status(400).json({ error: 'lat and lng must be numbers' });
    }
    const make = d.syntheticLocation[claims.channel];
    if (!make) return res.status(404).json({ error: 'channel not enabled' });
    // Single use: a link that already sent a location cannot send another (or be replayed).
    if (!(await d.webviewTokenUses.spend(claims.nonce, new Date(claims.exp)))) {
      return res.status(409).json({ error: 'this link was already used; ask the bot for a new one' });
    }
    await d.inbox.accept([make(claims.userId, lat, lng)]);
    return res.json({ ok: true });
  });

  d.publicRoutes?.(app);
  d.consoleRoutes?.(app);
  d.extraRoutes?.(app);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  // express recognises an error handler by its four parameters.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large') return res.status(413).json({ error: 'request body too large' });
    if (e.type === 'entity.parse.failed') return res.status(400).json({ error: 'malformed JSON' });
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return res.status(e.status).json({ error: e.message ?? 'bad request' });
    d.logger.error({ err: e.message }, 'unhandled request error');
    return res.status(500).json({ error: 'internal error' });
  });
  return app;
}
