/**
 * Broadcasts end to end against the fakes: a communications officer composes a broadcast of
 * resolved cases (cards + a caption with no personal data), approves it, and each target gets
 * exactly one post: a Zalo group message (image + caption) and a Facebook Page post (photos then
 * one /feed post). Disabled groups are skipped with the reason; spam brakes and rate limits are
 * waited out; a send whose answer was lost is looked up before any retry.
 */
import request from 'supertest';
import sharp from 'sharp';
import type { Actor } from '../../../src/domain/staff/actor';
import { fileReport } from '../../support/file-report';
import { waitForDetection } from '../../support/redaction';
import { apiToken, consoleHarness, createStaff } from '../console/console-support';
import type { Harness } from '../../support/harness';

const OPERATOR: Actor = { kind: 'staff', id: '900', role: 'operator', agencies: [], wards: [] };

let h: Harness;
let comms: string;
let comms2: string;
let viewer: string;

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A report filed by a resident who wrote personal data into it, then resolved with a result photo. */
async function resolvedReport(userId: string, description: string, reply = 'Đã vá ổ gà, mặt đường đã bằng phẳng.'): Promise<string> {
  const { code } = await fileReport(h, 'zalo', userId);
  await h.t.db.query('UPDATE reports SET description = $2 WHERE code = $1', [code, description]);
  const uc = h.rt.useCases;
  await uc.changeStatus.execute(code, { to: 'assigned', agency: 'hepco' }, OPERATOR);
  await uc.changeStatus.execute(code, { to: 'in_progress' }, OPERATOR);
  const photo = await uc.recordPhoto.fromBytes(await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#2a7' } }).jpeg().toBuffer());
  await uc.changeStatus.execute(code, { to: 'resolved', note: reply, photoIds: [photo.key] }, OPERATOR);
  // Only redacted copies are broadcast: wait for the face detector's job on every photo.
  const keys = (await h.t.db.query<{ media_key: string }>('SELECT p.media_key FROM report_photos p JOIN reports r ON r.id = p.report_id WHERE r.code = $1', [code])).rows;
  for (const k of keys) await waitForDetection(h, k.media_key);
  return code;
}

const api = (token: string) => ({
  get: (path: string) => request(h.rt.app).get(`/api/staff/v1${path}`).set('authorization', `Bearer ${token}`),
  post: (path: string, body: object = {}) => request(h.rt.app).post(`/api/staff/v1${path}`).set('authorization', `Bearer ${token}`).send(body),
});

beforeAll(async () => {
  h = await consoleHarness();
  h.zalo.addGroup({ groupId: 'g-phu-xuan', name: 'Phản ánh đã xử lý – Phường Phú Xuân', members: 87 });
  h.zalo.addGroup({ groupId: 'g-vy-da', name: 'Phản ánh đã xử lý – Phường Vỹ Dạ', members: 41 });
  h.zalo.addGroup({ groupId: 'g-expired', name: 'Nhóm hết hạn', status: 'disabled', members: 12 });
  const c1 = await createStaff(h, 'communications');
  const c2 = await createStaff(h, 'communications');
  const v = await createStaff(h, 'viewer');
  comms = await apiToken(h, c1.email, c1.password);
  comms2 = await apiToken(h, c2.email, c2.password);
  viewer = await apiToken(h, v.email, v.password);
});
afterAll(async () => h.close());

describe('broadcast targets', () => {
  it('lists the OA\'s Zalo groups after a sync, with status and members; an expired group is disabled with the reason', async () => {
    const synced = await api(comms).post('/broadcast-targets/sync');
    expect(synced.status).toBe(200);
    const list = await api(viewer).get('/broadcast-targets');
    expect(list.status).toBe(200);
    const byName = Object.fromEntries((list.body as Array<{ name: string }>).map((t) => [t.name, t]));
    expect(byName['Phản ánh đã xử lý – Phường Phú Xuân']).toEqual({ id: expect.any(String), kind: 'zalo-group', name: 'Phản ánh đã xử lý – Phường Phú Xuân', status: 'enabled', members: 87 });
    expect(byName['Nhóm hết hạn']).toMatchObject({ kind: 'zalo-group', status: 'disabled', reason: expect.any(String) });
    expect((await api(viewer).post('/broadcast-targets/sync')).status).toBe(403);
  });
});

describe('a broadcast of resolved cases', () => {
  let targets: Array<{ id: string; name: string; kind: string }>;
  beforeAll(async () => {
    await api(comms).post('/broadcast-targets/sync');
    const page = await h.rt.useCases.broadcasts.syncTargetsListOnly();
    targets = page as never;
    // The Facebook Page is a target too.
    await h.t.db.query("INSERT INTO broadcast_targets (kind, external_id, name) VALUES ('facebook-page', $1, 'Trang Thành phố Huế') ON CONFLICT DO NOTHING", [h.config.messenger!.pageId]);
    targets = (await api(comms).get('/broadcast-targets')).body;
  });
  const id = (name: string) => targets.find((t) => t.name === name)!.id;
  const pageId = () => targets.find((t) => t.kind === 'facebook-page')!.id;

  it('carries no resident name, phone, e-mail or house number, shows the officer what was removed, and defuses group mentions', async () => {
    const code = await resolvedReport('7300000000000000001', 'Tôi là Nguyễn Văn An, sđt 0905 123 456, ổ gà trước số 12 Lê Lợi [@everyone], email an.nguyen@gmail.com');
    const composed = await api(comms).post('/broadcasts', {
      reports: [code],
      targets: [id('Phản ánh đã xử lý – Phường Phú Xuân'), pageId()],
      caption: 'Cảm ơn người dân! {code}: {description}. Trả lời: {reply}. Gọi 0914 222 333 nếu cần.',
    });
    expect(composed.status).toBe(201);
    expect(composed.body).toMatchObject({ id: expect.any(String), status: 'draft', preview: { text: expect.any(String), images: [expect.stringMatching(/\/media\/[a-f0-9]{64}\.jpg$/)] } });
    const text = composed.body.preview.text as string;
    expect(text).toContain(code);
    expect(text).toMatch(/#B\d+/);
    for (const personal of ['Nguyễn', '0905', '123 456', 'số 12', 'gmail', '0914', '[@']) expect(text).not.toContain(personal);
    expect((composed.body.removed as Array<{ kind: string }>).map((r) => r.kind)).toEqual(expect.arrayContaining(['name', 'phone', 'house-number', 'email', 'mention']));

    const approved = await api(comms).post(`/broadcasts/${composed.body.id}/approve`);
    expect(approved.status).toBe(200);
    const done = await waitFor(async () => {
      const b = await api(viewer).get(`/broadcasts/${composed.body.id}`);
      return (b.body.deliveries as Array<{ state: string }>).every((d) => d.state === 'sent') ? b.body : null;
    });
    expect(done.status).toBe('done');
    const group = h.zalo.groupMessages('g-phu-xuan');
    expect(group).toHaveLength(1);
    const posts = h.graph.pagePosts().filter((p) => p.kind === 'feed');
    expect(posts).toHaveLength(1);
    // What left for the platforms carries none of it either.
    const outbound = JSON.stringify([h.zalo.calls('/v3.0/oa/group/message').map((c) => c.body), posts]);
    for (const personal of ['Nguyễn', '0905', 'gmail', '0914', '[@everyone']) expect(outbound).not.toContain(personal);
    expect(group[0]!.text).toContain(code);
    // The group message is an image with the caption; the page post carries the uploaded card.
    expect(JSON.stringify(group[0]!.message)).toMatch(/"media_type":"image"/);
    expect(posts[0]!.attachedMedia).toHaveLength(1);
    // platformId: the group message's id and the post id.
    const deliveries = done.deliveries as Array<{ target: { kind: string }; platformId: string }>;
    expect(deliveries.find((d) => d.target.kind === 'zalo-group')!.platformId).toBe(group[0]!.messageId);
    expect(deliveries.find((d) => d.target.kind === 'facebook-page')!.platformId).toBe(posts[0]!.id);
  });

  it('refuses (422) a report that is not resolved, or whose resident opted out; only roles that may compose', async () => {
    const { code: open } = await fileReport(h, 'zalo', '7300000000000000002');
    const r1 = await api(comms).post('/broadcasts', { reports: [open], targets: [id('Phản ánh đã xử lý – Phường Vỹ Dạ')] });
    expect(r1.status).toBe(422);
    expect(r1.body.error.code).toBe('broadcast.not-resolved');
    const optedOut = await resolvedReport('7300000000000000003', 'Đèn đường tắt cả tuần');
    await h.t.db.query('UPDATE reports SET publish = false WHERE code = $1', [optedOut]);
    const r2 = await api(comms).post('/broadcasts', { reports: [optedOut], targets: [id('Phản ánh đã xử lý – Phường Vỹ Dạ')] });
    expect(r2.status).toBe(422);
    expect(r2.body.error.code).toBe('broadcast.opted-out');
    expect((await api(viewer).post('/broadcasts', { reports: [optedOut], targets: [id('Phản ánh đã xử lý – Phường Vỹ Dạ')] })).status).toBe(403);
    expect((await api(comms).post('/broadcasts', { reports: 'x' })).status).toBe(422);
  });

  it('a disabled group is skipped with the reason; -403 (OA not in group) fails that delivery only; a draft can be cancelled', async () => {
    const code = await resolvedReport('7300000000000000004', 'Cây đổ chắn đường');
    h.zalo.group('g-vy-da')!.oaInGroup = false;
    const composed = await api(comms).post('/broadcasts', { reports: [code], targets: [id('Nhóm hết hạn'), id('Phản ánh đã xử lý – Phường Vỹ Dạ'), id('Phản ánh đã xử lý – Phường Phú Xuân')] });
    expect(composed.status).toBe(201);
    await api(comms2).post(`/broadcasts/${composed.body.id}/approve`);
    const done = await waitFor(async () => {
      const b = await api(viewer).get(`/broadcasts/${composed.body.id}`);
      return b.body.status === 'done' ? b.body : null;
    });
    const byName = Object.fromEntries((done.deliveries as Array<{ target: { name: string } }>).map((d) => [d.target.name, d]));
    expect(byName['Nhóm hết hạn']).toMatchObject({ state: 'failed', error: expect.stringMatching(/disabled/) });
    expect(byName['Phản ánh đã xử lý – Phường Vỹ Dạ']).toMatchObject({ state: 'failed', error: expect.stringMatching(/-403/) });
    expect(byName['Phản ánh đã xử lý – Phường Phú Xuân']).toMatchObject({ state: 'sent' });
    h.zalo.group('g-vy-da')!.oaInGroup = true;

    const draft = await api(comms).post('/broadcasts', { reports: [code], targets: [id('Phản ánh đã xử lý – Phường Phú Xuân')] });
    const cancelled = await api(comms).post(`/broadcasts/${draft.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await api(comms).post(`/broadcasts/${draft.body.id}/approve`)).status).toBe(409);
  });

  it('a spam brake (#368) is waited out and the post goes out once', async () => {
    const code = await resolvedReport('7300000000000000005', 'Ngập nước sau mưa');
    h.graph.failNext('spam', 1, { path: /\/feed$/ });
    const feedsBefore = h.graph.pagePosts().filter((p) => p.kind === 'feed').length;
    const composed = await api(comms).post('/broadcasts', { reports: [code], targets: [pageId()] });
    await api(comms).post(`/broadcasts/${composed.body.id}/approve`);
    const done = await waitFor(async () => {
      const b = await api(viewer).get(`/broadcasts/${composed.body.id}`);
      return b.body.status === 'done' ? b.body : null;
    }, 120_000);
    expect((done.deliveries as Array<{ state: string }>).map((d) => d.state)).toEqual(['sent']);
    expect(h.graph.pagePosts().filter((p) => p.kind === 'feed').length - feedsBefore).toBe(1);
  }, 150_000);

  it('a send interrupted after it reached Zalo is found by its reference and not posted again; a scheduled one waits', async () => {
    const code = await resolvedReport('7300000000000000007', 'Vỉa hè bị lấn chiếm');
    const composed = await api(comms).post('/broadcasts', { reports: [code], targets: [id('Phản ánh đã xử lý – Phường Phú Xuân')] });
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const approved = await api(comms).post(`/broadcasts/${composed.body.id}/approve`, { sendAt });
    expect(approved.body).toMatchObject({ status: 'approved', sendAt });
    const delivery = (approved.body.deliveries as Array<{ id: string; state: string }>)[0]!;
    expect(delivery.state).toBe('pending');
    // A process posted (the group has the message) and died before recording it.
    await h.rt.clients.zalo!.sendGroupText('g-phu-xuan', composed.body.preview.text);
    await h.t.db.query("UPDATE broadcast_deliveries SET state = 'sending', lease_until = now() - interval '1 second' WHERE id = $1", [delivery.id]);
    const before = h.zalo.groupMessages('g-phu-xuan').length;
    expect(await h.rt.useCases.broadcasts.deliver(delivery.id)).toBe('found');
    expect(h.zalo.groupMessages('g-phu-xuan')).toHaveLength(before);
    const b = await api(viewer).get(`/broadcasts/${composed.body.id}`);
    expect(b.body.deliveries[0]).toMatchObject({ state: 'sent', platformId: h.zalo.groupMessages('g-phu-xuan').at(-1)!.messageId });
  });

  it('four eyes: when the city asks for it, the author cannot approve their own draft', async () => {
    const code = await resolvedReport('7300000000000000006', 'Rác ùn ứ');
    const composed = await api(comms).post('/broadcasts', { reports: [code], targets: [id('Phản ánh đã xử lý – Phường Phú Xuân')] });
    const city = h.rt.content.city as { broadcasts: { fourEyes: boolean } };
    city.broadcasts.fourEyes = true;
    try {
      const own = await api(comms).post(`/broadcasts/${composed.body.id}/approve`);
      expect(own.status).toBe(403);
      expect(own.body.error.code).toBe('broadcast.four-eyes');
      expect((await api(comms2).post(`/broadcasts/${composed.body.id}/approve`)).status).toBe(200);
    } finally {
      city.broadcasts.fourEyes = false;
    }
  });
});
