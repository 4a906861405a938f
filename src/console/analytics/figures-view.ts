/**
 * Figures as the console shows them: labelled rows (ward names, category titles, agency names,
 * channel names), formatted numbers, the SVG charts, and the CSV of the same figures.
 */
import type { CountRow, Figures } from '../../domain/analytics/figures';
import type { Locale } from '../../domain/shared/ids';
import type { Translate } from '../../i18n';
import { groupedBarChart, horizontalBars } from './svg-charts';

export interface Labels {
  readonly ward: (code: string) => string | null;
  readonly category: (slug: string, locale: Locale) => string | null;
  readonly agency: (id: string, locale: Locale) => string | null;
}

export type Dimension = 'ward' | 'category' | 'agency' | 'channel';

export interface LabelledRow extends CountRow {
  readonly label: string;
}

const CHANNEL_KEYS: Readonly<Record<string, string>> = {
  messenger: 'analytics:channels.messenger',
  zalo: 'analytics:channels.zalo',
  open311: 'analytics:channels.open311',
};

export function labelOf(dim: Dimension, key: string, t: Translate, locale: Locale, labels: Labels): string {
  if (key === '') return t('analytics:table.unknown');
  switch (dim) {
    case 'ward':
      return labels.ward(key) ?? key;
    case 'category':
      return labels.category(key, locale) ?? key;
    case 'agency':
      return labels.agency(key, locale) ?? key;
    case 'channel':
      return CHANNEL_KEYS[key] ? t(CHANNEL_KEYS[key]) : key;
  }
}

