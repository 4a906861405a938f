/**
 * Admin page of API keys: list, create (the key is shown in that answer only), revoke (effective at
 * once). The revoke button is an htmx request that swaps the table row; without JavaScript it is a
 * plain form. Every route needs `api-keys.manage`.
 */
import type { Request, Response, Router } from 'express';
import type { CityProfile } from '../../domain/city-profile';
import type { AccountProblem } from '../../domain/staff/accounts';
import type { ApiKeyRecord } from '../../domain/staff/ports';
import { requireActor } from '../auth/context';
import { requireCapability } from '../auth/guards';
import { FLASH_KEYS } from '../auth/session';
import type { ConsoleViews } from '../render';
import type { StaffAccounts } from '../services/staff-accounts';
import { StaffError } from '../services/staff-errors';
import { field, formOf, originOf, scopeFields } from './forms';
import { scopeText } from './home-pages';
import { scopeChoices, staffErrorText } from './users-pages';

export interface ApiKeysPagesDeps {
  readonly views: ConsoleViews;
  readonly accounts: StaffAccounts;
  readonly city: CityProfile;
}

interface KeyFormValues {
  readonly name: string;
  readonly role: string;
  readonly agencies: readonly string[];
  readonly wards: readonly string[];
}

const EMPTY: KeyFormValues = { name: '', role: 'viewer', agencies: [], wards: [] };

export function apiKeysPages(r: Router, d: ApiKeysPagesDeps): void {
  const guard = requireCapability('api-keys.manage');
  const decorate = (req: Request, k: ApiKeyRecord) => {
    const { t, locale } = d.views.common(req);
    return { ...k, scopeText: scopeText(k, d.city, locale, t) };
  };

  const listPage = async (req: Request, res: Response, o: { values?: KeyFormValues; problems?: readonly AccountProblem[]; error?: string | null; created?: { name: string; key: string } | null; status?: number } = {}) => {
    const keys = (await d.accounts.listApiKeys(requireActor(req))).map((k) => decorate(req, k));
    d.views.page(
      req,
      res,
      'api-keys/list',
      { keys, values: o.values ?? EMPTY, problems: o.problems ?? [], error: o.error ?? null, created: o.created ?? null, ...scopeChoices(d.views, req, d.city) },
      { title: d.views.t(req)('console:keys.title'), status: o.status },
    );
  };

  r.get('/api-keys', guard, (req, res) => listPage(req, res));

  r.post('/api-keys', guard, async (req, res) => {
    const body = formOf(req);
    const values = { name: field(body, 'name'), ...scopeFields(body) };
    try {
      const { record, key } = await d.accounts.createApiKey(requireActor(req), values, originOf(req));
      return await listPage(req, res, { created: { name: record.name, key }, status: 201 });
    } catch (err) {
      if (!(err instanceof StaffError) || err.kind === 'forbidden') throw err;
      return listPage(req, res, { values, problems: err.problems, error: err.kind === 'invalid' ? null : staffErrorText(d.views, req, err), status: err.status });
    }
  });

  r.post('/api-keys/:id/revoke', guard, async (req, res) => {
    const actor = requireActor(req);
    const id = String(req.params.id);
    let record: ApiKeyRecord | null = null;
    try {
      record = await d.accounts.revokeApiKey(actor, id, originOf(req));
    } catch (err) {
      if (!(err instanceof StaffError) || err.code !== 'staff.api-key-revoked') throw err;
    }
    if (req.get('hx-request') === 'true') {
      const k = record ?? (await d.accounts.listApiKeys(actor)).find((x) => x.id === id);
      if (k) return d.views.partial(req, res, 'api-keys/row', { k: decorate(req, k) });
    }
    req.session.flash = FLASH_KEYS.keyRevoked;
    return res.redirect(303, '/console/api-keys');
  });
}
