/**
 * Server-rendered console pages: Eta templates in `src/console/views/`, wrapped in one layout
 * (city name, navigation for the user's role, language switch, sign-out), Vietnamese first.
 *
 * A page handler calls `views.page(req, res, 'users/list', { users }, { title })`; the template
 * sees its data plus {@link CommonViewData} as `it` (`it.t('console:…')`, `it.csrfField`, `it.can(…)`).
 * An htmx fragment uses `views.partial(...)` (no layout). Output is HTML-escaped (`<%= %>`);
 * `<%~ %>` is only for HTML the console built itself (`it.csrfField`, `it.body`).
 */
import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import { Eta } from 'eta';
import type { CityProfile } from '../domain/city-profile';
import type { Locale } from '../domain/shared/ids';
import type { StaffRole } from '../domain/staff/actor';
import type { AccountProblem, AccountProblemCode } from '../domain/staff/accounts';
import { can, type Capability } from '../domain/staff/permissions';
import type { I18n, Translate } from '../i18n';
import { authOf, type StaffAuthContext } from './auth/context';
import { csrfTokenOf, CSRF_FIELD } from './auth/csrf';
import type { FlashKey } from './auth/session';

export const VIEWS_DIR = path.join(__dirname, 'views');

/** What every console template sees besides its own data. */
export interface CommonViewData {
  readonly t: Translate;
  readonly locale: Locale;
  /** The session's CSRF token (also sent by htmx from the layout's `hx-headers`). */
  readonly csrf: string;
  /** `<input type="hidden" name="_csrf" value="…">`, for every form: `<%~ it.csrfField %>`. */
  readonly csrfField: string;
  readonly city: { readonly name: string; readonly ioc: string };
  readonly auth: StaffAuthContext | null;
  readonly can: (capability: Capability) => boolean;
  readonly roleLabel: (role: StaffRole) => string;
  readonly problemText: (p: AccountProblem) => string;
  /** Links to this page in the other language. */
  readonly langLinks: ReadonlyArray<{ readonly locale: Locale; readonly href: string; readonly label: string; readonly current: boolean }>;
  /** The path of the page (for `aria-current` in the navigation). */
  readonly path: string;
  readonly flash: string | null;
  readonly formatTime: (d: Date | null) => string;
}

export interface PageOptions {
  /** The page's title (already translated), shown in <title> and the <h1>. */
  readonly title: string;
  readonly status?: number;
}

const ROLE_KEYS: Record<StaffRole, string> = {
  admin: 'console:roles.admin',
  operator: 'console:roles.operator',
  agency: 'console:roles.agency',
  communications: 'console:roles.communications',
  viewer: 'console:roles.viewer',
};

const PROBLEM_KEYS: Record<AccountProblemCode, string> = {
  'email.invalid': 'console:problems.email-invalid',
  'email.taken': 'console:problems.email-taken',
  'name.required': 'console:problems.name-required',
  'name.too-long': 'console:problems.name-too-long',
  'name.taken': 'console:problems.name-taken',
  'role.invalid': 'console:problems.role-invalid',
  'password.too-short': 'console:problems.password-too-short',
  'password.too-long': 'console:problems.password-too-long',
  'password.mismatch': 'console:problems.password-mismatch',
  'scope.agency-needs-scope': 'console:problems.agency-needs-scope',
  'scope.unknown-agency': 'console:problems.unknown-agency',
  'scope.invalid-ward': 'console:problems.invalid-ward',
};

const LANG_LABELS: Record<Locale, string> = { vi: 'Tiếng Việt', en: 'English' };

/** The request's console language: the session's choice, else Vietnamese. */
export function localeOf(req: Request): Locale {
  return req.session?.locale ?? 'vi';
}

/** `?lang=vi|en` on any console page switches the language for the rest of the session. */
export const languageSwitch: RequestHandler = (req, _res, next) => {
  const lang = req.query.lang;
  if ((lang === 'vi' || lang === 'en') && req.session) req.session.locale = lang;
  next();
};

export class ConsoleViews {
  private readonly eta: Eta;

  constructor(private readonly d: { i18n: I18n; city: CityProfile; timezone: string; viewsDir?: string }) {
    this.eta = new Eta({ views: d.viewsDir ?? VIEWS_DIR, cache: true, autoEscape: true, autoTrim: [false, 'nl'] });
  }

  /** Renders `view` inside the layout and sends it (text/html, not cached by the browser). */
  page(req: Request, res: Response, view: string, data: Record<string, unknown>, o: PageOptions): void {
    const common = this.common(req);
    const body = this.eta.render(view, { ...data, ...common, title: o.title });
    const html = this.eta.render('layout', { ...common, title: o.title, body });
    if (req.session?.flash) delete req.session.flash; // shown once
    res.status(o.status ?? 200).type('html').send(html);
  }

  /** The request's translate function. */
  t(req: Request): Translate {
    return this.d.i18n.forLocale(localeOf(req));
  }

  /** Renders a fragment for htmx (no layout). */
  partial(req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200): void {
    res.status(status).type('html').send(this.eta.render(view, { ...data, ...this.common(req) }));
  }

  /** The common data of a request (for templates rendered by hand). */
  common(req: Request): CommonViewData {
    const locale = localeOf(req);
    const t = this.d.i18n.forLocale(locale);
    const csrf = csrfTokenOf(req);
    const auth = authOf(req);
    const flash = req.session?.flash ?? null;
    const here = new URL(req.originalUrl, 'http://console.invalid');
    const langLinks = (['vi', 'en'] as const).map((l) => {
      const u = req.method === 'GET' ? new URL(here) : new URL('/console', here);
      u.searchParams.set('lang', l);
      return { locale: l, href: `${u.pathname}${u.search}`, label: LANG_LABELS[l], current: l === locale };
    });
    const fmt = new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: this.d.timezone });
    return {
      t,
      locale,
      csrf,
      csrfField: `<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`,
      city: { name: this.d.city.name[locale], ioc: this.d.city.ioc[locale] },
      auth,
      can: (c) => (auth ? can(auth.actor.role, c) : false),
      roleLabel: (r) => t(ROLE_KEYS[r]),
      problemText: (p) => t(PROBLEM_KEYS[p.code]),
      langLinks,
      path: here.pathname,
      flash: flash ? t(flash satisfies FlashKey) : null,
      formatTime: (d) => (d ? fmt.format(d) : '—'),
    };
  }
}
