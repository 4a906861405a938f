/**
 * The report API (`/api/staff/v1`) against real PostgreSQL, real images and the fake platforms:
 * routing at filing, the report's JSON shape, every transition by every role, result photos through
 * the photo pipeline, notes and category edits, the order of refusals (401 → 403 → 404 → 409 →
 * 422), scopes, CSRF for session calls, and audit rows.
 */
import sharp from 'sharp';
import request from 'supertest';
import { pdfFile, rotatedJpegWithGps, decompressionBombPng } from '../../fixtures/images';
import { fileReport } from '../../support/file-report';
import type { Harness } from '../../support/harness';
import { ADMIN, apiToken, auditRows, consoleHarness, createStaff, signIn, type TestClock } from './console-support';

let h: Harness & { clock: TestClock };
const tokens: Record<'admin' | 'operator' | 'hepco' | 'wardUser' | 'lights' | 'communications' | 'viewer', string> = {} as never;

beforeAll(async () => {
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
  tokens.admin = await apiToken(h, ADMIN.email, ADMIN.password);
  const make = async (role: Parameters<typeof createStaff>[1], o: Parameters<typeof createStaff>[2] = {}) => {
    const u = await createStaff(h, role, o);
    return apiToken(h, u.email, u.password);
  };
  tokens.operator = await make('operator');
  tokens.hepco = await make('agency', { agencies: ['hepco'] });
  tokens.wardUser = await make('agency', { agencies: [], wards: ['19789'] });
  tokens.lights = await make('agency', { agencies: ['chieu-sang'] });
  tokens.communications = await make('communications');
  tokens.viewer = await make('viewer');
});
afterAll(async () => h.close());

const api = () => request(h.rt.app);
const as = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });
const jpeg = (colour = '#3a6', width = 800, height = 600) => sharp({ create: { width, height, channels: 3, background: colour } }).jpeg().toBuffer();

let psidSeq = 0;
const newPsid = () => `psid-api-${process.pid}-${++psidSeq}`;

