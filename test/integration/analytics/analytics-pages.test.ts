/**
 * The console's analytics pages over HTTP: who may see what (viewer and above; agency users
 * scoped, and kept out of the city-wide weekly report), the CSV carrying the same figures as the
 * dashboard, the printable weekly report, and weekly reports stored by staff and listed.
 */
import request from 'supertest';
import { auditRows, createStaff, signIn, type SignedIn } from '../console/console-support';
import { fileAs, move, publicHarness, resolve, type PublicHarness } from '../../support/public-support';

let h: PublicHarness;
let viewer: SignedIn;
let operator: SignedIn;
let agency: SignedIn;

/** `section,key,label,metric,value` lines as records. */
function parseCsv(text: string): Array<Record<string, string>> {
  expect(text.startsWith('\ufeff')).toBe(true);
  const rows = text.slice(1).trim().split('\r\n').map((line) => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        out.push(cur);
        cur = '';
      } else cur += c;
    }
    out.push(cur);
    return out;
  });
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((k, i) => [k, r[i] ?? ''])));
}

beforeAll(async () => {
  h = await publicHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
  // Week of Monday 2026-03-02 (the clock starts that Monday, 15:00 in Huế).
  const a = await fileAs(h, 'psid-ap-1', { category: 'road-damage' });
  h.clock.advance(3_600_000);
  await resolve(h, a.code);
  const b = await fileAs(h, 'psid-ap-2', { category: 'waste' });
  await move(h, b.code, { to: 'assigned', agency: 'hepco' });
  await h.t.db.query("UPDATE reports SET ward = '19789' WHERE code = $1", [a.code]);
  h.clock.advance(8 * 86_400_000); // into the next week
  const v = await createStaff(h, 'viewer');
  viewer = await signIn(h, v.email, v.password);
  const o = await createStaff(h, 'operator');
  operator = await signIn(h, o.email, o.password);
  const g = await createStaff(h, 'agency', { agencies: ['hepco'] });
  agency = await signIn(h, g.email, g.password);
});
afterAll(async () => h?.close());

it('anonymous visitors are sent to sign in', async () => {
  const res = await request(h.rt.app).get('/console/analytics').expect(303);
  expect(res.headers.location).toMatch(/^\/console\/login\?next=/);
});

it('a viewer sees the dashboard: totals, charts with titles and descriptions, tables, links', async () => {
  const res = await viewer.agent.get('/console/analytics?from=2026-03-04&weeks=2').expect(200);
  expect(res.text).toContain('<h1>Thống kê phản ánh</h1>');
  expect(res.text).toContain('Từ thứ Hai 02/03/2026 đến hết Chủ nhật 15/03/2026');
  expect(res.text).toMatch(/<span class="kpi-label">Tiếp nhận<\/span><span class="kpi-value">2<\/span>/);
  expect(res.text).toMatch(/<span class="kpi-label">Đã xử lý xong<\/span><span class="kpi-value">1<\/span>/);
  expect(res.text).toMatch(/<svg class="chart" role="img" aria-labelledby="chart-weekly-title chart-weekly-desc"/);
  expect(res.text).toContain('Tuần 02/03/2026: tiếp nhận 2, đã xử lý 1, quá hạn 1');
  expect(res.text).toContain('Phường Thuận Hóa');
  expect(res.text).toContain('Công ty CP Môi trường và Công trình đô thị Huế');
  expect(res.text).toContain('href="/console/analytics/figures.csv?from=2026-03-02&amp;weeks=2"');
  expect(res.text).toContain('href="/console/analytics"');
});

it('the CSV carries the same figures as the dashboard', async () => {
  const res = await viewer.agent.get('/console/analytics/figures.csv?from=2026-03-02&weeks=2').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
  expect(res.headers['content-disposition']).toMatch(/attachment; filename="phan-anh-2026-03-02-2-tuan\.csv"/);
  const rows = parseCsv(res.text);
  const f = await h.rt.useCases.analytics.figures('2026-03-02', 2);
  const value = (section: string, metric: string, key = '') => rows.find((r) => r.section === section && r.metric === metric && r.key === key)?.value;
  expect(value('totals', 'received')).toBe(String(f.totals.received));
  expect(value('week', 'resolved', '2026-03-02')).toBe('1');
  expect(value('ward', 'received', '19789')).toBe('1');
  expect(rows.find((r) => r.section === 'ward' && r.key === '19789')!.label).toBe('Phường Thuận Hóa');
  expect(value('channel', 'received', 'messenger')).toBe('2');
  expect(value('first_response', 'count')).toBe(String(f.firstResponse.count));
  expect(value('resolution', 'median_hours')).toBe(String(Math.round(f.resolution.medianHours! * 100) / 100));
});

