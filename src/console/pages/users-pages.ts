/**
 * Admin pages of staff users: list, create (the new user gets a one-time link to set their
 * password), edit role and scope, deactivate/reactivate, unlock, and password reset by an admin (a
 * new one-time link shown to the admin once). Every route needs `users.manage`.
 */
import type { Request, Response, Router } from 'express';
import type { CityProfile } from '../../domain/city-profile';
import { STAFF_ROLES, type StaffRole } from '../../domain/staff/actor';
import type { AccountProblem } from '../../domain/staff/accounts';
import type { StaffUser } from '../../domain/staff/ports';
import { requireActor } from '../auth/context';
import { requireCapability } from '../auth/guards';
import { FLASH_KEYS } from '../auth/session';
import type { ConsoleViews } from '../render';
import type { PasswordLink, StaffAccounts } from '../services/staff-accounts';
import { StaffError } from '../services/staff-errors';
import { field, formOf, originOf, scopeFields } from './forms';
import { scopeText } from './home-pages';

export interface UsersPagesDeps {
  readonly views: ConsoleViews;
  readonly accounts: StaffAccounts;
  readonly city: CityProfile;
  readonly clock: { now(): Date };
}

interface FormValues {
  readonly email: string;
  readonly displayName: string;
  readonly role: string;
  readonly agencies: readonly string[];
  readonly wards: readonly string[];
}

/** Options and checkboxes of the role/agency/ward fields. */
export function scopeChoices(views: ConsoleViews, req: Request, city: CityProfile) {
  const { t, locale, roleLabel } = views.common(req);
  return {
    roles: STAFF_ROLES.map((r: StaffRole) => ({ value: r, label: roleLabel(r), hint: t(ROLE_HINTS[r]) })),
    agencies: city.agencies.map((a) => ({ id: a.id, name: a.name[locale] })),
  };
}

const ROLE_HINTS: Record<StaffRole, string> = {
  admin: 'console:roles.hints.admin',
  operator: 'console:roles.hints.operator',
  agency: 'console:roles.hints.agency',
  communications: 'console:roles.hints.communications',
  viewer: 'console:roles.hints.viewer',
};

