// A chart as a standalone SVG document, drawn from the same ChartData as the canvas chart
// (uPlot draws on canvas only): axes with ticks and units, lines, bars, stacked areas, markers,
// a legend. Text is escaped; no DOM is needed.
import type { ChartData } from './chart-data';
import type { Palette } from './chart-view';
import { formatters, legendLayout, tick as shortTick } from './chart-view';
import { formatNumber } from './format';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// About five round tick values covering [min, max].
function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}


// Ticks on a byte axis at round numbers of GiB (50 GiB, not 46.6 GiB = 5e10 bytes).
const gibBytes = 1024 ** 3;
function axisTicks(format: string, lo: number, hi: number, count?: number): number[] {
  if (format !== 'bytes') return niceTicks(lo, hi, count);
  return niceTicks(lo / gibBytes, hi / gibBytes, count).map((v) => v * gibBytes);
}

// A width no SVG renderer exceeds for this text at 12 px in a sans-serif font (no DOM to measure).
export const textWidth = (text: string, size = 12): number => [...text].length * size * 0.62;

function legendSvg(labels: string[], colors: string[], palette: Palette, left: number, top: number, width: number): string[] {
  return legendLayout(labels, (t) => textWidth(t), width).flatMap((p, i) => [
    `<rect x="${left + p.x}" y="${top + p.row * 22}" width="12" height="12" fill="${colors[i]}"/>`,
    `<text x="${left + p.x + 18}" y="${top + p.row * 22 + 11}" fill="${palette.foreground}">${escape(labels[i]!)}</text>`,
  ]);
}

function legendRows(labels: string[], width: number): number {
  return Math.max(0, ...legendLayout(labels, (t) => textWidth(t), width).map((p) => p.row)) + 1;
}

// Title, and the scenario the chart answers as its caption (when given).
function heading(data: ChartData, palette: Palette, x: number, caption: string): string[] {
  const out = [`<text x="${x}" y="26" font-size="16" font-weight="600" fill="${palette.foreground}">${escape(data.title)}</text>`];
  if (caption) out.push(`<text x="${x}" y="46" fill="${palette.muted}" data-role="caption">${escape(caption)}</text>`);
  return out;
}

// Horizontal bars, one row per category (the accelerator comparison), as on screen. The names'
// column is as wide as the longest name, and the picture grows with it: no name is clipped.
function barsSvg(data: ChartData, palette: Palette, minWidth: number, caption: string): string {
  const names = data.x.categories!;
  const left = Math.ceil(Math.max(120, ...names.map((n) => textWidth(n))) + 16);
  const right = 24;
  const width = Math.max(minWidth, left + 420, Math.ceil(textWidth(caption)) + 24);
  const top = caption ? 64 : 44;
  const row = 19;
  const plotH = row * names.length;
  const plotW = width - left - right;
  const labels = data.series.map((s) => s.label);
  const legendHeight = 22 * legendRows(labels, width - 24) + 8;
  const height = top + plotH + 48 + legendHeight;
  const color = (i: number) => palette.series[i % palette.series.length]!;
  let max = 0;
  for (const s of data.series) if (s.kind === 'bar') for (const v of s.values) if (v !== null && v > max) max = v;
  max = max > 0 ? max * 1.08 : 1;
  const tx = (v: number) => left + (v / max) * plotW;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escape(palette.font)}" font-size="12">`);
  out.push(`<title>${escape(data.title)}</title><desc>${escape(data.caption)}</desc>`);
  out.push(`<rect width="100%" height="100%" fill="${palette.background}"/>`);
  out.push(...heading(data, palette, 12, caption));
  for (const v of axisTicks(data.y.format, 0, max, 6)) {
    const x = tx(v);
    out.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${top + plotH}" stroke="${palette.grid}"/>`);
    out.push(`<text x="${x}" y="${top + plotH + 16}" text-anchor="middle" fill="${palette.muted}">${escape(shortTick(data.y.format, v))}</text>`);
  }
  out.push(`<text x="${left + plotW / 2}" y="${top + plotH + 36}" text-anchor="middle" font-weight="600" fill="${palette.muted}">${escape(data.y.label)}</text>`);
  names.forEach((name, i) => {
    const y = top + i * row + row / 2;
    out.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end" fill="${palette.muted}">${escape(name)}</text>`);
    for (const s of data.series) {
      const v = s.values[i];
      if (v === null || v === undefined) continue;
      if (s.kind === 'bar') {
        out.push(`<rect x="${left}" y="${(y - row * 0.35).toFixed(1)}" width="${(tx(v) - left).toFixed(2)}" height="${(row * 0.7).toFixed(1)}" fill="${color(s.color)}"><title>${escape(`${name}: ${(formatters[data.y.format] ?? formatNumber)(v)}`)}</title></rect>`);
      } else if (s.kind === 'points') {
        out.push(`<circle cx="${left + 4}" cy="${y}" r="4" fill="${color(s.color)}"/>`);
      }
    }
  });
  out.push(...legendSvg(labels, data.series.map((s) => color(s.color)), palette, 12, height - legendHeight + 8, width - 24));
  out.push('</svg>');
  return out.join('\n');
}

