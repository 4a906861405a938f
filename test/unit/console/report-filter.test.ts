/** The report list's query string: parsed into a filter, refused with every bad parameter named, and written back. */
import { filterQueryString, parseReportQuery } from '../../../src/console/reports/report-filter';
import { csvCell, csvLine } from '../../../src/console/reports/report-csv';
import { DeskError, EMPTY_FILTER } from '../../../src/domain/reports/report-desk';

const choices = { categories: ['waste', 'trees'], wards: ['19789', '19753'], agencies: ['hepco', 'cong-an'] };

it('reads every filter, repeated or comma-separated, with defaults', () => {
  const q = parseReportQuery({ status: ['received', 'assigned,in_progress'], category: 'waste', ward: '19789', agency: 'none,hepco', overdue: 'true', reopened: '1', from: '2026-03-01', to: '2026-03-02', q: '  Lê   Lợi ', sort: 'due', limit: '20', cursor: 'abc' }, choices);
  expect(q).toEqual({
    filter: { statuses: ['received', 'assigned', 'in_progress'], categories: ['waste'], wards: ['19789'], agencies: ['none', 'hepco'], overdue: true, reopened: true, from: '2026-03-01', to: '2026-03-02', q: 'Lê Lợi', sort: 'due' },
    cursor: 'abc',
    limit: 20,
  });
  expect(parseReportQuery({ lang: 'en', overdue: 'false' }, choices)).toEqual({ filter: EMPTY_FILTER, cursor: null, limit: 50 });
});

it('names every bad parameter at once', () => {
  let err: unknown;
  try {
    parseReportQuery({ status: 'fixed', ward: '1', from: '2026-02-29', q: 'ab', sort: 'x', limit: '500', overdue: 'maybe' }, choices);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DeskError);
  expect((err as DeskError).fields!.map((f) => f.field).sort()).toEqual(['from', 'limit', 'overdue', 'q', 'sort', 'status', 'ward']);
  expect(() => parseReportQuery({ from: '2026-03-05', to: '2026-03-01' }, choices)).toThrow(DeskError);
});

it('writes a filter back as a query string that parses to the same filter', () => {
  const filter = { statuses: ['received' as const], categories: ['trees'], wards: ['19753'], agencies: ['none'], overdue: true, reopened: false, from: '2026-01-01', to: null, q: 'cây đổ', sort: 'oldest' as const };
  const qs = filterQueryString(filter, { cursor: 'c1', limit: null });
  const params = Object.fromEntries([...new URLSearchParams(qs.slice(1)).keys()].map((k) => [k, new URLSearchParams(qs.slice(1)).getAll(k)]));
  expect(parseReportQuery(params, choices)).toEqual({ filter, cursor: 'c1', limit: 50 });
  expect(filterQueryString(EMPTY_FILTER)).toBe('');
});

it('CSV cells are quoted when needed and never run as formulas', () => {
  expect(csvCell(null)).toBe('');
  expect(csvCell(12.5)).toBe('12.5');
  expect(csvCell('Đường Lê Lợi')).toBe('Đường Lê Lợi');
  expect(csvCell('a, "b"')).toBe('"a, ""b"""');
  expect(csvCell('=1+1')).toBe("'=1+1");
  expect(csvCell('+84 90')).toBe("'+84 90");
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(csvCell('-x,y')).toBe('"\'-x,y"');
  expect(csvLine(['a', 1, true, null])).toBe('a,1,true,\r\n');
});
