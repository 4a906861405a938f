/**
 * Open311 GeoReport v2 conformance, table-driven over both formats: the specification's resources
 * and examples (discovery, services, a service definition, requests with each parameter, one
 * request, POST with its response, tokens), its errors (400, 403, 404 as `[{code, description}]`
 * and `<errors><error>`), the 90-day window and the 1,000-result cap, and mySociety's
 * servicerequestupdates extension. Real PostgreSQL, real HTTP through supertest, the production
 * wiring; XML is read with a parser written for the tests.
 */
import request from 'supertest';
import { OPEN311_MAX_RESULTS } from '../../../src/domain/public/open311';
import { child, parseXml, record, type XmlElement } from '../../support/mini-xml';
import { apiKey, fileAs, hostedPhoto, publicHarness, resolve, type PublicHarness } from '../../support/public-support';

type Fmt = 'json' | 'xml';
type Rec = Record<string, string>;

const BASE = '/open311/v2';
const DAY = 86_400_000;

/** A list answer as a client reads it: records of strings (JSON null and XML empty are both ''). */
function readList(res: request.Response, fmt: Fmt, root: string, item: string): Rec[] {
  if (fmt === 'json') {
    expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
    expect(Array.isArray(res.body)).toBe(true);
    return (res.body as Array<Record<string, unknown>>).map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)])));
  }
  expect(res.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
  expect(res.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  const doc = parseXml(res.text);
  expect(doc.name).toBe(root);
  for (const c of doc.children) expect(c.name).toBe(item);
  return doc.children.map(record);
}

/** The specification's error answer, in either format. */
function readErrors(res: request.Response, fmt: Fmt): Array<{ code: string; description: string }> {
  return readList(res, fmt, 'errors', 'error').map((e) => ({ code: e.code ?? '', description: e.description ?? '' }));
}

const REQUEST_FIELDS = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'];
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/;

let h: PublicHarness;
let operatorKey: string;
let viewerKey: string;
let agencyKey: string;
/** Filed 100 days before the others: outside the default window. */
let old: string;
/** Resolved, with a reply, a resident photo and a result photo; its description has personal data. */
let answered: string;
let fresh: string;
let optedOut: string;

beforeAll(async () => {
  h = await publicHarness();
  operatorKey = (await apiKey(h, 'operator')).key;
  viewerKey = (await apiKey(h, 'viewer')).key;
  agencyKey = (await apiKey(h, 'agency', { agencies: ['hepco'] })).key;
  old = (await fileAs(h, 'psid-o311-old', { category: 'waste', description: 'Rác tồn đọng lâu ngày ở góc chợ' })).code;
  h.clock.advance(100 * DAY);
  answered = (await fileAs(h, 'psid-o311-a', { description: 'Tôi là Nguyễn Văn An, sđt 0905 123 456: ổ gà lớn trước nhà số 12 Lê Lợi' })).code;
  h.clock.advance(3_600_000);
  await resolve(h, answered, 'Đã vá ổ gà. Cảm ơn anh Nguyễn Văn An đã phản ánh.');
  h.clock.advance(3_600_000);
  fresh = (await fileAs(h, 'psid-o311-b', { category: 'trees', description: 'Cây đổ chắn ngang đường Hùng Vương' })).code;
  h.clock.advance(3_600_000);
  optedOut = (await fileAs(h, 'psid-o311-c', { category: 'waste', description: 'Bãi rác tự phát cạnh bờ sông' })).code;
  await h.t.db.query('UPDATE reports SET publish = false WHERE code = $1', [optedOut]);
  await resolve(h, optedOut, 'Đã thu gom.');
  h.clock.advance(3_600_000);
});
afterAll(async () => h?.close());

const FORMATS: readonly Fmt[] = ['json', 'xml'];

describe.each(FORMATS)('GeoReport v2 in %s', (fmt) => {
  const get = (path: string) => request(h.rt.app).get(`${BASE}/${path}`);

  it('discovery lists this endpoint, its specification and both formats', async () => {
    const res = await get(`discovery.${fmt}`).expect(200);
    let endpoint: Rec;
    let formats: string[];
    if (fmt === 'json') {
      expect(Object.keys(res.body)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
      const e = res.body.endpoints[0];
      endpoint = e;
      formats = e.formats;
    } else {
      const doc = parseXml(res.text);
      expect(doc.name).toBe('discovery');
      const e = child(child(doc, 'endpoints'), 'endpoint');
      endpoint = record(e);
      formats = child(e, 'formats').children.map((f: XmlElement) => f.text);
    }
    expect(endpoint.specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(endpoint.url).toBe('http://bot.test/open311/v2');
    expect(endpoint.type).toBe('production');
    expect(formats).toEqual(['text/xml', 'application/json']);
  });

  it('services are the report categories, named in Vietnamese with the English name as description', async () => {
    const list = readList(await get(`services.${fmt}`).expect(200), fmt, 'services', 'service');
    expect(list).toHaveLength(h.rt.content.categories.length);
    const road = list.find((s) => s.service_code === 'road-damage')!;
    expect(road).toEqual({
      service_code: 'road-damage',
      service_name: 'Hư hỏng đường, vỉa hè, cầu',
      description: 'Damaged roads, pavements and bridges',
      metadata: 'false',
      type: 'realtime',
      keywords: expect.stringContaining('potholes'),
      group: 'Huế',
    });
    const en = readList(await get(`services.${fmt}?locale=en`).expect(200), fmt, 'services', 'service');
    expect(en.find((s) => s.service_code === 'road-damage')!.service_name).toBe('Damaged roads, pavements and bridges');
  });

  it('a service definition has no attributes (metadata is false); an unknown code is 404', async () => {
    const res = await get(`services/trees.${fmt}`).expect(200);
    if (fmt === 'json') expect(res.body).toEqual({ service_code: 'trees', attributes: [] });
    else expect(res.text).toContain('<service_definition><service_code>trees</service_code><attributes></attributes></service_definition>');
    const missing = await get(`services/no-such-service.${fmt}`).expect(404);
    expect(readErrors(missing, fmt)).toEqual([{ code: '404', description: expect.stringContaining('service_code') }]);
  });

  it('GET requests: the last 90 days by default, newest first, every field of the specification', async () => {
    const known = new Set([old, answered, fresh, optedOut]);
    // Reports POSTed by the other format's round are newer; this test looks at the ones it filed.
    const list = readList(await get(`requests.${fmt}`).expect(200), fmt, 'service_requests', 'request').filter((r) => known.has(r.service_request_id!));
    expect(list.map((r) => r.service_request_id)).toEqual([optedOut, fresh, answered]);
    for (const r of list) expect(Object.keys(r)).toEqual(REQUEST_FIELDS);
    const a = list.find((r) => r.service_request_id === answered)!;
    expect(a).toMatchObject({
      status: 'closed',
      service_code: 'road-damage',
      service_name: 'Hư hỏng đường, vỉa hè, cầu',
      agency_responsible: 'Sở Xây dựng',
      address: 'Lê Lợi, Phường Thuận Hóa',
      address_id: '',
      zipcode: '',
      lat: '16.467',
      long: '107.591',
    });
    expect(a.requested_datetime).toMatch(W3C);
    expect(a.updated_datetime).toMatch(W3C);
    expect(a.expected_datetime).toMatch(W3C);
    expect(a.media_url).toMatch(/^http:\/\/bot\.test\/media\/[a-f0-9]{64}\.jpg$/);
    expect(list.find((r) => r.service_request_id === fresh)!.status).toBe('open');
  });

  it('never shows personal data: descriptions and replies are redacted, opted-out reports have no text or photo', async () => {
    const res = await get(`requests.${fmt}`).expect(200);
    expect(res.text).not.toMatch(/0905|Nguyễn Văn An|số 12|psid-o311/);
    const list = readList(res, fmt, 'service_requests', 'request');
    const a = list.find((r) => r.service_request_id === answered)!;
    expect(a.description).toBe('Tôi là ***, sđt ***: ổ gà lớn trước nhà số *** Lê Lợi');
    expect(a.status_notes).toBe('Đã vá ổ gà. Cảm ơn anh *** đã phản ánh.');
    const o = list.find((r) => r.service_request_id === optedOut)!;
    expect(o).toMatchObject({ description: '', status_notes: '', media_url: '', status: 'closed', service_code: 'waste' });
  });

  it.each<[string, string, (ids: { answered: string; fresh: string; optedOut: string; old: string }) => string[]]>([
    ['status=open', 'status=open', (x) => [x.fresh]],
    ['status=closed', 'status=closed', (x) => [x.optedOut, x.answered]],
    ['status=open,closed', 'status=open,closed', (x) => [x.optedOut, x.fresh, x.answered]],
    ['service_code', 'service_code=trees', (x) => [x.fresh]],
    ['service_code list', 'service_code=trees,waste', (x) => [x.optedOut, x.fresh]],
    ['start_date and end_date', 'start_date=2026-01-01T00:00:00Z&end_date=2026-03-03T00:00:00Z', (x) => [x.old]],
    ['start_date alone (90 days from it)', 'start_date=2026-03-01', (x) => [x.old]],
    ['service_request_id overrides the rest', 'service_request_id={old},{fresh}&status=closed&service_code=road-damage', (x) => [x.fresh, x.old]],
  ])('GET requests with %s', async (_what, query, expected) => {
    const ids = { answered, fresh, optedOut, old };
    const q = query.replace('{old}', old).replace('{fresh}', fresh);
    const known = new Set(Object.values(ids));
    const list = readList(await get(`requests.${fmt}?${q}`).expect(200), fmt, 'service_requests', 'request').filter((r) => known.has(r.service_request_id!));
    expect(list.map((r) => r.service_request_id)).toEqual(expected(ids));
  });

  it.each<[string, string, number, RegExp]>([
    ['a range over 90 days', 'start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', 400, /90 days/],
    ['a start after the end', 'start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z', 400, /start_date/],
    ['a date that is not w3', 'start_date=yesterday', 400, /start_date/],
    ['a datetime without a zone', 'end_date=2026-06-01T00:00:00', 400, /end_date/],
    ['an unknown status', 'status=pending', 400, /status/],
    ['an unknown service_code', 'service_code=unicorns', 404, /service_code/],
    ['an unknown jurisdiction_id', 'jurisdiction_id=hanoi', 404, /jurisdiction_id/],
  ])('GET requests refuses %s', async (_what, query, status, message) => {
    const res = await get(`requests.${fmt}?${query}`).expect(status);
    expect(readErrors(res, fmt)).toEqual([{ code: String(status), description: expect.stringMatching(message) }]);
  });

  it('GET requests/{id} is a one-element list; an unknown id is 404', async () => {
    const one = readList(await get(`requests/${fresh}.${fmt}`).expect(200), fmt, 'service_requests', 'request');
    expect(one).toHaveLength(1);
    expect(one[0]!.service_request_id).toBe(fresh);
    expect(readList(await get(`requests/${fresh.toLowerCase()}.${fmt}?jurisdiction_id=hue`).expect(200), fmt, 'service_requests', 'request')).toHaveLength(1);
    expect(readErrors(await get(`requests/PA-ZZZZZZZ.${fmt}`).expect(404), fmt)[0]!.code).toBe('404');
    expect(readErrors(await get(`requests/not-a-code.${fmt}`).expect(404), fmt)[0]!.code).toBe('404');
  });

  describe('POST requests', () => {
    const post = () => request(h.rt.app).post(`${BASE}/requests.${fmt}`).type('form');

    it.each<[string, () => Record<string, string>, number, RegExp]>([
      ['without api_key', () => ({ service_code: 'trees', lat: '16.4665', long: '107.5905', description: 'Cây đổ chắn đường' }), 403, /api_key/],
      ['with an unknown api_key', () => ({ api_key: 'pak_999_nope', service_code: 'trees', lat: '16.4665', long: '107.5905', description: 'Cây đổ chắn đường' }), 403, /api_key/],
      ['without service_code', () => ({ api_key: operatorKey, lat: '16.4665', long: '107.5905', description: 'Cây đổ chắn đường' }), 400, /service_code/],
      ['with an unknown service_code', () => ({ api_key: operatorKey, service_code: 'unicorns', lat: '16.4665', long: '107.5905', description: 'Cây đổ chắn đường' }), 404, /service_code/],
      ['without a location', () => ({ api_key: operatorKey, service_code: 'trees', description: 'Cây đổ chắn đường' }), 400, /lat and long/],
      ['with address_id only', () => ({ api_key: operatorKey, service_code: 'trees', address_id: '545483', description: 'Cây đổ chắn đường' }), 400, /address_id/],
      ['with lat but no long', () => ({ api_key: operatorKey, service_code: 'trees', lat: '16.4665', description: 'Cây đổ chắn đường' }), 400, /lat and long/],
      ['outside the city', () => ({ api_key: operatorKey, service_code: 'trees', lat: '21.0285', long: '105.8542', description: 'Cây đổ chắn đường' }), 400, /service area/],
      ['with an address not in the city', () => ({ api_key: operatorKey, service_code: 'trees', address_string: 'Hồ Hoàn Kiếm, Hà Nội', description: 'Cây đổ chắn đường' }), 400, /address_string|service area/],
      ['without a description', () => ({ api_key: operatorKey, service_code: 'trees', lat: '16.4665', long: '107.5905' }), 400, /description/],
      ['with a media_url that is not an image', () => ({ api_key: operatorKey, service_code: 'trees', lat: '16.4665', long: '107.5905', description: 'Cây đổ chắn đường', media_url: h.graph.hostFile(Buffer.from('not an image'), 'text/plain') }), 400, /media_url/],
    ])('refuses a request %s', async (_what, body, status, message) => {
      const before = (await h.t.db.query('SELECT count(*)::int AS n FROM reports')).rows[0]!.n;
      const res = await post().send(body()).expect(status);
      expect(readErrors(res, fmt)).toEqual([{ code: String(status), description: expect.stringMatching(message) }]);
      expect((await h.t.db.query('SELECT count(*)::int AS n FROM reports')).rows[0]!.n).toBe(before);
    });

    it('files a request with a photo, answers its id, a notice and a token, and never echoes personal fields', async () => {
      const res = await post().send({
        api_key: viewerKey,
        service_code: 'street-lights',
        lat: '16.4605',
        long: '107.5985',
        description: 'Đèn đường tắt cả đoạn, gọi 0914 000 111',
        media_url: await hostedPhoto(h, 42),
        email: 'citizen@example.com',
        first_name: 'Lan',
        last_name: 'Trần',
        phone: '0914000111',
        device_id: 'device-1',
        'attribute[WHATEVER]': 'x',
      }).expect(200);
      const [answer] = readList(res, fmt, 'service_requests', 'request');
      expect(Object.keys(answer!)).toEqual(['service_request_id', 'service_notice', 'account_id', 'token']);
      expect(answer!.service_request_id).toMatch(/^PA-[2-9A-HJ-NP-Z]{7}$/);
      expect(answer!.service_notice).toContain(answer!.service_request_id);
      expect(answer!.account_id).toBe('');
      expect(res.text).not.toMatch(/citizen@example\.com|Trần|0914/);

      const stored = (await h.t.db.query<{ channel: string; category: string; photos: number; resident_channel: string }>(
        `SELECT r.channel, r.category, (SELECT count(*)::int FROM report_photos p WHERE p.report_id = r.id) AS photos, x.channel AS resident_channel
           FROM reports r JOIN residents x ON x.id = r.resident_id WHERE r.code = $1`, [answer!.service_request_id])).rows[0]!;
      expect(stored).toEqual({ channel: 'open311', category: 'street-lights', photos: 1, resident_channel: 'open311' });
      const leaked = await h.t.db.query("SELECT 1 FROM resident_contacts c JOIN residents x ON x.id = c.resident_id WHERE x.channel = 'open311'");
      expect(leaked.rowCount).toBe(0);

      const tok = readList(await request(h.rt.app).get(`${BASE}/tokens/${answer!.token}.${fmt}`).expect(200), fmt, 'service_requests', 'request');
      expect(tok).toEqual([{ service_request_id: answer!.service_request_id, token: answer!.token }]);
      expect(readErrors(await request(h.rt.app).get(`${BASE}/tokens/unknown-token-123.${fmt}`).expect(404), fmt)[0]!.code).toBe('404');

      const one = readList(await request(h.rt.app).get(`${BASE}/requests/${answer!.service_request_id}.${fmt}`).expect(200), fmt, 'service_requests', 'request');
      expect(one[0]).toMatchObject({ status: 'open', service_code: 'street-lights', description: 'Đèn đường tắt cả đoạn, gọi ***' });
      expect(one[0]!.media_url).toMatch(/\/media\/[a-f0-9]{64}\.jpg$/);
    });

    it('files by address_string through the geocoder, and takes the key from Authorization: Bearer', async () => {
      const res = await request(h.rt.app).post(`${BASE}/requests.${fmt}`).set('authorization', `Bearer ${operatorKey}`).type('form')
        .send({ service_code: 'drainage-flooding', address_string: 'Trần Hưng Đạo', description: 'Nước ngập sâu sau cơn mưa' }).expect(200);
      const [answer] = readList(res, fmt, 'service_requests', 'request');
      const row = (await h.t.db.query<{ lat: number; lng: number }>('SELECT lat, lng FROM reports WHERE code = $1', [answer!.service_request_id])).rows[0]!;
      expect(row.lat).toBeCloseTo(16.4712, 3);
      expect(row.lng).toBeCloseTo(107.588, 3);
    });
  });

  describe('service request updates (extension)', () => {
    const postUpdate = (body: Record<string, string>) => request(h.rt.app).post(`${BASE}/servicerequestupdates.${fmt}`).type('form').send(body);
    let seq = 0;
    const base = (code: string, status: string, description = 'Đã cử tổ công tác') => ({
      api_key: operatorKey,
      service_request_id: code,
      update_id: `${fmt}-${++seq}`,
      status,
      updated_datetime: '2026-06-10T09:00:00+07:00',
      description,
    });

    it('GET lists the public changes, newest first, with the extension statuses', async () => {
      const list = readList(await request(h.rt.app).get(`${BASE}/servicerequestupdates.${fmt}`).expect(200), fmt, 'service_request_updates', 'request_update');
      const mine = list.filter((u) => u.service_request_id === answered);
      expect(mine.map((u) => u.status)).toEqual(['fixed', 'in_progress', 'action_scheduled']);
      expect(Object.keys(mine[0]!)).toEqual(['update_id', 'service_request_id', 'status', 'updated_datetime', 'description', 'media_url', 'external_status_code']);
      expect(mine[0]!.description).toBe('Đã vá ổ gà. Cảm ơn anh *** đã phản ánh.');
      expect(mine[0]!.media_url).toMatch(/\/media\/[a-f0-9]{64}\.jpg$/);
      const hidden = list.find((u) => u.service_request_id === optedOut && u.status === 'fixed')!;
      expect(hidden).toMatchObject({ description: '', media_url: '' });
      expect(list.some((u) => u.service_request_id === old)).toBe(false);
    });

    it.each<[string, () => Record<string, string>, number, RegExp]>([
      ['without api_key', () => ({ ...base(fresh, 'IN_PROGRESS'), api_key: '' }), 403, /api_key/],
      ['from a viewer key (the lifecycle refuses the role)', () => ({ ...base(fresh, 'INTERNAL_REFERRAL'), api_key: viewerKey, agency: 'hepco' }), 403, /lifecycle.forbidden/],
      ['for an unknown request', () => base('PA-ZZZZZZZ', 'IN_PROGRESS'), 404, /service_request_id/],
      ['without update_id', () => ({ ...base(fresh, 'IN_PROGRESS'), update_id: '' }), 400, /update_id/],
      ['without updated_datetime', () => ({ ...base(fresh, 'IN_PROGRESS'), updated_datetime: 'soon' }), 400, /updated_datetime/],
      ['with a status we do not take', () => base(fresh, 'FOR_TRIAGE'), 400, /FOR_TRIAGE/],
      ['that the lifecycle does not allow (received → in progress)', () => base(fresh, 'IN_PROGRESS'), 400, /lifecycle.illegal-transition/],
      ['resolving without a reply', () => ({ ...base(answered, 'FIXED'), description: '' }), 400, /description|lifecycle/],
    ])('refuses an update %s', async (_what, body, status, message) => {
      const res = await postUpdate(body()).expect(status);
      expect(readErrors(res, fmt)).toEqual([{ code: String(status), description: expect.stringMatching(message) }]);
    });

    it('an integration key moves a report through the lifecycle; a repeated update_id is the same update; the resident is told', async () => {
      const psid = `psid-o311-upd-${fmt}`;
      const { code } = await fileAs(h, psid, { category: 'trees', description: 'Cành cây gãy treo lơ lửng trên đường' });
      const first = base(code, 'INTERNAL_REFERRAL', 'Chuyển Công ty Môi trường xử lý');
      const a = readList(await postUpdate({ ...first, agency: 'hepco' }).expect(200), fmt, 'service_request_updates', 'request_update');
      expect(Object.keys(a[0]!)).toEqual(['update_id']);
      const again = readList(await postUpdate({ ...first, agency: 'hepco' }).expect(200), fmt, 'service_request_updates', 'request_update');
      expect(again[0]!.update_id).toBe(a[0]!.update_id);
      const events = await h.t.db.query<{ to_status: string; actor_kind: string }>('SELECT e.to_status, e.actor_kind FROM report_events e JOIN reports r ON r.id = e.report_id WHERE r.code = $1 ORDER BY e.id', [code]);
      expect(events.rows).toEqual([{ to_status: 'received', actor_kind: 'resident' }, { to_status: 'assigned', actor_kind: 'integration' }]);
      const msgs = await h.graph.waitForMessages(psid, 1, 10_000);
      expect(msgs.at(-1)!.message?.text).toContain(code);

      // An agency key of HEPCO starts and fixes it, with a result photo from a URL.
      await postUpdate({ ...base(code, 'IN_PROGRESS'), api_key: agencyKey }).expect(200);
      const fixed = readList(await postUpdate({ ...base(code, 'FIXED', 'Đã cắt tỉa cành cây gãy'), api_key: agencyKey, media_url: await hostedPhoto(h, 99) }).expect(200), fmt, 'service_request_updates', 'request_update');
      const report = await h.rt.useCases.queries.findByCode(code);
      expect(report).toMatchObject({ status: 'resolved', publicReply: 'Đã cắt tỉa cành cây gãy' });
      expect(report!.resultPhotos).toHaveLength(1);
      const listed = readList(await request(h.rt.app).get(`${BASE}/servicerequestupdates.${fmt}`).expect(200), fmt, 'service_request_updates', 'request_update');
      expect(listed.find((u) => u.update_id === fixed[0]!.update_id)).toMatchObject({ status: 'fixed', external_status_code: 'resolved', description: 'Đã cắt tỉa cành cây gãy' });
      await h.graph.waitForMessages(psid, 3, 10_000);
      const audit = await h.t.db.query("SELECT action FROM audit_log WHERE target_id = $1 AND action = 'open311.update'", [code]);
      expect(audit.rowCount).toBe(3);
    });
  });
});

it('answers at most 1,000 requests, the newest', async () => {
  const n = OPEN311_MAX_RESULTS + 5;
  const at = h.clock.now();
  await h.t.db.query(
    `INSERT INTO reports (code, resident_id, channel, category, description, lat, lng, created_at, updated_at, due_at)
     SELECT 'PA-Q' || lpad(g::text, 6, '0'), (SELECT id FROM residents LIMIT 1), 'zalo', 'noise', 'Karaoke ồn ào lúc nửa đêm', 16.46, 107.59,
            $1::timestamptz - make_interval(mins => g::int), $1::timestamptz, $1::timestamptz + interval '1 day'
       FROM generate_series(1, $2) g`,
    [at, n],
  );
  const res = await request(h.rt.app).get(`${BASE}/requests.json?service_code=noise`).expect(200);
  expect(res.body).toHaveLength(OPEN311_MAX_RESULTS);
  expect(res.body[0].requested_datetime > res.body[999].requested_datetime).toBe(true);
});

it('no extension is XML; an unknown format is 404', async () => {
  const res = await request(h.rt.app).get(`${BASE}/services`).expect(200);
  expect(res.headers['content-type']).toMatch(/text\/xml/);
  await request(h.rt.app).get(`${BASE}/services.csv`).expect(404);
  await request(h.rt.app).get(`${BASE}/nothing.json`).expect(404);
});
