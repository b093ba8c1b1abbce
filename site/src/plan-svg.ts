// The planner's charts as SVG (cost against volume, the two Pareto fronts): the same series as on
// screen, log axes at 1-2-5 decades, the title, a caption (the request) and the legend. Loaded on
// the first export only. Pure display: every point is a figure the core returned.
import type { Palette } from './chart-view';
import { legendLayout, tick } from './chart-view';
import { formatSeconds } from './format';
import type { PlanChartData } from './plan-charts';
import { formatTokens } from './plan-view';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const textWidth = (text: string, size = 12): number => [...text].length * size * 0.62;

// Log ticks at 1, 2 and 5 times a power of ten (powers of ten only over more than three decades).
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  const mantissas = Math.log10(max / min) > 3 ? [1] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); ++e) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= min && v <= max) ticks.push(v);
    }
  }
  return ticks;
}

function linearTicks(max: number): number[] {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function planChartSvg(data: PlanChartData, palette: Palette, title: string, caption = '', width = 760): string {
  width = Math.max(width, Math.ceil(textWidth(caption)) + 24);
  const left = 78;
  const right = 24;
  const top = caption ? 64 : 44;
  const labels = data.series.map((s) => s.label);
  const legend = legendLayout(labels, (t) => textWidth(t), width - left - right);
  const legendHeight = 22 * (Math.max(0, ...legend.map((p) => p.row)) + 1) + 8;
  const plotH = 232;
  const height = top + plotH + 52 + legendHeight;
  const plotW = width - left - right;
  const color = (i: number) => palette.series[i % palette.series.length]!;
  const xs = data.x.values.filter((v) => v > 0);
  const ys = data.series.flatMap((s) => s.values).filter((v): v is number => v !== null && v > 0);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escape(palette.font)}" font-size="12">`,
    `<rect width="100%" height="100%" fill="${palette.background}"/>`,
    `<text x="12" y="24" font-size="16" font-weight="600" fill="${palette.foreground}" data-role="title">${escape(title)}</text>`,
  ];
  if (caption) out.push(`<text x="12" y="46" fill="${palette.muted}" data-role="caption">${escape(caption)}</text>`);
  if (xs.length === 0 || ys.length === 0) {
    out.push(`<text x="${left}" y="${top + plotH / 2}" fill="${palette.muted}">${escape(data.empty ?? 'Nothing to draw.')}</text>`, '</svg>');
    return out.join('\n');
  }
  const xMin = Math.min(...xs) / 1.2;
  const xMax = Math.max(...xs) * 1.2;
  const yMin = data.y.log ? Math.min(...ys) / 1.2 : 0;
  const yMax = data.y.log ? Math.max(...ys) * 1.2 : Math.max(...ys) * 1.08;
  const tx = (v: number) => left + ((Math.log10(v) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * plotW;
  const ty = (v: number) => (data.y.log ? top + plotH - ((Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH : top + plotH - (v / yMax) * plotH);
  const xText = (v: number) => (data.x.format === 'tokens' ? formatTokens(v) : data.x.format === 'seconds' ? formatSeconds(v) : tick('number', v));
  for (const v of logTicks(xMin, xMax)) {
    out.push(`<line x1="${tx(v).toFixed(1)}" x2="${tx(v).toFixed(1)}" y1="${top}" y2="${top + plotH}" stroke="${palette.grid}"/>`, `<text x="${tx(v).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle" fill="${palette.muted}">${escape(xText(v))}</text>`);
  }
  for (const v of data.y.log ? logTicks(yMin, yMax) : linearTicks(yMax)) {
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${ty(v).toFixed(1)}" y2="${ty(v).toFixed(1)}" stroke="${palette.grid}"/>`, `<text x="${left - 6}" y="${(ty(v) + 4).toFixed(1)}" text-anchor="end" fill="${palette.muted}">${escape(tick(data.y.format, v))}</text>`);
  }
  out.push(
    `<text x="${left + plotW / 2}" y="${top + plotH + 36}" text-anchor="middle" fill="${palette.foreground}">${escape(data.x.label)}</text>`,
    `<text transform="translate(16 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="${palette.foreground}">${escape(data.y.label)}</text>`,
  );
  data.series.forEach((s, i) => {
    const points = data.x.values.map((x, j) => [x, s.values[j]] as const).filter((p): p is readonly [number, number] => p[1] !== null && p[1] !== undefined && p[0] > 0 && (!data.y.log || p[1] > 0));
    if (s.kind === 'points') {
      for (const [x, y] of points) out.push(`<circle cx="${tx(x).toFixed(1)}" cy="${ty(y).toFixed(1)}" r="4.5" fill="${color(i)}"/>`);
      return;
    }
    const path = points.map(([x, y]) => `${tx(x).toFixed(1)},${ty(y).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${path}" fill="none" stroke="${color(i)}" stroke-width="2"${s.kind === 'dashed' ? ' stroke-dasharray="6 4"' : ''}/>`);
  });
  if (data.marker !== null && data.marker > 0) {
    out.push(`<line x1="${tx(data.marker).toFixed(1)}" x2="${tx(data.marker).toFixed(1)}" y1="${top}" y2="${top + plotH}" stroke="${palette.foreground}" stroke-dasharray="3 3"/>`);
  }
  legend.forEach((p, i) => {
    const y = top + plotH + 52 + p.row * 22;
    out.push(`<rect x="${left + p.x}" y="${y}" width="12" height="12" fill="${color(i)}"/>`, `<text x="${left + p.x + 18}" y="${y + 11}" fill="${palette.foreground}">${escape(labels[i]!)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
