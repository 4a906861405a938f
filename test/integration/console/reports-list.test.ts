/**
 * The report list (API, console page, map markers, CSV export) against real PostgreSQL with 60
 * seeded reports: keyset pages that together give every report exactly once in each sort order,
 * every filter, scopes per role, refusals of bad parameters, and the CSV a Vietnamese Excel opens.
 */
import request from 'supertest';
import { CSV_FIELDS } from '../../../src/console/reports/report-csv';
import type { Harness } from '../../support/harness';
import { seedCode, seedReports, type SeedReport } from '../../support/seed-reports';
import { apiToken, consoleHarness, createStaff, signIn, type SignedIn, type TestClock } from './console-support';

let h: Harness & { clock: TestClock };
let operator: string;
let hepco: string;
let communications: string;
let operatorSession: SignedIn;
let hepcoSession: SignedIn;

const STATUSES = ['received', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected'] as const;
const HOUR = 3_600_000;

interface Spec extends SeedReport {
  readonly i: number;
}

let specs: Spec[] = [];

beforeAll(async () => {
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
  const base = h.clock.now().getTime();
  specs = Array.from({ length: 60 }, (_, i): Spec => {
    const status = STATUSES[i % 6]!;
    const createdAt = new Date(base - Math.floor(i / 2) * HOUR);
    return {
      i,
      code: seedCode(i, 'L'),
      status,
      category: i % 3 === 0 ? 'waste' : i % 3 === 1 ? 'trees' : 'road-damage',
      ward: i % 4 === 0 ? '19789' : i % 4 === 1 ? '19753' : null,
      agency: status === 'received' ? null : i % 2 ? 'hepco' : 'so-xay-dung',
      proposedAgency: status === 'received' ? 'hepco' : null,
      createdAt,
      updatedAt: new Date(createdAt.getTime() + (i % 5) * 60_000),
      dueAt: new Date(createdAt.getTime() + 24 * HOUR),
      resolvedAt: status === 'resolved' || status === 'closed' ? new Date(createdAt.getTime() + 2 * HOUR) : null,
      reopened: i % 10 === 3,
      description: i === 7 ? 'Đường Lê Lợi bị ngập sâu sau mưa' : i === 13 ? '=HYPERLINK("http://evil.test","bấm vào đây")' : i === 17 ? 'Rác ở ngõ 5, "góc chợ"\ncạnh cột điện' : `Rác ùn ứ số ${i}`,
      address: i === 11 ? '12 Nguyễn Huệ, Huế' : null,
    };
  });
  await seedReports(h.t.db, specs);
  const make = async (role: Parameters<typeof createStaff>[1], o: Parameters<typeof createStaff>[2] = {}) => {
    const u = await createStaff(h, role, o);
    return { token: await apiToken(h, u.email, u.password), session: await signIn(h, u.email, u.password) };
  };
  const op = await make('operator');
  operator = op.token;
  operatorSession = op.session;
  const he = await make('agency', { agencies: ['hepco'] });
  hepco = he.token;
  hepcoSession = he.session;
  communications = (await make('communications')).token;
});
afterAll(async () => h.close());

const get = (token: string, path: string) => request(h.rt.app).get(path).set('authorization', `Bearer ${token}`);

/** Codes in the order a sort gives (ties broken by id, i.e. insertion order). */
function ordered(list: readonly Spec[], sort: 'newest' | 'oldest' | 'due' | 'updated'): string[] {
  const key = (s: Spec) => (sort === 'updated' ? s.updatedAt! : sort === 'due' ? s.dueAt! : s.createdAt).getTime();
  const desc = sort === 'newest' || sort === 'updated';
  return [...list].sort((a, b) => (desc ? key(b) - key(a) || b.i - a.i : key(a) - key(b) || a.i - b.i)).map((s) => s.code);
}

/** Follows nextCursor to the end; returns the codes and the number of pages. */
async function everyPage(token: string, query: string, limit: number): Promise<{ codes: string[]; pages: number }> {
  const codes: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = query ? '&' : '';
    const res = await get(token, `/api/staff/v1/reports?${query}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    codes.push(...res.body.items.map((r: { code: string }) => r.code));
    cursor = res.body.nextCursor;
    pages++;
    if (pages > 100) throw new Error('paging does not end');
  } while (cursor);
  return { codes, pages };
}

const isOpen = (s: Spec) => ['received', 'assigned', 'in_progress'].includes(s.status!);

describe('keyset pages', () => {
  it.each(['newest', 'oldest', 'due', 'updated'] as const)('sort=%s: the pages together give every report once, in order (ties broken by id)', async (sort) => {
    const { codes, pages } = await everyPage(operator, sort === 'newest' ? '' : `sort=${sort}`, 7);
    expect(codes).toEqual(ordered(specs, sort));
    expect(pages).toBe(Math.ceil(60 / 7));
  });

  it('the last page has no nextCursor; an exact multiple of the page size ends without an empty page', async () => {
    const { pages } = await everyPage(operator, '', 20);
    expect(pages).toBe(3);
  });
});

describe('filters', () => {
  const cases: Array<[string, (s: Spec) => boolean]> = [
    ['status=in_progress', (s) => s.status === 'in_progress'],
    ['status=received,assigned', (s) => s.status === 'received' || s.status === 'assigned'],
    ['status=received&status=assigned', (s) => s.status === 'received' || s.status === 'assigned'],
    ['category=trees', (s) => s.category === 'trees'],
    ['ward=19789', (s) => s.ward === '19789'],
    ['agency=hepco', (s) => s.agency === 'hepco'],
    ['agency=none', (s) => s.agency === null],
    ['agency=none,so-xay-dung', (s) => s.agency === null || s.agency === 'so-xay-dung'],
    ['overdue=true', (s) => isOpen(s) && s.dueAt!.getTime() < Date.parse('2026-03-02T08:00:00Z')],
    ['reopened=1', (s) => s.reopened === true],
    ['from=2026-03-02', (s) => s.createdAt.getTime() >= Date.parse('2026-03-01T17:00:00Z')],
    ['to=2026-03-01', (s) => s.createdAt.getTime() < Date.parse('2026-03-01T17:00:00Z')],
    ['from=2026-03-01&to=2026-03-01', (s) => s.createdAt.getTime() >= Date.parse('2026-02-28T17:00:00Z') && s.createdAt.getTime() < Date.parse('2026-03-01T17:00:00Z')],
    ['q=duong%20le%20loi', (s) => s.i === 7],
    ['q=L%C3%8A%20L%E1%BB%A2I', (s) => s.i === 7],
    ['q=nguyen%20hue', (s) => s.i === 11],
    [`q=${seedCode(42, 'L').slice(3)}`, (s) => s.i === 42],
    ['q=100%25', () => false],
    ['status=resolved&agency=hepco&category=waste', (s) => s.status === 'resolved' && s.agency === 'hepco' && s.category === 'waste'],
    ['overdue=true&sort=due', (s) => isOpen(s) && s.dueAt!.getTime() < Date.parse('2026-03-02T08:00:00Z')],
  ];
  it.each(cases)('%s', async (query, keep) => {
    const sort = /sort=(\w+)/.exec(query)?.[1] as 'due' | undefined;
    const { codes } = await everyPage(operator, query, 4);
    expect(codes).toEqual(ordered(specs.filter(keep), sort ?? 'newest'));
  });

  it('the overdue filter follows the clock: eleven hours later more reports are overdue', async () => {
    const before = (await everyPage(operator, 'overdue=true', 50)).codes.length;
    h.clock.advance(11 * HOUR);
    try {
      const after = (await everyPage(operator, 'overdue=true', 50)).codes.length;
      expect(after).toBe(specs.filter((s) => isOpen(s) && s.dueAt!.getTime() < h.clock.now().getTime()).length);
      expect(after).toBeGreaterThan(before);
    } finally {
      h.clock.advance(-11 * HOUR);
    }
  });

  it('refuses bad parameters with 422 naming each one', async () => {
    const bad: Array<[string, string]> = [
      ['status=fixed', 'status'],
      ['category=ufo', 'category'],
      ['ward=99999', 'ward'],
      ['agency=ubnd-ha-noi', 'agency'],
      ['overdue=maybe', 'overdue'],
      ['from=2026-02-30', 'from'],
      ['from=2026-03-02&to=2026-03-01', 'to'],
      ['q=ab', 'q'],
      [`q=${'x'.repeat(101)}`, 'q'],
      ['sort=random', 'sort'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
    ];
    for (const [query, field] of bad) {
      const res = await get(operator, `/api/staff/v1/reports?${query}`);
      expect([query, res.status, res.body.error.code]).toEqual([query, 422, 'report.bad-filter']);
      expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    for (const cursor of ['garbage', 'eyJ4IjoxfQ', Buffer.from(JSON.stringify(['newest', 'not a time', '1'])).toString('base64url')]) {
      const res = await get(operator, `/api/staff/v1/reports?cursor=${cursor}`);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('report.bad-cursor');
    }
    // A cursor of one sort cannot continue another.
    const first = await get(operator, '/api/staff/v1/reports?limit=5');
    const other = await get(operator, `/api/staff/v1/reports?sort=due&cursor=${first.body.nextCursor}`);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('report.bad-cursor');
  });
});

describe('scopes', () => {
  it('an agency user lists only the reports routed to their agencies or in their wards', async () => {
    const { codes } = await everyPage(hepco, '', 25);
    expect(codes).toEqual(ordered(specs.filter((s) => s.agency === 'hepco'), 'newest'));
  });

  it('the communications role lists resolved and closed reports only', async () => {
    const { codes } = await everyPage(communications, '', 25);
    expect(codes).toEqual(ordered(specs.filter((s) => s.status === 'resolved' || s.status === 'closed'), 'newest'));
  });

  it('list items have the report shape with their history', async () => {
    const res = await get(operator, '/api/staff/v1/reports?limit=2');
    expect(res.body.items[0].history[0]).toMatchObject({ from: null, to: 'received', actor: { kind: 'resident' } });
    expect(res.body.items[0]).toHaveProperty('dueAt');
  });
});

describe('CSV export', () => {
  const parseCsv = (text: string): string[][] => {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        row.push(cell);
        cell = '';
      } else if (c === '\r' && text[i + 1] === '\n') {
        row.push(cell);
        rows.push(row);
        row = [];
        cell = '';
        i++;
      } else cell += c;
    }
    return rows;
  };

  it('GET /reports.csv: UTF-8 with BOM, the JSON names as headers, every report of the filter, formula-safe cells', async () => {
    const res = await get(operator, '/api/staff/v1/reports.csv').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="reports-2026-03-02\.csv"$/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(rows[0]).toEqual([...CSV_FIELDS]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(ordered(specs, 'newest'));
    const byCode = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byCode.get(seedCode(13, 'L'))![3]).toBe('\'=HYPERLINK("http://evil.test","bấm vào đây")');
    expect(byCode.get(seedCode(17, 'L'))![3]).toBe('Rác ở ngõ 5, "góc chợ"\ncạnh cột điện');
    expect(byCode.get(seedCode(11, 'L'))![4]).toBe('12 Nguyễn Huệ, Huế');
  });

  it('the console export has the same rows with Vietnamese headers and names, filtered like the list', async () => {
    const res = await operatorSession.agent.get('/console/reports.csv?status=resolved').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFFMã,Trạng thái,Loại,Nội dung,Địa chỉ')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows.slice(1).map((r) => r[0])).toEqual(ordered(specs.filter((s) => s.status === 'resolved'), 'newest'));
    expect(rows[1]![1]).toBe('Đã xử lý');
    expect(rows.slice(1).every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(r[11]!))).toBe(true);
  });

  it("an agency user's export holds only their reports", async () => {
    const res = await get(hepco, '/api/staff/v1/reports.csv');
    const codes = res.text.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => l.split(',')[0]);
    expect(codes).toEqual(ordered(specs.filter((s) => s.agency === 'hepco'), 'newest'));
  });
});

describe('the console list page', () => {
  it('shows the filtered reports in Vietnamese, highlights the overdue, and pages on with the same filter', async () => {
    const res = await operatorSession.agent.get('/console/reports?status=received,assigned,in_progress&limit=10');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Phản ánh</h1>');
    const expected = ordered(specs.filter(isOpen), 'newest');
    for (const code of expected.slice(0, 10)) expect(res.text).toContain(`>${code}</a>`);
    expect(res.text).not.toContain(`>${expected[10]}</a>`);
    const next = /href="(\/console\/reports\?[^"]+cursor=[^"]+)"/.exec(res.text)![1]!.replace(/&amp;/g, '&');
    expect(next).toContain('status=received');
    const page2 = await operatorSession.agent.get(next);
    expect(page2.text).toContain(`>${expected[10]}</a>`);
    const overdue = await operatorSession.agent.get('/console/reports?overdue=true');
    expect(overdue.text).toContain('class="row-overdue"');
    expect(overdue.text).toContain('Quá hạn');
    const en = await operatorSession.agent.get('/console/reports?lang=en');
    expect(en.text).toContain('<h1>Reports</h1>');
    await operatorSession.agent.get('/console/reports?lang=vi');
  });

  it('explains a bad filter politely (422) instead of failing', async () => {
    const res = await operatorSession.agent.get('/console/reports?q=ab&from=2026-13-01');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Từ khóa tìm kiếm cần ít nhất 3 ký tự.');
    expect(res.text).toContain('ngày không hợp lệ');
  });

  it("an agency user's list holds only their reports; the map markers too", async () => {
    const res = await hepcoSession.agent.get('/console/reports?limit=200');
    const shown = [...res.text.matchAll(/class="code">(PA-[A-Z0-9]+)</g)].map((m) => m[1]);
    expect(shown).toEqual(ordered(specs.filter((s) => s.agency === 'hepco'), 'newest'));
    const map = await hepcoSession.agent.get('/console/reports/map.json');
    expect(map.status).toBe(200);
    expect(map.body.truncated).toBe(false);
    expect(map.body.points.map((p: { code: string }) => p.code).sort()).toEqual(specs.filter((s) => s.agency === 'hepco').map((s) => s.code).sort());
    expect(Object.keys(map.body.points[0]).sort()).toEqual(['code', 'label', 'lat', 'lng', 'overdue', 'status']);
    const bad = await hepcoSession.agent.get('/console/reports/map.json?status=fixed');
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('report.bad-filter');
  });

  it('the map page allows the tile server in its image policy and nothing else changes', async () => {
    const res = await operatorSession.agent.get('/console/reports/map?status=received');
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/img-src 'self' data: https:\/\/tile\.openstreetmap\.org/);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.text).toContain('data-points="/console/reports/map.json?status=received"');
  });
});
