/**
 * The city's public page of reports, server-rendered (Eta templates in `src/server/public/site/`),
 * Vietnamese first (`?lang=en` for English), usable without JavaScript except the map:
 *
 * - `GET /` — how to report (Zalo OA, fanpage, Messenger links and QR codes from the city profile),
 *   the map of the last 90 days (Leaflet + markercluster, loaded only when the map scrolls into
 *   view), and the list of recent reports, filtered by `ward` and `category`, 20 per page (`page`).
 * - `GET /reports/:code` — one report, with its Open Graph preview (the before/after card).
 * - `GET /reports/:code/card.png` — the card (src/media/case-card.ts), cached by report version.
 * - `GET /map.json` — the map's points (street precision), with the same filters.
 * - `/site/*` — the page's stylesheet and script; `/site/vendor/*` Leaflet, gzipped.
 *
 * Everything shown comes from `PublicReports` (redacted, street and ward, opt-out honoured,
 * redacted photos only). Pages are gzipped; photos are thumbnails loaded lazily.
 */
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { Eta } from 'eta';
import QRCode from 'qrcode';
import type { PublicReports, PublicReportView } from '../../app/public-reports';
import type { CityProfile } from '../../domain/city-profile';
import type { PublicFacts } from '../../domain/public/public-site-profile';
import type { Category } from '../../domain/reports/categories';
import type { ReportStatus } from '../../domain/reports/lifecycle';
import type { Locale } from '../../domain/shared/ids';
import type { I18n, Translate } from '../../i18n';
import type { Logger } from '../../logger';
import type { CaseCard } from '../../media/case-card';
import { pagePolicy } from '../security-headers';
import { sendText, staticFiles } from './compress';
import { tileOrigin } from '../../domain/geo/tile-origin';

export interface PublicSiteDeps {
  readonly reports: Pick<PublicReports, 'page' | 'one' | 'points'>;
  /** Bytes of a stored (redacted) photo, for the card. */
  readonly images: { get(key: string): Promise<{ data: Buffer; contentType: string } | null> };
  readonly renderCard: (card: CaseCard) => Promise<Buffer>;
  readonly i18n: I18n;
  readonly city: CityProfile;
  readonly facts: PublicFacts;
  readonly categories: readonly Category[];
  /** Wards of the ward filter (code, name). */
  readonly wards: ReadonlyArray<{ readonly code: string; readonly name: string }>;
  readonly publicUrl: string;
  readonly mapTileUrl: string;
  readonly logger: Logger;
  /** Card renders per minute and client (default 30). */
  readonly cardsPerMinute?: number;
}

export const SITE_DIR = path.join(__dirname, '..', 'public', 'site');
const CODE_RE = /^PA-[2-9A-HJ-NP-Z]{6,10}$/;
const LEAFLET_DIR = path.dirname(require.resolve('leaflet/dist/leaflet.js'));
const CLUSTER_DIR = path.dirname(require.resolve('leaflet.markercluster/dist/leaflet.markercluster.js'));

