/**
 * Redacting a report photo through `/api/staff/v1/photos/:key/redaction` and the console page
 * `/console/reports/:code/photos/:key/redact`, against real PostgreSQL, the real detector and real
 * images: who may (admins, operators; agency users and keys for their reports only; never viewers
 * or communications), in which order refusals come (401, 403, 404, 422), what is refused in the
 * boxes, that a save makes a new public copy with the box pixelated (and the public status API
 * shows it), that every save and reset is audited and kept in the history, and that originals are
 * served to staff only.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { StaffRole } from '../../../src/domain/staff/actor';
import { composeScene, flatness, rgb, type Scene } from '../../fixtures/face-scenes';
import type { Harness } from '../../support/harness';
import { fileReportWithPhoto, waitForDetection } from '../../support/redaction';
import { ADMIN, apiToken, auditRows, consoleHarness, createStaff, csrfIn, signIn, type SignedIn, type TestClock } from './console-support';

jest.setTimeout(120_000);

let h: Harness & { clock: TestClock };
let scene: Scene;
/** Routed to HEPCO. */
let mine: { code: string; key: string };
/** Not routed anywhere yet. */
let theirs: { code: string; key: string };
const tokens = {} as Record<StaffRole | 'otherAgency', string>;
const sessions = {} as Record<'operator' | 'viewer' | 'agency' | 'otherAgency' | 'communications', SignedIn>;
const UNKNOWN = `${'c'.repeat(64)}.jpg`;

beforeAll(async () => {
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
  scene = await composeScene({ width: 800, height: 600, placements: [{ sample: 5, width: 700, left: 50, top: 40 }], plate: { x: 560, y: 520, w: 180, h: 50 }, seed: 9 });
  mine = await fileReportWithPhoto(h, 'psid-redact-api-1', scene.jpeg);
  theirs = await fileReportWithPhoto(h, 'psid-redact-api-2', (await composeScene({ width: 640, height: 480, placements: [{ sample: 4, width: 600, left: 20, top: 20 }], seed: 4 })).jpeg);
  await h.rt.useCases.changeStatus.execute(mine.code, { to: 'assigned', agency: 'hepco' }, { kind: 'staff', id: '1', role: 'operator', agencies: [], wards: [] });
  await waitForDetection(h, mine.key);
  await waitForDetection(h, theirs.key);

  tokens.admin = await apiToken(h, ADMIN.email, ADMIN.password);
  for (const role of ['operator', 'viewer', 'communications', 'agency'] as const) {
    const u = await createStaff(h, role, role === 'agency' ? { agencies: ['hepco'] } : {});
    tokens[role] = await apiToken(h, u.email, u.password);
    sessions[role] = await signIn(h, u.email, u.password);
  }
  const other = await createStaff(h, 'agency', { agencies: ['chieu-sang'] });
  tokens.otherAgency = await apiToken(h, other.email, other.password);
  sessions.otherAgency = await signIn(h, other.email, other.password);
});
afterAll(async () => h?.close());

const api = (path: string) => `/api/staff/v1/photos/${path}/redaction`;
const bearer = (who: keyof typeof tokens) => `Bearer ${tokens[who]}`;
const get = (key: string, who: keyof typeof tokens) => request(h.rt.app).get(api(key)).set('authorization', bearer(who));
const put = (key: string, who: keyof typeof tokens, body: unknown) => request(h.rt.app).put(api(key)).set('authorization', bearer(who)).send(body as object);