export function formatters(locale: Locale) {
  const tag = locale === 'vi' ? 'vi-VN' : 'en-GB';
  const one = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  const two = new Intl.NumberFormat(tag, { maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const day = (iso: string) => {
    const [y, m, d] = iso.split('-');
    return `${d}/${m}/${y}`;
  };
  return { hours: (h: number | null) => (h === null ? null : one.format(h)), num: (n: number | null) => (n === null ? null : two.format(n)), pct: (x: number | null) => (x === null ? null : pct.format(x)), day };
}

/** Everything the dashboard and the weekly report templates show. */
export function figuresView(f: Figures, t: Translate, locale: Locale, labels: Labels) {
  const fmt = formatters(locale);
  const dims: ReadonlyArray<{ dim: Dimension; rows: readonly CountRow[]; title: string }> = [
    { dim: 'ward', rows: f.byWard, title: t('analytics:charts.byWard') },
    { dim: 'category', rows: f.byCategory, title: t('analytics:charts.byCategory') },
    { dim: 'agency', rows: f.byAgency, title: t('analytics:charts.byAgency') },
    { dim: 'channel', rows: f.byChannel, title: t('analytics:charts.byChannel') },
  ];
  const weeks = f.weekly.map((w) => ({ ...w, label: fmt.day(w.key) }));
  const weeklyChart = groupedBarChart({
    id: 'chart-weekly',
    title: t('analytics:charts.weekly'),
    desc: t('analytics:charts.weeklyDesc', { list: weeks.map((w) => t('analytics:charts.weeklyItem', { week: w.label, received: w.received, resolved: w.resolved, overdue: w.overdue })).join('; ') }),
    categories: weeks.map((w) => w.label.slice(0, 5)),
    series: [
      { name: t('analytics:table.received'), className: 's-received', values: weeks.map((w) => w.received) },
      { name: t('analytics:table.resolved'), className: 's-resolved', values: weeks.map((w) => w.resolved) },
      { name: t('analytics:table.overdue'), className: 's-overdue', values: weeks.map((w) => w.overdue) },
    ],
  });
  const breakdowns = dims.map(({ dim, rows, title }) => {
    const labelled: LabelledRow[] = rows.map((r) => ({ ...r, label: labelOf(dim, r.key, t, locale, labels) }));
    const top = labelled.filter((r) => r.received > 0).slice(0, 15);
    return {
      id: `chart-${dim}`,
      dim,
      title,
      rows: labelled,
      chart: top.length
        ? horizontalBars({
            label: t('analytics:charts.barsLabel', { what: title.toLocaleLowerCase(locale === 'vi' ? 'vi' : 'en') }),
            rows: top.map((r) => ({ label: r.label, value: r.received })),
            className: 's-received',
          })
        : null,
    };
  });
  const dur = (d: Figures['firstResponse']) => ({
    count: d.count,
    median: d.medianHours === null ? null : t('analytics:metrics.hours', { value: fmt.hours(d.medianHours) }),
    p90: d.p90Hours === null ? null : t('analytics:metrics.hours', { value: fmt.hours(d.p90Hours) }),
  });
  return {
    period: { start: fmt.day(f.period.start), end: fmt.day(addDays(f.period.end, -1)), weeks: f.period.weeks.length },
    asOf: f.asOf,
    totals: f.totals,
    weeks,
    weeklyChart,
    breakdowns,
    firstResponse: dur(f.firstResponse),
    resolution: dur(f.resolution),
    durations: [
      { label: t('analytics:metrics.firstResponse'), ...dur(f.firstResponse) },
      { label: t('analytics:metrics.resolution'), ...dur(f.resolution) },
    ],
    reopen: { ...f.reopen, rate: fmt.pct(f.reopen.rate) },
    satisfaction: { rated: f.satisfaction.rated, average: fmt.num(f.satisfaction.average), share: fmt.pct(f.satisfaction.share4or5) },
  };
}

function addDays(iso: string, n: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** A CSV field: quoted when needed; a leading = + - @ is neutralised (spreadsheet formulas). */
function csvField(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The figures as CSV (UTF-8 with a byte-order mark, so spreadsheets read Vietnamese), one figure
 * per line: `section,key,label,metric,value`.
 */
export function figuresCsv(f: Figures, t: Translate, locale: Locale, labels: Labels): string {
  const lines: Array<Array<string | number | null>> = [['section', 'key', 'label', 'metric', 'value']];
  const add = (section: string, key: string, label: string, metric: string, value: string | number | null) => lines.push([section, key, label, metric, value]);
  add('period', '', '', 'start', f.period.start);
  add('period', '', '', 'end_exclusive', f.period.end);
  add('period', '', '', 'as_of', f.asOf);
  for (const m of ['received', 'resolved', 'overdue'] as const) add('totals', '', t(`analytics:totals.${m}`), m, f.totals[m]);
  for (const w of f.weekly) for (const m of ['received', 'resolved', 'overdue'] as const) add('week', w.key, w.key, m, w[m]);
  const dims: ReadonlyArray<[Dimension, readonly CountRow[]]> = [['ward', f.byWard], ['category', f.byCategory], ['agency', f.byAgency], ['channel', f.byChannel]];
  for (const [dim, rows] of dims) {
    for (const r of rows) for (const m of ['received', 'resolved', 'overdue'] as const) add(dim, r.key, labelOf(dim, r.key, t, locale, labels), m, r[m]);
  }
  for (const [section, d] of [['first_response', f.firstResponse], ['resolution', f.resolution]] as const) {
    add(section, '', '', 'count', d.count);
    add(section, '', '', 'median_hours', d.medianHours === null ? null : Math.round(d.medianHours * 100) / 100);
    add(section, '', '', 'p90_hours', d.p90Hours === null ? null : Math.round(d.p90Hours * 100) / 100);
  }
  add('reopen', '', '', 'resolved', f.reopen.resolved);
  add('reopen', '', '', 'reopened', f.reopen.reopened);
  add('reopen', '', '', 'rate', f.reopen.rate === null ? null : Math.round(f.reopen.rate * 10_000) / 10_000);
  add('satisfaction', '', '', 'rated', f.satisfaction.rated);
  add('satisfaction', '', '', 'average', f.satisfaction.average === null ? null : Math.round(f.satisfaction.average * 100) / 100);
  add('satisfaction', '', '', 'share_4_or_5', f.satisfaction.share4or5 === null ? null : Math.round(f.satisfaction.share4or5 * 10_000) / 10_000);
  return `\ufeff${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}