/** CSP of the public page: own scripts and styles only, images from here and the tile server. */
function sitePolicy(mapTileUrl: string) {
  // A relative tile URL: tiles come from here.
  const tiles = tileOrigin(mapTileUrl) ?? "'self'";
  return pagePolicy({
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', tiles],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  });
}

const STATUS_CLASS: Readonly<Record<ReportStatus, string>> = {
  received: 'st-new',
  assigned: 'st-work',
  in_progress: 'st-work',
  resolved: 'st-done',
  closed: 'st-done',
  rejected: 'st-no',
  duplicate: 'st-no',
};

export function publicSite(d: PublicSiteDeps): Router {
  const r = express.Router();
  const eta = new Eta({ views: SITE_DIR, cache: true, autoEscape: true, autoTrim: [false, 'nl'] });
  const policy = sitePolicy(d.mapTileUrl);
  const categoryBySlug = new Map(d.categories.map((c) => [c.slug, c]));
  const wardCodes = new Set(d.wards.map((w) => w.code));
  const qrCache = new Map<string, Promise<string>>();
  const qr = (url: string) => {
    let p = qrCache.get(url);
    if (!p) {
      p = QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((svg) => svg.replace('<svg ', '<svg aria-hidden="true" focusable="false" class="qr" '));
      qrCache.set(url, p);
    }
    return p;
  };
  const cards = new Map<string, Buffer>();

  r.use('/site/vendor/leaflet', staticFiles(LEAFLET_DIR, ['leaflet.js', 'leaflet.css', 'images/layers.png', 'images/layers-2x.png', 'images/marker-icon.png', 'images/marker-icon-2x.png', 'images/marker-shadow.png'], 30 * 86_400));
  r.use('/site/vendor/markercluster', staticFiles(CLUSTER_DIR, ['leaflet.markercluster.js', 'MarkerCluster.css', 'MarkerCluster.Default.css'], 30 * 86_400));
  r.use('/site', staticFiles(path.join(SITE_DIR, 'static'), ['site.css', 'site.js'], 3600));

  const localeOf = (req: Request): Locale => (req.query.lang === 'en' ? 'en' : 'vi');
  const one = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  interface Ctx {
    readonly t: Translate;
    readonly locale: Locale;
    readonly city: { readonly name: string; readonly ioc: string; readonly hotline: string };
    readonly link: (p: string, extra?: Record<string, string>) => string;
    readonly langLinks: ReadonlyArray<{ readonly locale: Locale; readonly href: string; readonly label: string; readonly current: boolean }>;
    readonly fmtDate: (d: Date | null) => string;
  }

  function ctx(req: Request): Ctx {
    const locale = localeOf(req);
    const t = d.i18n.forLocale(locale);
    const fmt = new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'medium', timeZone: d.city.timezone });
    const link = (p: string, extra: Record<string, string> = {}) => {
      const u = new URL(p, 'http://site.invalid');
      for (const [k, v] of Object.entries(extra)) if (v) u.searchParams.set(k, v);
      if (locale === 'en') u.searchParams.set('lang', 'en');
      return `${u.pathname}${u.search}`;
    };
    const here = new URL(req.originalUrl, 'http://site.invalid');
    const langLinks = (['vi', 'en'] as const).map((l) => {
      const u = new URL(here);
      if (l === 'en') u.searchParams.set('lang', 'en');
      else u.searchParams.delete('lang');
      return { locale: l, href: `${u.pathname}${u.search}`, label: l === 'vi' ? 'Tiếng Việt' : 'English', current: l === locale };
    });
    return { t, locale, city: { name: d.city.name[locale], ioc: d.city.ioc[locale], hotline: d.city.hotline }, link, langLinks, fmtDate: (x) => (x ? fmt.format(x) : '') };
  }

  /** What the templates show of one report. */
  function item(c: Ctx, v: PublicReportView) {
    const cat = categoryBySlug.get(v.category);
    const days = v.daysToResolve;
    return {
      code: v.code,
      href: c.link(`/reports/${v.code}`),
      category: cat?.title[c.locale] ?? v.category,
      status: c.t(`report:status.${v.status}`),
      statusClass: STATUS_CLASS[v.status],
      place: v.place,
      filed: c.fmtDate(v.createdAt),
      filedIso: v.createdAt.toISOString(),
      resolved: days === null ? null : days === 0 ? c.t('public:report.resolvedSameDay') : c.t('public:report.resolvedIn', { count: days }),
      description: v.description,
      reply: v.reply,
      rating: v.rating,
      optedOut: v.optedOut,
      hiddenText: !v.optedOut && v.description === null && v.status === 'rejected',
      agency: v.agency ? d.city.agencies.find((a) => a.id === v.agency)?.name[c.locale] ?? null : null,
      photos: v.photos.map((p) => ({ src: `/media/${p.key}`, thumb: `/media/${p.thumbKey}`, ...thumbSize(p.width, p.height) })),
      resultPhotos: v.resultPhotos.map((p) => ({ src: `/media/${p.key}`, thumb: `/media/${p.thumbKey}`, ...thumbSize(p.width, p.height) })),
    };
  }

  const render = (req: Request, res: Response, view: string, c: Ctx, data: Record<string, unknown>, head: Record<string, unknown>, status = 200) => {
    const body = eta.render(view, { ...c, ...data, mapTileUrl: d.mapTileUrl });
    const html = eta.render('layout', { ...c, ...head, body, mapTileUrl: d.mapTileUrl });
    res.setHeader('cache-control', 'public, max-age=60');
    sendText(req, res, html, 'text/html; charset=utf-8', status);
  };

  r.get('/', policy, async (req, res) => {
    const c = ctx(req);
    const ward = one(req.query.ward);
    const category = one(req.query.category);
    const filter = { ward: wardCodes.has(ward) ? ward : null, category: categoryBySlug.has(category) ? category : null };
    const page = Math.min(500, Math.max(1, Number.parseInt(one(req.query.page), 10) || 1));
    const { items, hasNext } = await d.reports.page(filter, page);
    const site = d.facts.publicSite;
    const channels = await Promise.all(
      ([['zalo', site.zaloOa], ['fanpage', site.fanpage], ['messenger', site.messenger]] as const)
        .filter((x): x is readonly ['zalo' | 'fanpage' | 'messenger', NonNullable<typeof x[1]>] => x[1] !== undefined)
        .map(async ([kind, l]) => ({ kind, url: l.url, name: l.name[c.locale], label: c.t(`public:how.${kind}`), qr: await qr(l.url) })),
    );
    const filters = { ward: filter.ward ?? '', category: filter.category ?? '' };
    render(req, res, 'index', c, {
      items: items.map((v) => item(c, v)),
      page,
      next: hasNext ? c.link('/', { ...filters, page: String(page + 1) }) : null,
      previous: page > 1 ? c.link('/', { ...filters, page: page > 2 ? String(page - 1) : '' }) : null,
      filters,
      filtered: Boolean(filter.ward || filter.category),
      wards: d.wards,
      categories: d.categories.map((x) => ({ slug: x.slug, title: x.title[c.locale] })),
      channels,
      mapData: c.link('/map.json', filters),
      map: { center: d.city.map.center, zoom: d.city.map.zoom },
    }, { title: `${c.t('public:site.title')} · ${c.city.name}`, description: c.t('public:site.tagline', { ioc: c.city.ioc }), canonical: `${d.publicUrl}${c.link('/')}` });
  });

  r.get('/map.json', rateLimit({ windowMs: 60_000, limit: 120, standardHeaders: 'draft-8', legacyHeaders: false }), async (req, res) => {
    const locale = localeOf(req);
    const t = d.i18n.forLocale(locale);
    const ward = one(req.query.ward);
    const category = one(req.query.category);
    const points = await d.reports.points({ ward: wardCodes.has(ward) ? ward : null, category: categoryBySlug.has(category) ? category : null });
    res.setHeader('cache-control', 'public, max-age=60');
    sendText(req, res, JSON.stringify({
      open: t('public:map.open'),
      points: points.map((p) => ({
        code: p.code,
        lat: p.lat,
        lng: p.lng,
        status: t(`report:status.${p.status}`),
        category: categoryBySlug.get(p.category)?.title[locale] ?? p.category,
        href: `/reports/${p.code}${locale === 'en' ? '?lang=en' : ''}`,
      })),
    }), 'application/json; charset=utf-8');
  });

  r.get('/reports/:code', policy, async (req, res) => {
    const c = ctx(req);
    const code = String(req.params.code).toUpperCase();
    const v = CODE_RE.test(code) ? await d.reports.one(code) : null;
    if (!v) return render(req, res, 'not-found', c, {}, { title: `${c.t('public:report.notFound')} · ${c.city.name}`, noindex: true }, 404);
    const it = item(c, v);
    const place = it.place ?? c.t('public:list.noPlace');
    const description = v.daysToResolve !== null
      ? c.t('public:report.ogDescriptionResolved', { category: it.category, place, status: it.status, count: v.daysToResolve })
      : c.t('public:report.ogDescription', { category: it.category, place, status: it.status });
    const url = `${d.publicUrl}/reports/${v.code}`;
    return render(req, res, 'report', c, { r: it, shareUrl: url, mapPoint: { lat: v.lat, lng: v.lng }, map: { zoom: 16 } }, {
      title: `${v.code} · ${it.category} · ${c.city.name}`,
      description,
      canonical: url,
      og: {
        title: `${v.code}: ${it.category} — ${it.status}`,
        description,
        url,
        image: `${d.publicUrl}/reports/${v.code}/card.png?v=${v.updatedAt.getTime()}`,
        imageAlt: c.t('public:report.cardAlt', { code: v.code, category: it.category }),
        siteName: `${c.t('public:site.title')} · ${c.city.name}`,
        locale: c.locale === 'vi' ? 'vi_VN' : 'en_GB',
      },
    });
  });

  r.get('/reports/:code/card.png', rateLimit({ windowMs: 60_000, limit: d.cardsPerMinute ?? 30, standardHeaders: 'draft-8', legacyHeaders: false }), async (req, res) => {
    const locale = localeOf(req);
    const t = d.i18n.forLocale(locale);
    const code = String(req.params.code).toUpperCase();
    const v = CODE_RE.test(code) ? await d.reports.one(code) : null;
    if (!v) return res.status(404).json({ error: 'not found' });
    const cacheKey = `${v.code}:${v.updatedAt.getTime()}:${locale}`;
    let png = cards.get(cacheKey);
    if (!png) {
      const bytes = async (key: string | undefined) => (key ? (await d.images.get(key))?.data ?? null : null);
      const days = v.daysToResolve;
      png = await d.renderCard({
        before: await bytes(v.photos[0]?.key),
        after: await bytes(v.resultPhotos[0]?.key),
        labels: { before: t('public:card.before'), after: t('public:card.after'), noPhoto: t('public:card.noPhoto') },
        title: categoryBySlug.get(v.category)?.title[locale] ?? v.category,
        place: v.place,
        footnote: days === null ? t(`report:status.${v.status}`) : days === 0 ? t('public:card.resolvedSameDay') : t('public:card.resolvedIn', { count: days }),
        brand: `${d.city.name[locale]} · ${v.code}`,
      });
      if (cards.size >= 200) cards.delete(cards.keys().next().value!);
      cards.set(cacheKey, png);
    }
    res.setHeader('cache-control', 'public, max-age=3600');
    return res.type('image/png').send(png);
  });

  return r;
}

/** Width and height attributes of a thumbnail (the pipeline's thumbnails fit in 320 px). */
function thumbSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, 320 / Math.max(width, height, 1));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}