async function upload(who: keyof typeof tokens, bytes?: Buffer): Promise<string> {
  const res = await api().post('/api/staff/v1/photos').set(as(who)).attach('photo', bytes ?? (await jpeg()), { filename: 'ket-qua.jpg', contentType: 'image/jpeg' });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const transition = (who: keyof typeof tokens, code: string, body: Record<string, unknown>) => api().post(`/api/staff/v1/reports/${code}/transitions`).set(as(who)).send(body);

describe('filing routes the report', () => {
  it('a report filed through the signed webhook gets its ward from the point and the proposed agency from the ward × category table, and stays received', async () => {
    const { code } = await fileReport(h, 'messenger', newPsid());
    const row = await h.t.db.query('SELECT status, ward, agency, proposed_agency FROM reports WHERE code = $1', [code]);
    // 16.4665, 107.5905 lies in Phường Thuận Hóa (19789) of the illustrative polygons; trees → HEPCO.
    expect(row.rows[0]).toEqual({ status: 'received', ward: '19789', agency: null, proposed_agency: 'hepco' });
  });
});

describe('GET /agencies', () => {
  it("lists the city profile's agencies as [{id, name}] to any signed-in role, 401 without credentials", async () => {
    const res = await api().get('/api/staff/v1/agencies').set(as('viewer'));
    expect(res.status).toBe(200);
    expect(res.body).toContainEqual({ id: 'hepco', name: 'Công ty CP Môi trường và Công trình đô thị Huế' });
    expect(res.body.every((a: object) => Object.keys(a).sort().join() === 'id,name')).toBe(true);
    expect(res.body).toHaveLength(h.rt.content.city.agencies.length);
    const anonymous = await api().get('/api/staff/v1/agencies');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('auth.required');
  });
});

describe('GET /reports/:code', () => {
  it('answers the report in the fixed shape: ISO times, ward code, photos with public and original URLs, history with actors', async () => {
    const { code } = await fileReport(h, 'zalo', `71${Date.now()}`.slice(0, 19));
    const res = await api().get(`/api/staff/v1/reports/${code}`).set(as('operator'));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(
      ['address', 'agency', 'category', 'code', 'createdAt', 'description', 'dueAt', 'history', 'location', 'photos', 'rating', 'ratingComment', 'reopenCount', 'reopened', 'resultPhotos', 'status', 'updatedAt', 'ward'].sort(),
    );
    expect(res.body).toMatchObject({ code, status: 'received', category: 'trees', ward: '19789', agency: null, reopened: false, reopenCount: 0, rating: null, resultPhotos: [] });
    expect(res.body.location).toEqual({ lat: 16.4665, lng: 107.5905 });
    for (const t of [res.body.createdAt, res.body.updatedAt, res.body.dueAt]) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(new Date(res.body.dueAt).getTime() - new Date(res.body.createdAt).getTime()).toBe(24 * 3_600_000);
    expect(res.body.photos).toHaveLength(1);
    const p = res.body.photos[0];
    expect(Object.keys(p).sort()).toEqual(['height', 'id', 'originalUrl', 'thumbnailUrl', 'url', 'width']);
    expect(p.url).toBe(`http://bot.test/media/${p.id}`);
    expect(p.originalUrl).toBe(`http://bot.test/media/${p.id}`);
    expect(p.thumbnailUrl).toMatch(/^http:\/\/bot\.test\/media\/[a-f0-9]{64}\.(jpg|webp)$/);
    expect(res.body.history).toEqual([{ at: res.body.createdAt, from: null, to: 'received', actor: { kind: 'resident', id: expect.any(String) }, note: null, internalNote: null }]);
    // Nothing that identifies the resident on a platform.
    const platformIds = await h.t.db.query<{ platform_user_id: string }>('SELECT x.platform_user_id FROM residents x JOIN reports r ON r.resident_id = x.id WHERE r.code = $1', [code]);
    expect(JSON.stringify(res.body)).not.toContain(platformIds.rows[0]!.platform_user_id);
  });

  it('404 for an unknown or malformed code; an agency user gets 404 for reports outside their agencies and wards', async () => {
    for (const code of ['PA-ZZZZZZZ', 'nope', '%27%3B--']) {
      const res = await api().get(`/api/staff/v1/reports/${code}`).set(as('operator'));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('report.not-found');
    }
    const { code } = await fileReport(h, 'messenger', newPsid());
    expect((await api().get(`/api/staff/v1/reports/${code}`).set(as('lights'))).status).toBe(404);
    // The ward user sees it (the report lies in their ward), HEPCO once it is assigned to them.
    expect((await api().get(`/api/staff/v1/reports/${code}`).set(as('wardUser'))).status).toBe(200);
    expect((await api().get(`/api/staff/v1/reports/${code}`).set(as('hepco'))).status).toBe(404);
    expect((await transition('operator', code, { to: 'assigned', agency: 'hepco' })).status).toBe(200);
    expect((await api().get(`/api/staff/v1/reports/${code}`).set(as('hepco'))).status).toBe(200);
  });

  it('the communications role sees resolved reports only, and never the original photos', async () => {
    const { code } = await fileReport(h, 'messenger', newPsid());
    expect((await api().get(`/api/staff/v1/reports/${code}`).set(as('communications'))).status).toBe(404);
    await transition('operator', code, { to: 'assigned', agency: 'hepco' });
    await transition('hepco', code, { to: 'in_progress' });
    await transition('hepco', code, { to: 'resolved', note: 'Đã xử lý xong.', photoIds: [await upload('hepco')] });
    const res = await api().get(`/api/staff/v1/reports/${code}`).set(as('communications'));
    expect(res.status).toBe(200);
    for (const p of [...res.body.photos, ...res.body.resultPhotos]) {
      expect(p).not.toHaveProperty('originalUrl');
      expect(p.url).toMatch(/^http:\/\/bot\.test\/media\//);
    }
  });
});

describe('POST /reports/:code/transitions', () => {
  it('the IOC assigns, the agency starts and resolves with a result photo: 200 with the report each time, history with actors and notes, the resident hears each step, every step audited', async () => {
    const psid = newPsid();
    const { code } = await fileReport(h, 'messenger', psid);
    const before = h.graph.sentMessages(psid).length;

    const assigned = await transition('operator', code, { to: 'assigned', agency: 'hepco', internalNote: 'Ưu tiên, gần trường học' });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ code, status: 'assigned', agency: 'hepco' });

    const started = await transition('hepco', code, { to: 'in_progress', note: null });
    expect(started.body.status).toBe('in_progress');

    const photoId = await upload('hepco');
    const resolved = await transition('hepco', code, { to: 'resolved', note: 'Đã cắt tỉa và thu dọn cây đổ.', photoIds: [photoId] });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    expect(resolved.body.resultPhotos.map((p: { id: string }) => p.id)).toEqual([photoId]);
    expect(resolved.body.history.map((e: { from: string | null; to: string; actor: { kind: string } }) => [e.from, e.to, e.actor.kind])).toEqual([
      [null, 'received', 'resident'],
      ['received', 'assigned', 'staff'],
      ['assigned', 'in_progress', 'staff'],
      ['in_progress', 'resolved', 'staff'],
    ]);
    expect(resolved.body.history[1].internalNote).toBe('Ưu tiên, gần trường học');
    expect(resolved.body.history[3].note).toBe('Đã cắt tỉa và thu dọn cây đổ.');

    const msgs = await h.graph.waitForMessages(psid, before + 4, 10_000);
    const texts = msgs.slice(before).map((m) => m.message?.text ?? '').filter(Boolean);
    expect(texts.some((t) => t.includes(code) && t.includes('Đã cắt tỉa và thu dọn cây đổ.'))).toBe(true);
    expect(JSON.stringify(msgs.slice(before))).not.toContain('Ưu tiên, gần trường học');
    expect(JSON.stringify(msgs.slice(before))).toContain(photoId);

    const audit = (await auditRows(h)).filter((r) => r.target_id === code);
    expect(audit.map((r) => r.action)).toEqual(['report.assign', 'report.start', 'report.resolve']);
    expect(audit[0]!.details).toEqual({ from: 'received', to: 'assigned', agency: 'hepco', internalNote: true });
    expect(JSON.stringify(audit)).not.toContain('Ưu tiên');
    expect((await auditRows(h, 'photo.upload')).some((r) => r.target_id === photoId)).toBe(true);
  });

  it('answers in the order 401, 403 (role), 404, 409 (state), 422 (input)', async () => {
    const { code } = await fileReport(h, 'messenger', newPsid());
    const noAuth = await api().post(`/api/staff/v1/reports/${code}/transitions`).send({ to: 'assigned', agency: 'hepco' });
    expect(noAuth.status).toBe(401);
    // A viewer is refused for the role even for a report that does not exist and with a bad body.
    const viewer = await transition('viewer', 'PA-ZZZZZZZ', { to: 'nothing' });
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.code).toBe('auth.forbidden');
    // An agency may never assign (role) even on an unknown report.
    const agencyAssign = await transition('hepco', 'PA-ZZZZZZZ', { to: 'assigned', agency: 'hepco' });
    expect(agencyAssign.status).toBe(403);
    expect(agencyAssign.body.error.code).toBe('lifecycle.forbidden');
    expect((await transition('operator', 'PA-ZZZZZZZ', { to: 'rejected' })).status).toBe(404);
    // Resolving a received report: the state is wrong (409) even though the reply is missing too.
    const illegal = await transition('operator', code, { to: 'resolved' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.error.code).toBe('lifecycle.illegal-transition');
    const noReason = await transition('operator', code, { to: 'rejected', note: '   ' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.code).toBe('lifecycle.reason-required');
    const noAgency = await transition('operator', code, { to: 'assigned' });
    expect(noAgency.status).toBe(422);
    expect(noAgency.body.error.code).toBe('lifecycle.agency-required');
    const unknownAgency = await transition('operator', code, { to: 'assigned', agency: 'ubnd-ha-noi' });
    expect(unknownAgency.status).toBe(422);
    expect(unknownAgency.body.error.code).toBe('lifecycle.unknown-agency');
    const badTo = await transition('operator', code, { to: 'fixed' });
    expect(badTo.status).toBe(422);
    expect(badTo.body.error.fields).toEqual([{ field: 'to', code: 'transition.unknown-status' }]);
    const badTypes = await transition('operator', code, { to: 'assigned', agency: 42, photoIds: 'x' });
    expect(badTypes.status).toBe(422);
    expect(badTypes.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['agency', 'photoIds']);
    const malformed = await api().post(`/api/staff/v1/reports/${code}/transitions`).set(as('operator')).set('content-type', 'application/json').send('{"to": ');
    expect(malformed.status).toBe(400);
    // Nothing was written by any refusal.
    const ev = await h.t.db.query('SELECT count(*)::int AS n FROM report_events e JOIN reports r ON r.id = e.report_id WHERE r.code = $1', [code]);
    expect(ev.rows[0]!.n).toBe(1);
  });

  it('an agency may not act on a received report (the IOC assigns first), nor reopen a resolution; it rejects its own report with a public reason', async () => {
    const { code } = await fileReport(h, 'messenger', newPsid());
    const early = await transition('wardUser', code, { to: 'in_progress' });
    expect(early.status).toBe(409); // received → in_progress is not a transition at all
    const earlyReject = await transition('wardUser', code, { to: 'rejected', note: 'Không thuộc thẩm quyền' });
    expect(earlyReject.status).toBe(403);
    await transition('operator', code, { to: 'assigned', agency: 'hepco' });
    const rejected = await transition('hepco', code, { to: 'rejected', note: 'Cây thuộc khuôn viên nhà dân, không phải cây công cộng.' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    const again = await transition('operator', code, { to: 'assigned', agency: 'hepco' });
    expect(again.status).toBe(409);
  });

  it('result photos must be staff uploads: an unknown id or a resident photo is refused with 422 and nothing changes', async () => {
    const { code } = await fileReport(h, 'messenger', newPsid());
    await transition('operator', code, { to: 'assigned', agency: 'hepco' });
    await transition('hepco', code, { to: 'in_progress' });
    const residentKey = (await h.t.db.query<{ media_key: string }>("SELECT p.media_key FROM report_photos p JOIN reports r ON r.id = p.report_id WHERE r.code = $1 AND p.kind = 'resident'", [code])).rows[0]!.media_key;
    for (const photoIds of [['a'.repeat(64) + '.jpg'], [residentKey]]) {
      const res = await transition('hepco', code, { to: 'resolved', note: 'Đã xử lý.', photoIds });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('report.unknown-photo');
    }
    const six = await Promise.all([1, 2, 3, 4, 5, 6].map(async (i) => upload('hepco', await jpeg(`#${i}${i}${i}`))));
    const tooMany = await transition('hepco', code, { to: 'resolved', note: 'Đã xử lý.', photoIds: six });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.code).toBe('lifecycle.too-many-photos');
    const status = await h.t.db.query('SELECT status FROM reports WHERE code = $1', [code]);
    expect(status.rows[0]!.status).toBe('in_progress');
    const ok = await transition('hepco', code, { to: 'resolved', note: 'Đã xử lý.', photoIds: six.slice(0, 5) });
    expect(ok.status).toBe(200);
    expect(ok.body.resultPhotos).toHaveLength(5);
  });

  it('marks a duplicate with the code of the other report; the duplicate names it, the resident hears it', async () => {
    const first = await fileReport(h, 'messenger', newPsid());
    const psid = newPsid();
    const second = await fileReport(h, 'messenger', psid);
    const before = h.graph.sentMessages(psid).length;
    const unknown = await transition('operator', second.code, { to: 'duplicate', duplicateOf: 'PA-ZZZZZZZ' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('lifecycle.duplicate-of-unknown');
    const res = await transition('operator', second.code, { to: 'duplicate', duplicateOf: first.code.toLowerCase() });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('duplicate');
    const msgs = await h.graph.waitForMessages(psid, before + 1, 8000);
    expect(JSON.stringify(msgs.slice(before))).toContain(first.code);
    expect((await auditRows(h, 'report.duplicate')).some((r) => r.target_id === second.code && r.details.duplicateOf === first.code)).toBe(true);
  });

  it('the IOC reopens a resolved report (flagged, counted); the agency may not', async () => {
    const { code } = await fileReport(h, 'messenger', newPsid());
    await transition('operator', code, { to: 'assigned', agency: 'hepco' });
    await transition('hepco', code, { to: 'in_progress' });
    await transition('hepco', code, { to: 'resolved', note: 'Xong.', photoIds: [] });
    expect((await transition('hepco', code, { to: 'in_progress' })).status).toBe(403);
    const reopened = await transition('admin', code, { to: 'in_progress', internalNote: 'Người dân gọi điện báo chưa xử lý' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'in_progress', reopened: true, reopenCount: 1 });
    expect((await auditRows(h, 'report.reopen')).some((r) => r.target_id === code)).toBe(true);
  });
});

describe('POST /photos', () => {
  it('stores a photo through the pipeline (metadata stripped) and answers 201 {id}', async () => {
    const res = await api().post('/api/staff/v1/photos').set(as('operator')).attach('photo', await rotatedJpegWithGps(), { filename: 'x.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['id']);
    expect(res.body.id).toMatch(/^[a-f0-9]{64}\.(jpg|webp)$/);
    const stored = await request(h.rt.app).get(`/media/${res.body.id}`);
    expect(stored.status).toBe(200);
    const meta = await sharp(stored.body as Buffer).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation === undefined || meta.orientation === 1).toBe(true);
  });

  it('refuses what is not a usable photo with 422 naming the problem, and roles that do not resolve with 403', async () => {
    const cases: Array<[string, () => Promise<request.Response>, string]> = [
      ['pdf', async () => api().post('/api/staff/v1/photos').set(as('operator')).attach('photo', pdfFile(), { filename: 'x.pdf', contentType: 'application/pdf' }), 'photo.unsupported'],
      ['bomb', async () => api().post('/api/staff/v1/photos').set(as('operator')).attach('photo', await decompressionBombPng(), { filename: 'x.png', contentType: 'image/png' }), 'photo.too-many-pixels'],
      ['no file', async () => api().post('/api/staff/v1/photos').set(as('operator')).field('other', 'x'), 'photo.missing'],
      ['wrong field', async () => api().post('/api/staff/v1/photos').set(as('operator')).attach('image', await jpeg(), { filename: 'x.jpg', contentType: 'image/jpeg' }), 'photo.missing'],
      ['json', async () => api().post('/api/staff/v1/photos').set(as('operator')).send({ photo: 'x' }), 'photo.missing'],
    ];
    for (const [what, send, code] of cases) {
      const res = await send();
      expect([what, res.status, res.body.error?.code]).toEqual([what, 422, code]);
    }
    for (const who of ['viewer', 'communications'] as const) {
      const res = await api().post('/api/staff/v1/photos').set(as(who)).attach('photo', await jpeg(), { filename: 'x.jpg', contentType: 'image/jpeg' });
      expect(res.status).toBe(403);
    }
    expect((await api().post('/api/staff/v1/photos').attach('photo', await jpeg(), { filename: 'x.jpg', contentType: 'image/jpeg' })).status).toBe(401);
  });
});

describe('internal notes and category edits', () => {
  it('a note is written by those who work reports, shows in the history as internal, and never reaches the resident', async () => {
    const psid = newPsid();
    const { code } = await fileReport(h, 'messenger', psid);
    const before = h.graph.sentMessages(psid).length;
    const res = await api().post(`/api/staff/v1/reports/${code}/notes`).set(as('operator')).send({ text: 'Đã gọi tổ dân phố xác minh.' });
    expect(res.status).toBe(201);
    const last = res.body.history.at(-1);
    expect(last).toMatchObject({ from: 'received', to: 'received', note: null, internalNote: 'Đã gọi tổ dân phố xác minh.', actor: { kind: 'staff' } });
    expect((await api().post(`/api/staff/v1/reports/${code}/notes`).set(as('viewer')).send({ text: 'x' })).status).toBe(403);
    expect((await api().post(`/api/staff/v1/reports/${code}/notes`).set(as('operator')).send({ text: '  ' })).status).toBe(422);
    expect((await api().post(`/api/staff/v1/reports/${code}/notes`).set(as('operator')).send({ text: 'x'.repeat(4001) })).status).toBe(422);
    expect((await api().post(`/api/staff/v1/reports/${code}/notes`).set(as('lights')).send({ text: 'x' })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    await h.idle();
    expect(h.graph.sentMessages(psid).length).toBe(before);
    expect((await auditRows(h, 'report.note')).filter((r) => r.target_id === code)).toHaveLength(1);
  });

  it('the IOC corrects the category: the due time follows the new SLA, the proposal is recomputed, the history says so; agencies may not, final reports may not change', async () => {
    const { code } = await fileReport(h, 'messenger', newPsid());
    const res = await api().post(`/api/staff/v1/reports/${code}/category`).set(as('operator')).send({ category: 'street-lights', note: 'Ảnh là cột đèn gãy' });
    expect(res.status).toBe(200);
    expect(res.body.category).toBe('street-lights');
    expect(new Date(res.body.dueAt).getTime() - new Date(res.body.createdAt).getTime()).toBe(48 * 3_600_000);
    expect(res.body.history.at(-1).internalNote).toBe('category: trees → street-lights (Ảnh là cột đèn gãy)');
    const row = await h.t.db.query('SELECT proposed_agency FROM reports WHERE code = $1', [code]);
    expect(row.rows[0]!.proposed_agency).toBe('chieu-sang');
    expect((await api().post(`/api/staff/v1/reports/${code}/category`).set(as('wardUser')).send({ category: 'waste' })).status).toBe(403);
    expect((await api().post(`/api/staff/v1/reports/${code}/category`).set(as('operator')).send({ category: 'street-lights' })).status).toBe(422);
    expect((await api().post(`/api/staff/v1/reports/${code}/category`).set(as('operator')).send({ category: 'ufo' })).status).toBe(422);
    await transition('operator', code, { to: 'rejected', note: 'Không thuộc phạm vi.' });
    const final = await api().post(`/api/staff/v1/reports/${code}/category`).set(as('operator')).send({ category: 'waste' });
    expect(final.status).toBe(409);
    expect(final.body.error.code).toBe('report.final');
    expect((await auditRows(h, 'report.category')).some((r) => r.target_id === code && r.details.to === 'street-lights')).toBe(true);
  });
});

describe('session calls to the API need the CSRF token', () => {
  it('a console session posting a transition without X-CSRF-Token gets 403; with it, 200', async () => {
    const user = await createStaff(h, 'operator');
    const s = await signIn(h, user.email, user.password);
    const { code } = await fileReport(h, 'messenger', newPsid());
    const without = await s.agent.post(`/api/staff/v1/reports/${code}/transitions`).send({ to: 'assigned', agency: 'hepco' });
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('csrf.invalid');
    const upload = await s.agent.post('/api/staff/v1/photos').attach('photo', await jpeg(), { filename: 'x.jpg', contentType: 'image/jpeg' });
    expect(upload.status).toBe(403);
    const withToken = await s.agent.post(`/api/staff/v1/reports/${code}/transitions`).set('x-csrf-token', s.csrf).send({ to: 'assigned', agency: 'hepco' });
    expect(withToken.status).toBe(200);
    const uploadOk = await s.agent.post(`/api/staff/v1/photos?_csrf=${encodeURIComponent(s.csrf)}`).attach('photo', await jpeg(), { filename: 'x.jpg', contentType: 'image/jpeg' });
    expect(uploadOk.status).toBe(201);
  });
});