export function usersPages(r: Router, d: UsersPagesDeps): void {
  const guard = requireCapability('users.manage');

  const decorate = (req: Request, u: StaffUser) => {
    const { t, locale } = d.views.common(req);
    const locked = u.lockedUntil !== null && u.lockedUntil > d.clock.now();
    const [statusText, statusClass] = !u.active
      ? [t('console:users.statusInactive'), 'badge-muted']
      : locked
        ? [t('console:users.statusLocked'), 'badge-bad']
        : !u.hasPassword
          ? [t('console:users.statusInvited'), 'badge-muted']
          : [t('console:users.statusActive'), 'badge-ok'];
    return { ...u, locked, statusText, statusClass, scopeText: scopeText(u, d.city, locale, t) };
  };

  const newPage = (req: Request, res: Response, values: FormValues, problems: readonly AccountProblem[] = [], error: string | null = null, status = 200) =>
    d.views.page(req, res, 'users/new', { values, problems, error, ...scopeChoices(d.views, req, d.city) }, { title: d.views.t(req)('console:users.newTitle'), status });

  const editPage = async (req: Request, res: Response, user: StaffUser, o: { values?: FormValues; problems?: readonly AccountProblem[]; error?: string | null; link?: PasswordLink | null; status?: number } = {}) => {
    const values = o.values ?? { email: user.email, displayName: user.displayName, role: user.role, agencies: user.agencies, wards: user.wards };
    d.views.page(
      req,
      res,
      'users/edit',
      { user: decorate(req, user), values, problems: o.problems ?? [], error: o.error ?? null, link: o.link ?? null, ...scopeChoices(d.views, req, d.city) },
      { title: user.displayName, status: o.status },
    );
  };

  const valuesOf = (req: Request): FormValues => {
    const body = formOf(req);
    return { email: field(body, 'email'), displayName: field(body, 'displayName'), ...scopeFields(body) };
  };

  /** A refused change re-renders the form with the reasons; other failures go to the error page. */
  const refusal = (req: Request, err: unknown): { problems: readonly AccountProblem[]; error: string | null; status: number } | null => {
    if (!(err instanceof StaffError) || err.kind === 'forbidden' || err.kind === 'not-found') return null;
    return { problems: err.problems, error: err.kind === 'invalid' ? null : staffErrorText(d.views, req, err), status: err.status };
  };

  r.get('/users', guard, async (req, res) => {
    const users = (await d.accounts.listUsers(requireActor(req))).map((u) => decorate(req, u));
    d.views.page(req, res, 'users/list', { users }, { title: d.views.t(req)('console:users.title') });
  });

  r.get('/users/new', guard, (req, res) => newPage(req, res, { email: '', displayName: '', role: 'operator', agencies: [], wards: [] }));

  r.post('/users', guard, async (req, res) => {
    const values = valuesOf(req);
    try {
      const { user, link } = await d.accounts.createUser(requireActor(req), values, originOf(req));
      return await editPage(req, res, user, { link, status: 201 });
    } catch (err) {
      const why = refusal(req, err);
      if (!why) throw err;
      return newPage(req, res, values, why.problems, why.error, why.status);
    }
  });

  r.get('/users/:id', guard, async (req, res) => {
    const user = await d.accounts.getUser(requireActor(req), String(req.params.id));
    await editPage(req, res, user);
  });

  r.post('/users/:id', guard, async (req, res) => {
    const actor = requireActor(req);
    const user = await d.accounts.getUser(actor, String(req.params.id));
    const values = { ...valuesOf(req), email: user.email };
    try {
      await d.accounts.updateUser(actor, user.id, values, originOf(req));
    } catch (err) {
      const why = refusal(req, err);
      if (!why) throw err;
      return editPage(req, res, user, { values, ...why });
    }
    req.session.flash = FLASH_KEYS.userSaved;
    return res.redirect(303, `/console/users/${user.id}`);
  });

  const action = (path: string, run: (req: Request, id: string) => Promise<unknown>, flash: (typeof FLASH_KEYS)[keyof typeof FLASH_KEYS]) =>
    r.post(`/users/:id/${path}`, guard, async (req, res) => {
      const id = String(req.params.id);
      try {
        await run(req, id);
      } catch (err) {
        const why = refusal(req, err);
        if (!why) throw err;
        return editPage(req, res, await d.accounts.getUser(requireActor(req), id), { error: why.error, status: why.status });
      }
      req.session.flash = flash;
      return res.redirect(303, `/console/users/${id}`);
    });
  action('deactivate', (req, id) => d.accounts.setActive(requireActor(req), id, false, originOf(req)), FLASH_KEYS.userDeactivated);
  action('reactivate', (req, id) => d.accounts.setActive(requireActor(req), id, true, originOf(req)), FLASH_KEYS.userReactivated);
  action('unlock', (req, id) => d.accounts.unlock(requireActor(req), id, originOf(req)), FLASH_KEYS.userUnlocked);

  // The link is shown in this answer only (never stored in a readable form): no redirect.
  r.post('/users/:id/password-link', guard, async (req, res) => {
    const actor = requireActor(req);
    const id = String(req.params.id);
    try {
      const { user, link } = await d.accounts.issuePasswordLink(actor, id, originOf(req));
      return await editPage(req, res, user, { link });
    } catch (err) {
      const why = refusal(req, err);
      if (!why) throw err;
      return editPage(req, res, await d.accounts.getUser(actor, id), { error: why.error, status: why.status });
    }
  });
}

const STAFF_ERROR_KEYS: Record<StaffError['code'], string> = {
  'staff.forbidden': 'console:errors.forbidden',
  'staff.user-not-found': 'console:errors.notFound',
  'staff.api-key-not-found': 'console:errors.notFound',
  'staff.email-taken': 'console:problems.email-taken',
  'staff.name-taken': 'console:problems.name-taken',
  'staff.last-admin': 'console:errors.lastAdmin',
  'staff.user-inactive': 'console:errors.userInactive',
  'staff.not-yourself': 'console:errors.notYourself',
  'staff.api-key-revoked': 'console:errors.keyRevoked',
  'staff.invalid-input': 'console:problems.title',
};

/** The console's words for a refusal of the account use cases. */
export function staffErrorText(views: ConsoleViews, req: Request, err: StaffError): string {
  return views.t(req)(STAFF_ERROR_KEYS[err.code]);
}