// caption: the scenario the chart answers, printed under the title ("" for none).
export function chartSvg(data: ChartData, palette: Palette, width = 760, caption = ''): string {
  if (data.x.categories) return barsSvg(data, palette, width, caption);
  width = Math.max(width, Math.ceil(textWidth(caption)) + 24);
  const left = 78;
  const right = data.y2 ? 78 : 24;
  const top = caption ? 64 : 44;
  const labels = data.series.map((s) => (s.unit && s.kind !== 'points' ? `${s.label} (${s.unit})` : s.label));
  const legendHeight = 22 * legendRows(labels, width - left - 24) + 8;
  const bottom = 52 + legendHeight;
  const height = top + 232 + bottom; // a plot 232 px tall, as before the caption and legend rows
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const color = (i: number) => palette.series[i % palette.series.length]!;
  const xs = data.x.values;

  // x scale: categories, log2 or linear.
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const useLog = data.x.log && xMin > 0;
  const tx = (v: number) => {
    const a = useLog ? Math.log2(v) : v;
    const lo = useLog ? Math.log2(xMin) : xMin;
    const hi = useLog ? Math.log2(xMax) : xMax;
    return left + (hi > lo ? ((a - lo) / (hi - lo)) * plotW : plotW / 2);
  };
  // y scales: from 0 (linear) or over the data's decades (log).
  const range = (axis: 'y' | 'y2') => {
    let lo = Infinity;
    let hi = 0;
    for (const s of data.series) {
      if (s.axis !== axis || s.kind === 'points') continue;
      for (const v of s.values) if (v !== null && v > 0) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    }
    const log = (axis === 'y' ? data.y : data.y2)?.log ?? false;
    if (!(hi > 0)) return { lo: log ? 0.1 : 0, hi: 1, log };
    return log ? { lo: lo / 1.15, hi: hi * 1.15, log } : { lo: 0, hi: hi * 1.08, log };
  };
  const scales = { y: range('y'), y2: range('y2') };
  const ty = (v: number, axis: 'y' | 'y2') => {
    const r = scales[axis];
    const f = r.log ? (Math.log10(Math.max(v, r.lo)) - Math.log10(r.lo)) / (Math.log10(r.hi) - Math.log10(r.lo)) : (v - r.lo) / (r.hi - r.lo);
    return top + plotH - f * plotH;
  };
  const yTicks = (axis: 'y' | 'y2') => {
    const r = scales[axis];
    if (!r.log) return axisTicks((axis === 'y' ? data.y : data.y2)?.format ?? 'number', r.lo, r.hi);
    const ticks: number[] = [];
    for (let e = Math.floor(Math.log10(r.lo)); e <= Math.ceil(Math.log10(r.hi)); ++e) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= r.lo && v <= r.hi) ticks.push(Number(v.toPrecision(6)));
      }
    }
    return ticks;
  };

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escape(palette.font)}" font-size="12">`);
  out.push(`<title>${escape(data.title)}</title><desc>${escape(data.caption)}</desc>`);
  out.push(`<rect width="100%" height="100%" fill="${palette.background}"/>`);
  out.push(...heading(data, palette, left, caption));

  // Grid and y ticks.
  for (const v of yTicks('y')) {
    const y = ty(v, 'y');
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="${palette.grid}"/>`);
    out.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end" fill="${palette.muted}">${escape(shortTick(data.y.format, v))}</text>`);
  }
  if (data.y2) {
    for (const v of yTicks('y2')) {
      out.push(`<text x="${left + plotW + 6}" y="${ty(v, 'y2') + 4}" fill="${palette.muted}">${escape(shortTick(data.y2.format, v))}</text>`);
    }
    out.push(`<text transform="translate(${width - 10} ${top + plotH / 2}) rotate(90)" text-anchor="middle" font-weight="600" fill="${palette.muted}">${escape(data.y2.label)}</text>`);
  }
  out.push(`<text transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" font-weight="600" fill="${palette.muted}">${escape(data.y.label)}</text>`);

  // x ticks.
  {
    const ticks = useLog
      ? Array.from({ length: Math.floor(Math.log2(xMax)) - Math.ceil(Math.log2(xMin)) + 1 }, (_, i) => 2 ** (Math.ceil(Math.log2(xMin)) + i)).filter((_, i, a) => a.length <= 12 || i % 2 === 0)
      : niceTicks(xMin, xMax);
    for (const v of ticks) {
      const x = tx(v);
      out.push(`<line x1="${x}" x2="${x}" y1="${top + plotH}" y2="${top + plotH + 5}" stroke="${palette.muted}"/>`);
      out.push(`<text x="${x}" y="${top + plotH + 18}" text-anchor="middle" fill="${palette.muted}">${escape(shortTick('number', v))}</text>`);
    }
  }
  const xLabel = data.x.unit ? `${data.x.label} (${data.x.unit})` : data.x.label;
  out.push(`<text x="${left + plotW / 2}" y="${height - legendHeight - 12}" text-anchor="middle" font-weight="600" fill="${palette.muted}">${escape(xLabel)}</text>`);
  out.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="${palette.grid}"/>`);

  // Series: stacked areas first (as bands), then bars, lines and points.
  const point = (i: number, v: number, axis: 'y' | 'y2') => `${tx(xs[i]!).toFixed(2)},${ty(v, axis).toFixed(2)}`;
  data.series.forEach((s) => {
    if (s.kind !== 'area') return;
    const below = s.stackedOn === undefined ? null : data.series[s.stackedOn]!;
    const upper = s.values.map((v, i) => (v === null ? null : point(i, v, s.axis))).filter(Boolean);
    const lower = s.values
      .map((_, i) => point(i, below ? below.values[i] ?? 0 : scales[s.axis].lo, s.axis))
      .reverse();
    out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color(s.color)}" fill-opacity="0.6" stroke="${color(s.color)}"/>`);
  });
  const barWidth = Math.min(48, (plotW / Math.max(1, xs.length)) * 0.7);
  data.series.forEach((s) => {
    if (s.kind === 'bar') {
      s.values.forEach((v, i) => {
        if (v === null) return;
        const y = ty(v, s.axis);
        out.push(`<rect x="${(tx(xs[i]!) - barWidth / 2).toFixed(2)}" y="${y.toFixed(2)}" width="${barWidth.toFixed(2)}" height="${(top + plotH - y).toFixed(2)}" fill="${color(s.color)}"><title>${escape(`${data.x.categories?.[i] ?? xs[i]}: ${(formatters[data.y.format] ?? formatNumber)(v)}`)}</title></rect>`);
      });
    } else if (s.kind === 'line') {
      const segments: string[][] = [[]];
      s.values.forEach((v, i) => (v === null ? segments.push([]) : segments[segments.length - 1]!.push(point(i, v, s.axis))));
      for (const segment of segments) {
        if (segment.length > 1) out.push(`<polyline points="${segment.join(' ')}" fill="none" stroke="${color(s.color)}" stroke-width="2"${s.dash ? ' stroke-dasharray="6 4"' : ''}/>`);
        else if (segment.length === 1) out.push(`<circle cx="${segment[0]!.split(',')[0]}" cy="${segment[0]!.split(',')[1]}" r="3" fill="${color(s.color)}"/>`);
      }
    } else if (s.kind === 'points') {
      s.values.forEach((v, i) => {
        if (v === null) return;
        const x = tx(xs[i]!);
        const y = ty(v, s.axis) - 6;
        out.push(`<path d="M${x - 5} ${y - 5} L${x + 5} ${y + 5} M${x + 5} ${y - 5} L${x - 5} ${y + 5}" stroke="${color(s.color)}" stroke-width="2"/>`);
      });
    }
  });
  if (data.marker !== null) {
    const x = tx(data.marker);
    if (x >= left && x <= left + plotW) out.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${top + plotH}" stroke="${palette.foreground}" stroke-dasharray="3 3"/>`);
  }

  out.push(...legendSvg(labels, data.series.map((s) => color(s.color)), palette, left, height - legendHeight + 8, width - left - 24));
  out.push('</svg>');
  return out.join('\n');
}
