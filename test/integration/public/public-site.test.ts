/**
 * The public page of reports, server-rendered: how to report (the city profile's links and QR
 * codes), the list with public status, category, street and ward, redacted photos and texts, the
 * city's reply and the rating; nothing personal; opt-outs; filters; paging; a report's page with
 * its Open Graph card; the weight of the first page.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import request from 'supertest';
import sharp from 'sharp';
import { listen } from '../../support/browser';
import { fileAs, move, publicHarness, resolve, type PublicHarness } from '../../support/public-support';

let h: PublicHarness;
let answered: string;
let optedOut: string;
let rejected: string;
let unredacted: string;
let tree: string;

const page = async (path: string) => {
  const res = await request(h.rt.app).get(path).expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
  return res.text;
};

beforeAll(async () => {
  h = await publicHarness();
  answered = (await fileAs(h, 'psid-pub-a', { description: 'Tôi là Lê Thị Hoa, gọi 0905 123 456. Ổ gà sâu trước nhà số 45 Hùng Vương', address: '45 Hùng Vương, Phường Thuận Hóa, Thành phố Huế, Việt Nam' })).code;
  h.clock.advance(2 * 86_400_000);
  await resolve(h, answered, 'Đã vá ổ gà trước số 45. Xin cảm ơn chị Hoa.');
  await h.t.db.query("UPDATE reports SET rating = 5, status = 'closed', ward = '19789' WHERE code = $1", [answered]);
  h.clock.advance(3_600_000);
  optedOut = (await fileAs(h, 'psid-pub-b', { category: 'waste', description: 'Rác đổ trộm bên bờ sông, mùi hôi nồng nặc' })).code;
  await h.t.db.query('UPDATE reports SET publish = false WHERE code = $1', [optedOut]);
  h.clock.advance(3_600_000);
  rejected = (await fileAs(h, 'psid-pub-c', { category: 'other', description: 'Nội dung không liên quan đến hiện trường' })).code;
  await move(h, rejected, { to: 'rejected', note: 'Nội dung không thuộc phạm vi phản ánh hiện trường.' });
  h.clock.advance(3_600_000);
  unredacted = (await fileAs(h, 'psid-pub-d', { category: 'street-lights', description: 'Đèn đường tắt cả đoạn phố đi bộ' })).code;
  const photo = (await h.t.db.query<{ media_key: string }>('SELECT p.media_key FROM report_photos p JOIN reports r ON r.id = p.report_id WHERE r.code = $1', [unredacted])).rows[0]!.media_key;
  h.redaction.notYet.add(photo);
  h.clock.advance(3_600_000);
  tree = (await fileAs(h, 'psid-pub-e', { category: 'trees', description: 'Cây xanh nghiêng sắp đổ', address: 'Trần Hưng Đạo, Phường Phú Xuân, Thành phố Huế' })).code;
  await h.t.db.query("UPDATE reports SET ward = '19753' WHERE code = $1", [tree]);
});
afterAll(async () => h?.close());

describe('the landing page', () => {
  let html: string;
  beforeAll(async () => {
    html = await page('/');
  });

  it('says how to report, with the Zalo OA, fanpage and Messenger links and their QR codes', () => {
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('Cách gửi phản ánh');
    expect(html).toContain('href="https://zalo.me/hueioc"');
    expect(html).toContain('href="https://www.facebook.com/hueioc"');
    expect(html).toContain('href="https://m.me/hueioc"');
    expect(html.match(/<svg aria-hidden="true" focusable="false" class="qr"/g)).toHaveLength(3);
    expect(html).toContain('113');
  });

  it('lists the reports newest first with status, category, street and ward, the reply, result photo and rating', () => {
    const codes = [...html.matchAll(/<span class="code">(PA-[A-Z0-9]+)<\/span>/g)].map((m) => m[1]);
    expect(codes).toEqual([tree, unredacted, rejected, optedOut, answered]);
    const card = html.slice(html.indexOf(`id="r-${answered}"`));
    expect(card).toContain('Hư hỏng đường, vỉa hè, cầu');
    expect(card).toContain('Đã hoàn tất');
    expect(card).toContain('Hùng Vương, Phường Thuận Hóa');
    expect(card).toContain('Tôi là ***, gọi ***. Ổ gà sâu trước nhà số *** Hùng Vương');
    expect(card).toContain('Đã vá ổ gà trước số ***. Xin cảm ơn chị ***.');
    expect(card).toContain('Xử lý xong sau 2 ngày');
    expect(card).toContain('5/5 sao');
    expect(card.match(/<img class="thumb" src="\/media\/[a-f0-9]{64}\.jpg"/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('shows no personal data anywhere', () => {
    expect(html).not.toMatch(/Lê Thị Hoa|0905|123 456|số 45|45 Hùng|chị Hoa|psid-pub/);
  });

  it('lists an opted-out report without its text or photos, and a rejected one without the resident text', () => {
    const out = html.slice(html.indexOf(`id="r-${optedOut}"`), html.indexOf(`id="r-${answered}"`));
    expect(out).toContain('Người phản ánh chọn không công khai nội dung và hình ảnh.');
    expect(out).not.toContain('<img');
    expect(html).not.toContain('Rác đổ trộm');
    const rej = html.slice(html.indexOf(`id="r-${rejected}"`), html.indexOf(`id="r-${optedOut}"`));
    expect(rej).toContain('Nội dung không thuộc phạm vi phản ánh hiện trường.');
    expect(rej).not.toContain('Nội dung không liên quan');
  });

  it('shows only redacted photos: a photo not yet redacted is left out', () => {
    const lights = html.slice(html.indexOf(`id="r-${unredacted}"`), html.indexOf(`id="r-${rejected}"`));
    expect(lights).toContain('Đèn đường tắt cả đoạn phố đi bộ');
    expect(lights).not.toContain('<img');
  });

  it('is in English with ?lang=en, links keep the language', async () => {
    const en = await page('/?lang=en');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('How to report');
    expect(en).toContain(`href="/reports/${answered}?lang=en"`);
    expect(en).toContain('Damaged roads, pavements and bridges');
  });
});

describe('filters and pages', () => {
  const codesOf = (html: string) => [...html.matchAll(/<span class="code">(PA-[A-Z0-9]+)<\/span>/g)].map((m) => m[1]);

  it('filters by ward (the report\'s ward code) and by category, and keeps the choice in the form', async () => {
    const byWard = await page('/?ward=19753');
    expect(codesOf(byWard)).toEqual([tree]);
    expect(byWard).toContain('<option value="19753" selected>Phường Phú Xuân</option>');
    expect(codesOf(await page('/?category=waste'))).toEqual([optedOut]);
    expect(codesOf(await page('/?ward=19789&category=road-damage'))).toEqual([answered]);
    expect(codesOf(await page('/?ward=19789&category=trees'))).toEqual([]);
    // Unknown values are ignored rather than refused.
    expect(codesOf(await page('/?ward=<script>&category=nope'))).toHaveLength(5);
  });

  it('pages by 20 with next and previous links that keep the filters', async () => {
    await h.t.db.query(
      `INSERT INTO reports (code, resident_id, channel, category, description, lat, lng, created_at, updated_at, due_at)
       SELECT 'PA-W' || lpad(g::text, 6, '0'), (SELECT id FROM residents LIMIT 1), 'zalo', 'noise', 'Karaoke ồn ào lúc nửa đêm', 16.46, 107.59,
              now() - make_interval(days => 400, mins => g), now(), now() FROM generate_series(1, 25) g`,
    );
    const first = await page('/?category=noise');
    expect(codesOf(first)).toHaveLength(20);
    expect(first).toContain('href="/?category=noise&amp;page=2" rel="next"');
    const second = await page('/?category=noise&page=2');
    expect(codesOf(second)).toHaveLength(5);
    expect(second).toContain('href="/?category=noise" rel="prev"');
    expect(second).not.toContain('rel="next"');
  });
});

describe("a report's page", () => {
  it('shows the report and an Open Graph preview of its before/after card', async () => {
    const html = await page(`/reports/${answered}`);
    expect(html).toContain('<h1 id="report-title">Hư hỏng đường, vỉa hè, cầu</h1>');
    expect(html).toMatch(new RegExp(`<meta property="og:image" content="http://bot\\.test/reports/${answered}/card\\.png\\?v=\\d+">`));
    expect(html).toContain(`<meta property="og:url" content="http://bot.test/reports/${answered}">`);
    expect(html).toContain('<meta property="og:title" content="' + answered + ': Hư hỏng đường, vỉa hè, cầu — Đã hoàn tất">');
    expect(html).toContain('<meta property="og:description" content="Hư hỏng đường, vỉa hè, cầu tại Hùng Vương, Phường Thuận Hóa: Đã hoàn tất sau 2 ngày.">');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(html).not.toMatch(/Lê Thị Hoa|0905|số 45/);
    expect(await page(`/reports/${answered.toLowerCase()}`)).toContain(answered);
  });

  it('the card is a 1200×630 PNG', async () => {
    const res = await request(h.rt.app).get(`/reports/${answered}/card.png`).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    const meta = await sharp(res.body as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 630]);
  });

  it('an opted-out report has its page without text or photos, and its card without photos', async () => {
    const html = await page(`/reports/${optedOut}`);
    expect(html).not.toContain('Rác đổ trộm');
    expect(html).not.toMatch(/<img /);
    const res = await request(h.rt.app).get(`/reports/${optedOut}/card.png`).expect(200);
    const px = Array.from((await sharp(res.body as Buffer).extract({ left: 300, top: 300, width: 1, height: 1 }).raw().toBuffer()).subarray(0, 3));
    expect(px).toEqual([0xe4, 0xe8, 0xee]);
  });

  it('an unknown code is a 404 page', async () => {
    const res = await request(h.rt.app).get('/reports/PA-ZZZZZZZ').expect(404);
    expect(res.text).toContain('Không tìm thấy phản ánh này.');
    await request(h.rt.app).get('/reports/PA-ZZZZZZZ/card.png').expect(404);
  });
});

it('the map gets points of the last 90 days at street precision, with their labels', async () => {
  const res = await request(h.rt.app).get('/map.json?category=road-damage').expect(200);
  expect(res.body.points).toEqual([{ code: answered, lat: 16.467, lng: 107.591, status: 'Đã hoàn tất', category: 'Hư hỏng đường, vỉa hè, cầu', href: `/reports/${answered}` }]);
  expect(JSON.stringify((await request(h.rt.app).get('/map.json').expect(200)).body)).not.toMatch(/Karaoke/);
});

it('the first page, its stylesheet, script and the map library weigh under 200 KB gzipped; the page works without the script', async () => {
  // Bytes on the wire, as a phone would receive them (raw HTTP, nothing decompressed).
  const server = await listen(h.rt.app);
  const gz = (path: string) =>
    new Promise<{ bytes: number; encoding: string | undefined; text: string }>((resolve, reject) => {
      http.get(`${server.url}${path}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode !== 200) return reject(new Error(`${path} answered ${res.statusCode}`));
          const enc = res.headers['content-encoding'];
          resolve({ bytes: body.length, encoding: enc, text: (enc === 'gzip' ? zlib.gunzipSync(body) : body).toString('utf8') });
        });
      }).on('error', reject);
    });
  const html = await gz('/');
  expect(html.encoding).toBe('gzip');
  const assets = ['/site/site.css', '/site/site.js', '/site/vendor/leaflet/leaflet.js', '/site/vendor/leaflet/leaflet.css', '/site/vendor/markercluster/leaflet.markercluster.js', '/site/vendor/markercluster/MarkerCluster.css', '/site/vendor/markercluster/MarkerCluster.Default.css', '/map.json'];
  let total = html.bytes;
  for (const a of assets) total += (await gz(a)).bytes;
  expect(total).toBeLessThan(200 * 1024);
  // Without JavaScript: the only script is the map's; the list, filters and paging are plain HTML.
  expect(html.text.match(/<script/g)).toHaveLength(1);
  expect(html.text).toContain('<form class="filters card" method="get" action="/"');
  await server.close();
});

it('with no redaction wired, no photo is public anywhere', async () => {
  const bare = await publicHarness({ redaction: null });
  try {
    const { code } = await fileAs(bare, 'psid-pub-bare');
    await resolve(bare, code);
    const html = (await request(bare.rt.app).get('/').expect(200)).text;
    expect(html).toContain(code);
    expect(html).not.toContain('<img');
    const o311 = await request(bare.rt.app).get(`/open311/v2/requests/${code}.json`).expect(200);
    expect(o311.body[0].media_url).toBeNull();
  } finally {
    await bare.close();
  }
});
