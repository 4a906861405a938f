/**
 * The console's home page (what the user's role can do, with links to the report, hand-over and
 * broadcast pages others build), the admins' health page (a stub) and the audit log page.
 */
import type { Request, Router } from 'express';
import type { CityProfile } from '../../domain/city-profile';
import type { AuditLog } from '../../domain/staff/audit';
import { can, type Capability } from '../../domain/staff/permissions';
import type { StaffUsersRepo } from '../../domain/staff/ports';
import type { StaffScope } from '../../domain/staff/actor';
import type { Translate } from '../../i18n';
import { requireActor } from '../auth/context';
import { requireCapability, requireSignedIn } from '../auth/guards';
import type { ConsoleViews } from '../render';

export interface HomePagesDeps {
  readonly views: ConsoleViews;
  readonly audit: AuditLog;
  readonly users: Pick<StaffUsersRepo, 'countActiveAdmins'>;
  readonly city: CityProfile;
}

/** The console's sections, each shown to the roles with its capability. */
const TILES: ReadonlyArray<{ readonly capability: Capability; readonly href: string; readonly title: string; readonly text: string }> = [
  { capability: 'reports.read', href: '/console/reports', title: 'console:home.tiles.reports.title', text: 'console:home.tiles.reports.text' },
  { capability: 'reports.triage', href: '/console/reports?status=received', title: 'console:home.tiles.triage.title', text: 'console:home.tiles.triage.text' },
  { capability: 'handovers.handle', href: '/console/handovers', title: 'console:home.tiles.handovers.title', text: 'console:home.tiles.handovers.text' },
  { capability: 'broadcasts.compose', href: '/console/broadcasts', title: 'console:home.tiles.broadcasts.title', text: 'console:home.tiles.broadcasts.text' },
  { capability: 'users.manage', href: '/console/users', title: 'console:home.tiles.users.title', text: 'console:home.tiles.users.text' },
  { capability: 'api-keys.manage', href: '/console/api-keys', title: 'console:home.tiles.apiKeys.title', text: 'console:home.tiles.apiKeys.text' },
  { capability: 'audit.read', href: '/console/audit', title: 'console:home.tiles.audit.title', text: 'console:home.tiles.audit.text' },
  { capability: 'health.read', href: '/console/health', title: 'console:home.tiles.health.title', text: 'console:home.tiles.health.text' },
];

/** "Agencies: HEPCO · Wards: 26734" in the console's language, or "" for roles without a scope. */
export function scopeText(scope: StaffScope, city: CityProfile, locale: 'vi' | 'en', t: Translate): string {
  if (scope.role !== 'agency') return t('console:users.scopeAll');
  const names = scope.agencies.map((id) => city.agencies.find((a) => a.id === id)?.name[locale] ?? id);
  const parts = [];
  if (names.length) parts.push(t('console:users.scopeAgencies', { list: names.join(', ') }));
  if (scope.wards.length) parts.push(t('console:users.scopeWards', { list: scope.wards.join(', ') }));
  return parts.join(' · ');
}

export function homePages(r: Router, d: HomePagesDeps): void {
  const common = (req: Request) => d.views.common(req);

  r.get('/', requireSignedIn, (req, res) => {
    const actor = requireActor(req);
    const { t, locale } = common(req);
    const tiles = TILES.filter((x) => can(actor.role, x.capability)).map((x) => ({ href: x.href, title: t(x.title), text: t(x.text) }));
    const scope = actor.role === 'agency' ? scopeText(actor, d.city, locale, t) : null;
    d.views.page(req, res, 'home', { tiles, scope }, { title: t('console:home.title') });
  });

  r.get('/health', requireCapability('health.read'), async (req, res) => {
    const { t, formatTime } = common(req);
    let database: 'ok' | 'unreachable' = 'ok';
    let activeAdmins: number | string = '—';
    try {
      activeAdmins = await d.users.countActiveAdmins();
    } catch {
      database = 'unreachable';
    }
    const up = Math.round(process.uptime());
    const uptime = `${Math.floor(up / 3600)} h ${Math.floor((up % 3600) / 60)} min`;
    d.views.page(req, res, 'health', { database, activeAdmins, uptime, node: process.version, now: formatTime(new Date()) }, { title: t('console:health.title') });
  });

  r.get('/audit', requireCapability('audit.read'), async (req, res) => {
    const { t } = common(req);
    const entries = await d.audit.recent(200);
    d.views.page(req, res, 'audit', { entries }, { title: t('console:audit.title') });
  });
}
