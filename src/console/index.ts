/**
 * The staff console's foundation: people, access and security. `createStaffConsole(deps)` builds
 * the sign-in, the admin pages (users, API keys, audit, health), the home page and `/api/staff/v1`
 * (tokens, API keys, me); `mount(app)` puts them on the express app:
 *
 * ```
 * /console/static/*   htmx (from node_modules) and console.css; no session
 * /console/*          helmet → no-store → session → ?lang → form bodies → authenticate → CSRF
 *                     (session requests) → sign-in pages → pages → addPages(...) → 404 → errors
 * /api/staff/v1/*     helmet → no-store → POST /tokens → session → authenticate → CSRF (session
 *                     requests) → routes → addApi(...) → 404/401 → JSON errors
 * ```
 *
 * Other console features add their routes with {@link StaffConsole.addPages} /
 * {@link StaffConsole.addApi} before `mount`, and protect each with the guards of `./auth`.
 * See `./auth/index.ts` for the how-to.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import express from 'express';
import type session from 'express-session';
import type { ConsoleSettings } from '../config';
import type { CityProfile } from '../domain/city-profile';
import type { Clock } from '../domain/reports/ports';
import type { AuditLog } from '../domain/staff/audit';
import type { PasswordLinksRepo, StaffApiKeysRepo, StaffSessionsPort, StaffTokensRepo, StaffUsersRepo } from '../domain/staff/ports';
import type { I18n } from '../i18n';
import type { Logger } from '../logger';
import { apiErrors, sendApiError } from './api/api-errors';
import { apiNotFound, staffApiRoutes, tokensRoute } from './api/staff-api';
import { authenticate } from './auth/authenticate';
import { actorOf } from './auth/context';
import { csrfForSessions } from './auth/csrf';
import { consoleSession } from './auth/session';
import { signInAddressLimit } from './auth/sign-in-limits';
import { apiKeysPages } from './pages/api-keys-pages';
import { homePages } from './pages/home-pages';
import { pageErrors, pageNotFound } from './pages/page-errors';
import { signInPages } from './pages/sign-in-pages';
import { usersPages } from './pages/users-pages';
import { ConsoleViews, languageSwitch } from './render';
import { consoleSecurityHeaders, noStore } from './security-headers';
import { ensureFirstAdmin, type DevAdminCredentials } from './services/first-admin';
import { StaffAccess } from './services/staff-access';
import { StaffAccounts } from './services/staff-accounts';

export type { DevAdminCredentials } from './services/first-admin';
export { DEV_ADMIN_EMAIL } from './services/first-admin';

export interface StaffConsoleDeps {
  readonly settings: ConsoleSettings;
  /** Simulator mode: a development admin is created when ADMIN_EMAIL/ADMIN_PASSWORD are not set. */
  readonly simulator: boolean;
  /** PUBLIC_URL (one-time links point here). */
  readonly publicUrl: string;
  readonly city: CityProfile;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly audit: AuditLog;
  readonly users: StaffUsersRepo;
  readonly tokens: StaffTokensRepo;
  readonly apiKeys: StaffApiKeysRepo;
  readonly links: PasswordLinksRepo;
  /** express-session store on PostgreSQL that can also end a user's sessions. */
  readonly sessions: session.Store & StaffSessionsPort & { close(): unknown };
}

/** What a console feature gets to build its routes. */
export interface ConsoleKit {
  /** Renders pages in the console layout (`views.page(req, res, 'reports/list', data, { title })`). */
  readonly views: ConsoleViews;
  readonly audit: AuditLog;
}

/** Registers routes on the console's pages router (`/console`) or API router (`/api/staff/v1`). */
export type ConsoleExtension = (router: express.Router, kit: ConsoleKit) => void;

export interface StaffConsole {
  /** Mounts `/console` and `/api/staff/v1` (createApp's `consoleRoutes`). */
  mount(app: express.Express): void;
  /** Adds page routes under `/console` (behind authentication and CSRF; guard each route). Before `mount`. */
  addPages(extension: ConsoleExtension): void;
  /** Adds API routes under `/api/staff/v1` (behind authentication and CSRF; guard each route). Before `mount`. */
  addApi(extension: ConsoleExtension): void;
  /** The one audit writer: `audit.record({ actor, action, target, details })`. */
  readonly audit: AuditLog;
  readonly access: StaffAccess;
  readonly accounts: StaffAccounts;
  readonly views: ConsoleViews;
  /**
   * Middleware for a page outside the console that only signed-in staff may use (the simulator
   * when real credentials are configured): anonymous page requests go to the sign-in page, other
   * requests get 401.
   */
  signedInGuard(): express.RequestHandler[];
  /** The simulator's development admin, once `start()` created it (null otherwise). */
  devAdmin(): DevAdminCredentials | null;
  /** Creates the first admin (ADMIN_EMAIL / simulator). */
  start(): Promise<void>;
  close(): Promise<void>;
}

let lastDevAdmin: DevAdminCredentials | null = null;

