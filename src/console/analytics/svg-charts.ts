/**
 * Charts as server-rendered SVG: no client library, no script, nothing to download, printable.
 * Chosen over a charting library for weight (0 KB of JavaScript) and accessibility: each chart is
 * `role="img"` with a `<title>` and a `<desc>` that states the figures in words, every bar carries
 * its value as a `<title>`, series are told apart by position and label as well as colour, and the
 * page shows the same figures in a table next to the chart. Colours come from classes styled in
 * `analytics.css` (the console's CSP allows no inline style).
 */

export function escapeSvg(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&quot;' })[c]!);
}

export interface Series {
  readonly name: string;
  /** CSS class of its bars and legend swatch (`s-received`, `s-resolved`, `s-overdue`). */
  readonly className: string;
  readonly values: readonly number[];
}

/** A round axis maximum and its ticks (0 … max, 4 steps). */
export function niceScale(max: number): { max: number; ticks: number[] } {
  if (max <= 0) return { max: 4, ticks: [0, 1, 2, 3, 4] };
  const rough = max / 4;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const s = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((x) => x >= rough) ?? 10 * mag);
  return { max: s * 4, ticks: [0, s, 2 * s, 3 * s, 4 * s] };
}

/**
 * Grouped vertical bars: one group per category (a week), one bar per series.
 * `id` prefixes the title and description ids (unique on the page).
 */
export function groupedBarChart(o: { id: string; title: string; desc: string; categories: readonly string[]; series: readonly Series[] }): string {
  const W = Math.max(480, 60 + o.categories.length * 52);
  const H = 300;
  const left = 44;
  const right = 8;
  const top = 12;
  const bottom = 40;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const max = Math.max(0, ...o.series.flatMap((s) => s.values));
  const scale = niceScale(max);
  const y = (v: number) => top + plotH - (v / scale.max) * plotH;
  const n = Math.max(1, o.categories.length);
  const groupW = plotW / n;
  const barW = Math.max(2, Math.min(28, (groupW * 0.8) / Math.max(1, o.series.length)));
  const every = Math.ceil(n / 14); // at most 14 axis labels
  const parts: string[] = [];
  for (const t of scale.ticks) {
    parts.push(`<line class="grid" x1="${left}" x2="${W - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/>`);
    parts.push(`<text class="tick" x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`);
  }
  o.categories.forEach((c, i) => {
    const gx = left + i * groupW + (groupW - barW * o.series.length) / 2;
    o.series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const h = (v / scale.max) * plotH;
      parts.push(`<rect class="bar ${escapeSvg(s.className)}" x="${(gx + j * barW).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeSvg(`${c} · ${s.name}: ${v}`)}</title></rect>`);
    });
    if (i % every === 0) parts.push(`<text class="label" x="${(left + i * groupW + groupW / 2).toFixed(1)}" y="${H - bottom + 18}" text-anchor="middle">${escapeSvg(c)}</text>`);
  });
  parts.push(`<line class="axis" x1="${left}" x2="${W - right}" y1="${top + plotH}" y2="${top + plotH}"/>`);
  return svg(o.id, o.title, o.desc, W, H, parts);
}

/**
 * Horizontal bars, one per row (a ward, a category…), as an HTML list: the label and the value
 * are text (readable at any width, read by screen readers as "label value"), the bar is a small
 * SVG stretched to the cell, hidden from assistive technology.
 */
export function horizontalBars(o: { rows: ReadonlyArray<{ label: string; value: number }>; className: string; label: string }): string {
  const max = Math.max(1, ...o.rows.map((r) => r.value));
  const items = o.rows.map((r) => {
    const w = ((r.value / max) * 100).toFixed(1);
    return `<li><span class="hbar-label">${escapeSvg(r.label)}</span>`
      + `<svg class="hbar" aria-hidden="true" focusable="false" viewBox="0 0 100 10" preserveAspectRatio="none"><rect class="bar ${escapeSvg(o.className)}" x="0" y="0" width="${w}" height="10"/></svg>`
      + `<span class="hbar-value">${r.value}</span></li>`;
  });
  return `<ul class="hbars" aria-label="${escapeSvg(o.label)}">${items.join('')}</ul>`;
}

function svg(id: string, title: string, desc: string, w: number, h: number, parts: string[]): string {
  const safe = id.replace(/[^a-z0-9-]/gi, '');
  return `<svg class="chart" role="img" aria-labelledby="${safe}-title ${safe}-desc" viewBox="0 0 ${w} ${h}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`
    + `<title id="${safe}-title">${escapeSvg(title)}</title><desc id="${safe}-desc">${escapeSvg(desc)}</desc>${parts.join('')}</svg>`;
}