describe('the redaction API: who may, and in which order refusals come', () => {
  it('anonymous → 401, viewer and communications → 403 even with bad boxes, unknown photo → 404, bad boxes → 422', async () => {
    expect((await request(h.rt.app).get(api(mine.key))).status).toBe(401);
    expect((await request(h.rt.app).put(api(mine.key)).send({ boxes: 'nope' })).status).toBe(401);
    for (const who of ['viewer', 'communications'] as const) {
      expect((await get(mine.key, who)).status).toBe(403);
      const res = await put(mine.key, who, { boxes: 'nope' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('auth.forbidden');
    }
    expect((await put(UNKNOWN, 'operator', { boxes: 'nope' })).status).toBe(404);
    expect((await put('not-a-key', 'operator', { boxes: [] })).status).toBe(404);
    expect((await get(UNKNOWN, 'admin')).body.error.code).toBe('redaction.photo-not-found');
    const bad = await put(mine.key, 'operator', { boxes: 'nope' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'redaction.invalid-boxes', fields: [{ field: 'boxes', code: 'redaction.not-a-list' }] });
  });

  it('malformed JSON is a 400 after the role check', async () => {
    const res = await request(h.rt.app).put(api(mine.key)).set('authorization', bearer('operator')).set('content-type', 'application/json').send('{"boxes": [');
    expect(res.status).toBe(400);
    expect((await request(h.rt.app).put(api(mine.key)).set('authorization', bearer('viewer')).set('content-type', 'application/json').send('{"boxes": [')).status).toBe(403);
  });

  it('an agency sees and redacts the photos of its reports only (403 for the others)', async () => {
    expect((await get(mine.key, 'agency')).status).toBe(200);
    const refused = await get(mine.key, 'otherAgency');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('redaction.not-your-report');
    expect((await put(theirs.key, 'agency', { boxes: [] })).status).toBe(403);
    expect((await put(UNKNOWN, 'agency', { boxes: [] })).status).toBe(404);
  });

  it('names every refused box: outside the photo, too small, not a box, too many', async () => {
    const res = await put(mine.key, 'operator', { boxes: [{ x: 10, y: 10, w: 50, h: 50 }, { x: 790, y: 10, w: 50, h: 50 }, { x: 10, y: 10, w: 2, h: 50 }, { x: 1 }] });
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual([
      { field: 'boxes[1]', code: 'redaction.outside-image' },
      { field: 'boxes[2]', code: 'redaction.too-small' },
      { field: 'boxes[3]', code: 'redaction.not-a-box' },
    ]);
    const many = await put(mine.key, 'operator', { boxes: Array.from({ length: 51 }, () => ({ x: 0, y: 0, w: 10, h: 10 })) });
    expect(many.status).toBe(422);
    expect(many.body.error.fields).toEqual([{ field: 'boxes', code: 'redaction.too-many-boxes' }]);
    expect((await put(mine.key, 'operator', { boxes: [], revision: 'latest' })).status).toBe(422);
  });
});

describe('saving boxes through the API', () => {
  it('GET shows the automatic faces; PUT of a plate makes a new public copy with the plate pixelated, audited and in the history', async () => {
    const before = await get(mine.key, 'operator');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ key: mine.key, width: 800, height: 600, status: 'auto', reports: [mine.code], staff: { boxes: null } });
    expect(before.body.automatic.boxes.length).toBeGreaterThanOrEqual(5);
    expect(before.body.boxes).toEqual(before.body.automatic.boxes.map(({ x, y, w, h }: { x: number; y: number; w: number; h: number }) => ({ x, y, w, h })));
    expect(before.body.public.url).toMatch(/^http:\/\/bot\.test\/media\/[a-f0-9]{64}\.jpg$/);

    const plate = scene.plate!;
    const boxes = [...before.body.boxes, { x: plate.x, y: plate.y, w: plate.w, h: plate.h }];
    const saved = await put(mine.key, 'agency', { boxes, revision: before.body.revision });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ status: 'reviewed', boxes, staff: { boxes }, revision: before.body.revision + 1 });
    expect(saved.body.staff.reviewedBy.kind).toBe('staff');
    expect(saved.body.public.url).not.toBe(before.body.public.url);
    expect(saved.body.history.map((e: { action: string }) => e.action)).toEqual(['saved', 'detected']);

    // The public status API shows the new copy; the plate is pixelated there.
    const status = await request(h.rt.app).get(`/api/reports/${mine.code}`);
    expect(status.body.photos[0].url).toBe(saved.body.public.url);
    const copy = await rgb((await request(h.rt.app).get(new URL(saved.body.public.url as string).pathname)).body as Buffer);
    expect(flatness(copy, plate, 4)).toBeGreaterThan(0.9);
    expect(flatness(await rgb(scene.jpeg), plate, 4)).toBeLessThan(0.6);

    const audit = await auditRows(h, 'photo.redact');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_kind: 'staff', target_kind: 'photo', target_id: mine.key, details: { boxes: boxes.length, reports: [mine.code] } });

    // A save over an older revision is refused: someone saved in between.
    const stale = await put(mine.key, 'operator', { boxes: [], revision: before.body.revision });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('redaction.stale');
  });

  it('reset goes back to the automatic faces, audited', async () => {
    const res = await request(h.rt.app).post(`${api(mine.key)}/reset`).set('authorization', bearer('admin')).send({});
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('auto');
    expect(res.body.boxes).toHaveLength(res.body.automatic.boxes.length);
    expect(res.body.history[0].action).toBe('reset');
    expect(await auditRows(h, 'photo.redaction-reset')).toHaveLength(1);
    expect((await request(h.rt.app).post(`${api(mine.key)}/reset`).set('authorization', bearer('viewer')).send({})).status).toBe(403);
  });
});