it('an agency user sees only their figures, and not the city-wide weekly report', async () => {
  const res = await agency.agent.get('/console/analytics?from=2026-03-02&weeks=2').expect(200);
  expect(res.text).toContain('Số liệu trong phạm vi của bạn');
  expect(res.text).toMatch(/<span class="kpi-label">Tiếp nhận<\/span><span class="kpi-value">1<\/span>/);
  expect(res.text).not.toContain('/console/analytics/weekly');
  await agency.agent.get('/console/analytics/weekly').expect(403);
  await agency.agent.get('/console/analytics/weekly-reports').expect(403);
});

it('the weekly report is a printable A4 document in the administrative layout, with its CSV', async () => {
  const res = await viewer.agent.get('/console/analytics/weekly?week=2026-03-05').expect(200);
  expect(res.text).toContain('<link rel="stylesheet" href="/console/static/weekly-report.css">');
  for (const s of ['UBND THÀNH PHỐ HUẾ', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'Số: ……/BC-IOC', '(Tuần từ ngày 02/03/2026 đến ngày 08/03/2026)', 'Kính gửi: Ủy ban nhân dân thành phố Huế.', 'I. TÌNH HÌNH TIẾP NHẬN', 'Trong tuần, tiếp nhận 2 phản ánh.', 'VI. MỨC ĐỘ HÀI LÒNG CỦA NGƯỜI DÂN', 'Nơi nhận:', 'GIÁM ĐỐC']) {
    expect(res.text).toContain(s);
  }
  const css = await request(h.rt.app).get('/console/static/weekly-report.css').expect(200);
  expect(css.text).toContain('@page { size: A4;');
  const csv = parseCsv((await viewer.agent.get('/console/analytics/weekly/figures.csv?week=2026-03-02').expect(200)).text);
  expect(csv.find((r) => r.section === 'totals' && r.metric === 'received')!.value).toBe('2');
});

it('staff of the IOC store a weekly report; everyone with the figures sees the list and the stored copy', async () => {
  await viewer.agent.post('/console/analytics/weekly-reports').type('form').send({ _csrf: viewer.csrf, week: '2026-03-02' }).expect(403);
  const post = await operator.agent.post('/console/analytics/weekly-reports').type('form').send({ _csrf: operator.csrf, week: '2026-03-04' }).expect(303);
  expect(post.headers.location).toBe('/console/analytics/weekly-reports?done=2026-03-02');
  const list = await viewer.agent.get('/console/analytics/weekly-reports').expect(200);
  expect(list.text).toContain('href="/console/analytics/weekly-reports/2026-03-02"');
  expect(list.text).toContain('do cán bộ lập');
  // The stored copy keeps its figures even when the history moves on.
  const [b] = (await h.t.db.query<{ code: string }>("SELECT code FROM reports WHERE category = 'waste'")).rows;
  await move(h, b!.code, { to: 'in_progress' });
  const stored = await viewer.agent.get('/console/analytics/weekly-reports/2026-03-02').expect(200);
  expect(stored.text).toContain('Báo cáo đã lưu lúc');
  expect(stored.text).toContain('Trong tuần, tiếp nhận 2 phản ánh.');
  await viewer.agent.get('/console/analytics/weekly-reports/2026-03-02/figures.csv').expect(200);
  await viewer.agent.get('/console/analytics/weekly-reports/2026-03-09').expect(404);
  expect((await auditRows(h, 'analytics.weekly-report')).map((r) => r.target_id)).toEqual(['2026-03-02']);
});

it('is in English with ?lang=en', async () => {
  const res = await viewer.agent.get('/console/analytics?lang=en&from=2026-03-02&weeks=2').expect(200);
  expect(res.text).toContain('<h1>Report figures</h1>');
  expect(res.text).toContain('Per ward or commune');
});
