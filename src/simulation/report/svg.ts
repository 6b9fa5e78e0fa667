/**
 * A hand-written SVG line chart (no dependency): time in hours on x, one line per series, gaps
 * where a value is null, nice round ticks, a legend on the right. Deterministic output for the
 * same data, so reports diff cleanly.
 */

export interface LineSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly dashed?: boolean;
  /** Palette slot; default the series' position (lets a zone's CPU and memory lines share a color). */
  readonly color?: number;
}

export interface ChartSpec {
  readonly title: string;
  readonly yLabel: string;
  /** Sample times, ms since the start. */
  readonly t: readonly number[];
  readonly series: readonly LineSeries[];
  /** Upper bound of the y axis; default: the data's maximum rounded up. */
  readonly yMax?: number;
}

const W = 760;
const H = 320;
const M = { left: 60, right: 190, top: 36, bottom: 44 };
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const MAX_SERIES = PALETTE.length;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round step (1, 2 or 5 x 10^k) giving about `target` intervals over `range`. */
export function niceStep(range: number, target = 5): number {
  if (!(range > 0)) return 1;
  const raw = range / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

const fx = (v: number): string => (Math.round(v * 10) / 10).toString();
const tick = (v: number): string => (Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : String(Math.round(v * 1000) / 1000));

export function lineChart(spec: ChartSpec): string {
  const series = spec.series.slice(0, MAX_SERIES);
  const hours = spec.t.map((t) => t / 3_600_000);
  const xMax = Math.max(hours.at(-1) ?? 1, 1e-9);
  let dataMax = 0;
  for (const s of series) for (const v of s.values) if (v !== null && Number.isFinite(v)) dataMax = Math.max(dataMax, v);
  const yStep = niceStep(spec.yMax ?? (dataMax > 0 ? dataMax : 1));
  const yMax = spec.yMax ?? Math.max(yStep, Math.ceil((dataMax > 0 ? dataMax : 1) / yStep) * yStep);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (h: number): number => M.left + (h / xMax) * pw;
  const y = (v: number): number => M.top + ph - (Math.min(v, yMax) / yMax) * ph;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${M.left}" y="20" font-size="14" font-weight="bold">${escapeXml(spec.title)}</text>`);
  // Grid and y ticks.
  for (let v = 0; v <= yMax + 1e-9; v += niceStep(yMax)) {
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${fx(y(v))}" y2="${fx(y(v))}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${M.left - 6}" y="${fx(y(v) + 4)}" text-anchor="end">${tick(v)}</text>`);
  }
  // X ticks in hours.
  const xs = niceStep(xMax, 6);
  for (let h = 0; h <= xMax + 1e-9; h += xs) {
    out.push(`<line x1="${fx(x(h))}" x2="${fx(x(h))}" y1="${M.top + ph}" y2="${M.top + ph + 4}" stroke="#333"/>`);
    out.push(`<text x="${fx(x(h))}" y="${M.top + ph + 16}" text-anchor="middle">${tick(h)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${M.left + pw / 2}" y="${H - 8}" text-anchor="middle">time (hours)</text>`);
  out.push(`<text transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = PALETTE[(s.color ?? i) % PALETTE.length] as string;
    let d = '';
    let pen = false;
    s.values.forEach((v, j) => {
      const h = hours[j];
      if (v === null || !Number.isFinite(v) || h === undefined) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${fx(x(h))} ${fx(y(v))}`;
      pen = true;
    });
    if (d !== '') out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    const ly = M.top + 10 + i * 16;
    out.push(`<line x1="${W - M.right + 12}" x2="${W - M.right + 32}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    out.push(`<text x="${W - M.right + 38}" y="${ly + 4}">${escapeXml(s.label)}</text>`);
  });
  if (spec.series.length > MAX_SERIES) out.push(`<text x="${W - M.right + 12}" y="${M.top + 10 + MAX_SERIES * 16 + 4}">+${spec.series.length - MAX_SERIES} more (see report.json)</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