/**
 * The development admin created in this process by the simulator mode's start-up, for the
 * simulator page (null outside simulator mode or before start-up).
 */
export function developmentAdminCredentials(): DevAdminCredentials | null {
  return lastDevAdmin;
}

const STATIC_DIR = path.join(__dirname, 'public');
const HTMX_FILE = require.resolve('htmx.org/dist/htmx.min.js');

export function createStaffConsole(d: StaffConsoleDeps): StaffConsole {
  const s = d.settings;
  const views = new ConsoleViews({ i18n: d.i18n, city: d.city, timezone: d.city.timezone });
  const access = new StaffAccess({ users: d.users, tokens: d.tokens, apiKeys: d.apiKeys, audit: d.audit, clock: d.clock, logger: d.logger, maxFailures: s.maxFailures, lockMinutes: s.lockMinutes, tokenHours: s.tokenHours });
  const accounts = new StaffAccounts({
    users: d.users,
    tokens: d.tokens,
    apiKeys: d.apiKeys,
    links: d.links,
    sessions: d.sessions,
    audit: d.audit,
    clock: d.clock,
    agencies: new Set(d.city.agencies.map((a) => a.id)),
    publicUrl: d.publicUrl,
    passwordLinkHours: s.passwordLinkHours,
  });
  const kit: ConsoleKit = { views, audit: d.audit };
  const pageExtensions: ConsoleExtension[] = [];
  const apiExtensions: ConsoleExtension[] = [];
  let mounted = false;
  let devAdmin: DevAdminCredentials | null = null;

  if (!s.sessionSecret && !d.simulator) d.logger.warn('SESSION_SECRET is not set: console sessions end when the process restarts and are not shared between processes; set it (32+ characters)');
  const sessions = consoleSession({ store: d.sessions, secret: s.sessionSecret ?? crypto.randomBytes(32).toString('base64url'), secure: s.secureCookies, sessionHours: s.sessionHours });
  const addressLimit = signInAddressLimit({
    limit: s.ipFailuresPer15Min,
    refuse: (req, res, seconds) => {
      const minutes = Math.ceil(seconds / 60);
      if (req.baseUrl.startsWith('/api/')) return sendApiError(res, 429, 'auth.rate-limited', `too many failed sign-ins from this address; try again in ${minutes} minutes`);
      const t = views.t(req);
      return views.page(req, res, 'error', { message: t('console:login.rateLimited', { minutes }), back: '/console/login' }, { title: t('console:login.title'), status: 429 });
    },
  });
  const headers = consoleSecurityHeaders({ https: s.secureCookies });

  function pagesRouter(): express.Router {
    const r = express.Router();
    r.use(headers);
    r.get('/static/htmx.min.js', (_req, res) => res.type('application/javascript').set('cache-control', 'public, max-age=86400').sendFile(HTMX_FILE));
    r.use('/static', express.static(STATIC_DIR, { maxAge: '1h', index: false }));
    r.use(noStore, sessions, languageSwitch, express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }), authenticate(access), csrfForSessions);
    signInPages(r, { views, access, accounts, audit: d.audit, addressLimit });
    homePages(r, { views, audit: d.audit, users: d.users, city: d.city });
    usersPages(r, { views, accounts, city: d.city, clock: d.clock });
    apiKeysPages(r, { views, accounts, city: d.city });
    for (const ext of pageExtensions) ext(r, kit);
    r.use(pageNotFound(views));
    r.use(pageErrors(views, d.logger));
    return r;
  }

  function apiRouter(): express.Router {
    const r = express.Router();
    r.use(headers, noStore);
    tokensRoute(r, { access, accounts, addressLimit });
    r.use(sessions, authenticate(access), csrfForSessions);
    staffApiRoutes(r, { access, accounts, addressLimit });
    for (const ext of apiExtensions) ext(r, kit);
    r.use(apiNotFound);
    r.use(apiErrors(d.logger));
    return r;
  }

  const register = (list: ConsoleExtension[]) => (ext: ConsoleExtension) => {
    if (mounted) throw new Error('console routes must be added before the console is mounted (before createApp)');
    list.push(ext);
  };

  return {
    mount(app) {
      mounted = true;
      app.use('/console', pagesRouter());
      app.use('/api/staff/v1', apiRouter());
    },
    addPages: register(pageExtensions),
    addApi: register(apiExtensions),
    audit: d.audit,
    access,
    accounts,
    views,
    devAdmin: () => devAdmin,
    signedInGuard: () => [
      sessions,
      authenticate(access),
      (req, res, next) => {
        if (actorOf(req)) return next();
        if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') return res.redirect(303, `/console/login?next=${encodeURIComponent(req.originalUrl)}`);
        return res.status(401).json({ error: 'sign in to the console first' });
      },
    ],
    async start() {
      devAdmin = await ensureFirstAdmin({ users: d.users, audit: d.audit, clock: d.clock, logger: d.logger, firstAdmin: s.firstAdmin, simulator: d.simulator });
      if (devAdmin) lastDevAdmin = devAdmin;
    },
    async close() {
      await d.sessions.close();
    },
  };
}