describe('the redaction page', () => {
  const page = (code: string, key: string) => `/console/reports/${code}/photos/${key}/redact`;

  it('shows an operator the original, the boxes and the public copy; sends the anonymous to sign in', async () => {
    const res = await sessions.operator.agent.get(page(mine.code, mine.key));
    expect(res.status).toBe(200);
    expect(res.text).toContain(`src="/console/media/${mine.key}"`);
    expect(res.text).toContain('data-boxes="[{');
    expect(res.text).toContain('src="/console/static/redaction.js"');
    expect(res.text).toMatch(/src="\/media\/[a-f0-9]{64}\.jpg"/);
    const anonymous = await request(h.rt.app).get(page(mine.code, mine.key));
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/console\/login\?next=/);
  });

  it('refuses viewers, communications and other agencies (403), and a photo of another report (404)', async () => {
    for (const who of ['viewer', 'communications', 'otherAgency'] as const) expect((await sessions[who].agent.get(page(mine.code, mine.key))).status).toBe(403);
    expect((await sessions.agency.agent.get(page(mine.code, mine.key))).status).toBe(200);
    expect((await sessions.operator.agent.get(page(mine.code, theirs.key))).status).toBe(404);
    expect((await sessions.operator.agent.get(page(mine.code, UNKNOWN))).status).toBe(404);
  });

  it('saves with the form (CSRF), shows the problems of bad boxes, and resets', async () => {
    const s = sessions.operator;
    const form = await s.agent.get(page(mine.code, mine.key));
    const revision = /name="revision" value="(\d+)"/.exec(form.text)![1];
    const boxes = JSON.stringify([{ x: 100, y: 100, w: 80, h: 60 }]);
    expect((await s.agent.post(page(mine.code, mine.key)).type('form').send({ boxes, revision })).status).toBe(403);

    const bad = await s.agent.post(page(mine.code, mine.key)).type('form').send({ _csrf: s.csrf, boxes: JSON.stringify([{ x: 700, y: 100, w: 200, h: 60 }]), revision });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Vùng 1: nằm ngoài ảnh.');

    const ok = await s.agent.post(page(mine.code, mine.key)).type('form').send({ _csrf: s.csrf, boxes, revision });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`${page(mine.code, mine.key)}?saved=1`);
    const after = await s.agent.get(ok.headers.location as string);
    expect(after.text).toContain('Đã lưu.');
    expect(csrfIn(after.text)).toBe(s.csrf);
    const row = await h.t.db.query('SELECT status, staff_boxes FROM photo_redactions WHERE media_key = $1', [mine.key]);
    expect(row.rows[0]).toEqual({ status: 'reviewed', staff_boxes: [{ x: 100, y: 100, w: 80, h: 60 }] });

    // The revision the form was opened with is now old: a second save from it is a 409 with the page.
    const again = await s.agent.post(page(mine.code, mine.key)).type('form').send({ _csrf: s.csrf, boxes, revision });
    expect(again.status).toBe(409);

    const newRevision = /name="revision" value="(\d+)"/.exec(after.text)![1];
    const reset = await s.agent.post(`${page(mine.code, mine.key)}/reset`).type('form').send({ _csrf: s.csrf, revision: newRevision });
    expect(reset.status).toBe(303);
    expect((await h.t.db.query('SELECT status FROM photo_redactions WHERE media_key = $1', [mine.key])).rows[0]).toEqual({ status: 'auto' });
    expect((await auditRows(h, 'photo.redact')).length).toBe(2);
  });

  it('is in English with ?lang=en', async () => {
    const res = await sessions.agency.agent.get(`${page(mine.code, mine.key)}?lang=en`);
    expect(res.text).toContain('Redact a photo');
    expect(res.text).toContain('Preview the public copy');
    await sessions.agency.agent.get('/console?lang=vi');
  });
});

describe('originals', () => {
  const original = (key: string) => `/console/media/${key}`;

  it('are served to staff who may see the report, never cached, and to nobody else', async () => {
    const ok = await sessions.operator.agent.get(original(mine.key));
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/jpeg');
    expect(ok.headers['cache-control']).toBe('no-store');
    expect((ok.body as Buffer).equals(fs.readFileSync(path.join(h.dataDir, 'media', mine.key.slice(0, 2), mine.key)))).toBe(true);
    expect((await sessions.agency.agent.get(original(mine.key))).status).toBe(200);
    expect((await sessions.viewer.agent.get(original(mine.key))).status).toBe(200);
    expect((await sessions.otherAgency.agent.get(original(mine.key))).status).toBe(403);
    expect((await sessions.communications.agent.get(original(mine.key))).status).toBe(403);
    expect((await sessions.operator.agent.get(original(UNKNOWN))).status).toBe(404);
    expect((await request(h.rt.app).get(original(mine.key))).status).toBe(303);
  });
});
