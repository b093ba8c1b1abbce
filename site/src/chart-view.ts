// One chart on screen: a uPlot instance (hover values, legend, axes with units) fed ChartData,
// re-created only when the chart's shape changes (otherwise setData), plus a data table for
// keyboard and screen-reader users and the PNG rendering used by the export.
import uPlot from 'uplot';
import type { ChartData, Series } from './chart-data';
import { clear, h } from './dom';
import { formatBytes, formatInteger, formatNumber, formatSeconds, formatUsd, type Formatter } from './format';

export interface Palette {
  series: string[];
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  font: string;
}

// The theme's colours as the canvas needs them: custom properties hold light-dark(...) pairs,
// so each is resolved by the CSS engine on a probe element.
export function readPalette(): Palette {
  const probe = document.createElement('span');
  probe.hidden = true;
  document.body.appendChild(probe);
  const resolve = (name: string) => {
    probe.style.color = `var(${name})`;
    return getComputedStyle(probe).color;
  };
  const palette = {
    series: [0, 1, 2, 3, 4, 5].map((i) => resolve(`--chart-${i}`)),
    foreground: resolve('--fg'),
    muted: resolve('--muted'),
    grid: resolve('--grid'),
    background: resolve('--bg'),
    font: 'sans-serif', // a long font list makes every canvas ctx.font assignment slow
  };
  probe.remove();
  return palette;
}

export const formatters: Record<string, Formatter> = {
  usd: formatUsd,
  seconds: formatSeconds,
  bytes: formatBytes,
  number: formatNumber,
};

// Short tick labels: "$0.50", "70 ms", "60 GiB", "8K" (token counts that are powers of two in
// binary K: 131,072 -> "128K"). uPlot passes null for ticks it hides on log scales.
export function tick(format: string, v: number | null): string {
  if (v === null || v === undefined) return '';
  if (format === 'number' && Math.abs(v) >= 1024 && Number.isInteger(Math.log2(v))) return `${v / 1024}K`;
  if (format === 'number' && Math.abs(v) >= 1000) return formatNumber(v / 1000) + 'K';
  if (format === 'bytes') return formatNumber(v / 1024 ** 3) + ' GiB';
  return (formatters[format] ?? formatNumber)(v);
}

// Log axes: grid lines and labels at 1, 2 and 5 times a power of ten (only at powers of ten over
// more than three decades); uPlot's default draws all nine per decade, clutter to read and to draw.
const decades = (_u: uPlot, _axis: number, min: number, max: number): number[] => {
  const splits: number[] = [];
  const mantissas = Math.log10(max / min) > 3 ? [1] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); ++e) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= min && v <= max) splits.push(v);
    }
  }
  return splits;
};

// The legend of an exported chart (PNG and SVG), flowed left to right and wrapped onto a new row
// when the next entry would not fit: a swatch, its label and a gap before the next, so no two
// entries touch.
export function legendLayout(labels: string[], widthOf: (text: string) => number, width: number, swatch = 12, gap = 20): { x: number; row: number }[] {
  const placed: { x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const label of labels) {
    const w = swatch + 6 + widthOf(label);
    if (x > 0 && x + w > width) (x = 0), ++row;
    placed.push({ x, row });
    x += w + gap;
  }
  return placed;
}

// Tick steps for byte axes: whole GiB (and halves, quarters) rather than decimal bytes.
const gibSteps = [0.25, 0.5, 1, 2, 4, 5, 8, 10, 16, 20, 32, 40, 64, 80, 100, 128, 160, 200, 256, 320, 512, 640, 1024].map((g) => g * 1024 ** 3);

// "rgb(27, 87, 176)" + "99" (hex alpha) -> "rgba(27, 87, 176, 0.6)".
function withAlpha(color: string, alpha: string): string {
  const rgb = color.match(/^rgb\((\d+), (\d+), (\d+)\)$/);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${(parseInt(alpha, 16) / 255).toFixed(2)})`;
  return /^#[0-9a-f]{6}$/i.test(color) ? color + alpha : color;
}

function shapeKey(data: ChartData, width: number, palette: Palette): string {
  return JSON.stringify([data.series.map((s) => [s.label, s.kind, s.axis]), data.x.log, !!data.x.categories, data.y, data.y2, width, palette.series]);
}

export class ChartView {
  private plot: uPlot | null = null;
  private shape = '';
  private data: ChartData | null = null;
  private signature = '';
  private width = 0;
  private available = 0; // the plot box's width, from the ResizeObserver
  private readonly plotBox: HTMLElement;
  private readonly tableBox: HTMLDetailsElement;
  private readonly emptyBox: HTMLElement;

  constructor(
    readonly figure: HTMLElement,
    private palette: Palette,
  ) {
    this.plotBox = h('div', { class: 'plot', 'data-testid': `plot-${figure.dataset['chart']}` });
    this.emptyBox = h('p', { class: 'empty', hidden: true });
    this.tableBox = h('details', { class: 'data-table' }, h('summary', {}, 'Data table'));
    this.tableBox.addEventListener('toggle', () => this.renderTable());
    figure.append(this.plotBox, this.emptyBox, this.tableBox);
    // The width comes from the observer (reading clientWidth on every update would force a
    // layout per chart per keystroke).
    new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]!.contentRect;
      this.available = Math.floor(box.width);
      const width = this.measure();
      if (this.plot && width !== this.width) {
        this.width = width;
        this.plot.setSize({ width, height: this.height() });
      }
    }).observe(this.plotBox);
    this.available = Math.floor(this.plotBox.clientWidth);
  }

  current(): ChartData | null {
    return this.data;
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.shape = '';
    this.signature = '';
    if (this.data) this.update(this.data);
  }

  private measure(): number {
    const minimum = 280;
    return Math.max(minimum, this.available || 600);
  }

  private height(): number {
    const rows = this.data?.x.categories?.length;
    return rows ? 70 + 19 * rows : 260;
  }

  update(data: ChartData): void {
    // Nothing to redraw when the points are the same (an edit of the device count leaves the
    // accelerator comparison as it was, for instance).
    const signature = JSON.stringify([data.x.values, data.x.categories, data.series.map((s) => s.values), data.marker, data.empty]);
    if (signature === this.signature && this.plot) {
      this.data = data;
      return;
    }
    this.signature = signature;
    this.data = data;
    this.emptyBox.hidden = data.empty === null;
    this.emptyBox.textContent = data.empty ?? '';
    this.plotBox.hidden = data.empty !== null;
    if (data.empty !== null) return;
    const aligned = [data.x.values, ...data.series.map((s) => s.values)] as uPlot.AlignedData;
    const width = this.measure();
    const key = shapeKey(data, width, this.palette);
    if (!this.plot || key !== this.shape) {
      this.plot?.destroy();
      clear(this.plotBox);
      this.width = width;
      this.plot = new uPlot(this.options(data, width), aligned, this.plotBox);
      this.shape = key;
    } else {
      this.plot.batch(() => this.plot!.setData(aligned));
      // A category chart is as tall as its rows: a catalog change or "show all" changes them.
      if (this.plot.height !== this.height()) this.plot.setSize({ width: this.width, height: this.height() });
    }
    if (this.tableBox.open) this.renderTable();
  }

  // k: the scale of every size (fonts, lines, gaps) — 1 on screen; the PNG export draws the same
  // chart at k = 2 / devicePixelRatio for a picture at twice its CSS size.
  private options(data: ChartData, width: number, k = 1): uPlot.Options {
    const p = this.palette;
    const self = this;
    const yFormat = formatters[data.y.format]!;
    const y2Format = data.y2 ? formatters[data.y2.format]! : yFormat;
    const categories = () => self.data?.x.categories ?? [];
    const font = `${12 * k}px ${p.font}`;
    const axisBase = { stroke: p.muted, font, labelFont: font, gap: 5 * k, labelSize: 30 * k, grid: { stroke: p.grid, width: k }, ticks: { stroke: p.grid, width: k, size: 10 * k } };
    const series: uPlot.Series[] = [
      {
        label: data.x.label,
        value: (_u, v) => (v === null || v === undefined ? '—' : data.x.categories ? categories()[v] ?? '' : formatInteger(v)),
      },
      ...data.series.map((s, index) => this.seriesOptions(s, index, s.axis === 'y2' ? y2Format : yFormat, k)),
    ];
    const bands: uPlot.Band[] = [];
    data.series.forEach((s, i) => {
      if (s.kind === 'area' && s.stackedOn !== undefined) {
        bands.push({ series: [i + 1, s.stackedOn + 1], fill: withAlpha(p.series[s.color % p.series.length]!, '99') });
      }
    });
    const axes: uPlot.Axis[] = [
      {
        ...axisBase,
        label: data.x.unit ? `${data.x.label} (${data.x.unit})` : data.x.label,
        ...(data.x.categories
          ? {
              splits: () => (self.data?.x.values ?? []) as number[],
              values: (_u: uPlot, splits: number[]) =>
                splits.map((i) => {
                  const name = categories()[i] ?? '';
                  const mark = / [✗?]$/.test(name) ? name.slice(-2) : '';
                  const bare = mark ? name.slice(0, -2) : name;
                  return (bare.length > 26 ? bare.slice(0, 25) + '…' : bare) + mark;
                }),
              side: 3, // horizontal bars: the names down the left, readable without rotation
              size: 190 * k,
              label: '',
              grid: { show: false },
            }
          : { space: 50 * k, values: (_u: uPlot, splits: number[]) => splits.map((v) => tick('number', v)) }),
      },
      { ...axisBase, label: `${data.y.label}`, scale: 'y', size: (data.x.categories ? 40 : 64) * k, space: (data.x.categories ? 70 : 30) * k, ...(data.x.categories ? { side: 2 } : {}), values: (_u, splits) => splits.map((v) => tick(data.y.format, v)), ...(data.y.format === 'bytes' ? { incrs: gibSteps } : {}), ...(data.y.log ? { splits: decades } : {}) },
    ];
    if (data.y2) {
      axes.push({ ...axisBase, label: data.y2.label, scale: 'y2', side: 1, size: 64 * k, space: 30 * k, grid: { show: false }, values: (_u, splits) => splits.map((v) => tick(data.y2!.format, v)), ...(data.y2.log ? { splits: decades } : {}) });
    }
    const zeroBased: uPlot.Scale.Range = (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1];
    const yScale = (axis: { log?: boolean }): uPlot.Scale => ({ ...(axis.log ? { distr: 3, log: 10 } : { range: zeroBased }), ...(data.x.categories ? { ori: 0 } : {}) });
    const xScale: uPlot.Scale = data.x.categories
      ? { time: false, ori: 1, dir: -1, range: (_u) => [-0.6, Math.max(0.6, categories().length - 0.4)] }
      : data.x.log
        ? { time: false, distr: 3, log: 2, range: (_u, min, max) => (min < max ? [min, max] : [min / 2, max * 2]) }
        : { time: false };
    return {
      width,
      height: this.height(),
      series,
      axes,
      bands,
      scales: { x: xScale, y: yScale(data.y), ...(data.y2 ? { y2: yScale(data.y2) } : {}) },
      legend: { show: k === 1, live: true },
      cursor: { show: k === 1, drag: { x: false, y: false }, points: { size: 7 } },
      hooks: { draw: [(u) => this.drawMarker(u, k)] },
    };
  }

  private seriesOptions(s: Series, index: number, format: Formatter, k: number): uPlot.Series {
    const color = this.palette.series[s.color % this.palette.series.length]!;
    const value = (_u: uPlot, v: number | null, _si: number, di: number | null) => {
      if (s.kind === 'points') return v === null || v === undefined ? '—' : 'does not fit';
      const raw = s.raw && di !== null && di !== undefined ? s.raw[di] : v;
      return raw === null || raw === undefined ? '—' : format(raw);
    };
    const base: uPlot.Series = { label: s.label, scale: s.axis, stroke: color, width: 2 * k, value: value as uPlot.Series.Value, spanGaps: false };
    switch (s.kind) {
      case 'bar':
        return { ...base, fill: withAlpha(color, 'cc'), width: k, paths: uPlot.paths.bars!({ size: [0.7, 48 * k] }), points: { show: false } };
      case 'points':
        return { ...base, width: 0, paths: () => null, points: { show: true, size: 9 * k, stroke: color, fill: color, width: 2 * k } };
      case 'area':
        return { ...base, width: k, fill: s.stackedOn === undefined ? withAlpha(color, '99') : undefined, points: { show: this.data!.x.values.length < 2, size: 5 * k } };
      default:
        return { ...base, dash: s.dash ? [6 * k, 4 * k] : undefined, points: { show: index >= 0 && this.data!.x.values.length < 3, size: 5 * k } };
    }
  }

  // A dashed vertical line at the scenario on screen.
  private drawMarker(u: uPlot, k: number): void {
    const marker = this.data?.marker;
    if (marker === null || marker === undefined) return;
    const x = u.valToPos(marker, 'x', true);
    if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = this.palette.foreground;
    ctx.setLineDash([3 * k * devicePixelRatio, 3 * k * devicePixelRatio]);
    ctx.lineWidth = k * devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
  }

  private renderTable(): void {
    const data = this.data;
    const old = this.tableBox.querySelector('table');
    if (old) old.remove();
    if (!data || !this.tableBox.open) return;
    const columns = tableColumns(data);
    this.tableBox.appendChild(
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c.header)))),
        h('tbody', {}, ...data.x.values.map((_, row) => h('tr', {}, ...columns.map((c) => h('td', {}, c.text(row)))))),
      ),
    );
  }

  // The chart as a PNG at twice its size on screen (whatever the screen's pixel ratio): title,
  // the scenario as a caption, the plot (the same chart drawn again at that scale) and a legend
  // whose entries never touch.
  async png(caption = ''): Promise<Blob> {
    const data = this.data;
    if (!data || !this.plot) throw new Error('no chart to export');
    const scale = 2; // image pixels per CSS pixel
    const k = scale / devicePixelRatio;
    const width = this.width;
    const height = this.height();
    const aligned = [data.x.values, ...data.series.map((s) => s.values)] as uPlot.AlignedData;
    const source = await new Promise<HTMLCanvasElement>((resolve) => {
      const options = this.options(data, width * k, k);
      options.height = height * k;
      let plot: uPlot | null = null;
      options.hooks!.draw!.push((u) => {
        resolve(u.ctx.canvas);
        queueMicrotask(() => plot?.destroy());
      });
      plot = new uPlot(options, aligned, h('div'));
    });
    const em = (size: number, weight = '') => `${weight} ${Math.round(size * scale)}px ${this.palette.font}`.trim();
    const pad = 12 * scale;
    const canvas = document.createElement('canvas');
    const measure = canvas.getContext('2d')!;
    measure.font = em(12);
    const labels = data.series.map((s) => s.label);
    const legend = legendLayout(labels, (t) => measure.measureText(t).width, source.width - 2 * pad, 12 * scale, 20 * scale);
    const legendRows = Math.max(0, ...legend.map((p) => p.row)) + 1;
    // The caption wrapped at its " · " separators to the picture's width.
    const lines: string[] = [];
    for (const part of caption ? caption.split(' · ') : []) {
      const last = lines.length - 1;
      if (last >= 0 && measure.measureText(`${lines[last]} · ${part}`).width <= source.width - 2 * pad) lines[last] += ` · ${part}`;
      else lines.push(part);
    }
    const header = (36 + 17 * lines.length + (lines.length ? 6 : 0)) * scale;
    const footer = (legendRows * 22 + 12) * scale;
    canvas.width = source.width;
    canvas.height = source.height + header + footer;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = this.palette.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = this.palette.foreground;
    ctx.font = em(16, '600');
    ctx.fillText(data.title, pad, 24 * scale);
    ctx.font = em(12);
    ctx.fillStyle = this.palette.muted;
    lines.forEach((line, i) => ctx.fillText(line, pad, (46 + 17 * i) * scale, canvas.width - 2 * pad));
    ctx.drawImage(source, 0, header);
    ctx.font = em(12);
    data.series.forEach((s, i) => {
      const x = pad + legend[i]!.x;
      const y = source.height + header + (legend[i]!.row * 22 + 18) * scale;
      ctx.fillStyle = this.palette.series[s.color % this.palette.series.length]!;
      ctx.fillRect(x, y - 10 * scale, 12 * scale, 12 * scale);
      ctx.fillStyle = this.palette.foreground;
      ctx.fillText(s.label, x + 18 * scale, y);
    });
    return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'));
  }
}

// Columns shared by the data table and the CSV export: x, each series (components for stacked
// areas), and the extra columns.
export function tableColumns(data: ChartData): { header: string; raw: (row: number) => string | number | null; text: (row: number) => string }[] {
  const yFormat = formatters[data.y.format]!;
  const y2Format = data.y2 ? formatters[data.y2.format]! : yFormat;
  const columns = [
    {
      header: data.x.unit ? `${data.x.label} (${data.x.unit})` : data.x.label,
      raw: (row: number) => (data.x.categories ? data.x.categories[row] ?? null : data.x.values[row] ?? null),
      text: (row: number) => (data.x.categories ? data.x.categories[row] ?? '' : formatInteger(data.x.values[row])),
    },
  ];
  for (const s of data.series) {
    const values = s.raw ?? s.values;
    const format = s.axis === 'y2' ? y2Format : yFormat;
    if (s.kind === 'points') {
      columns.push({ header: s.label, raw: (row) => (s.values[row] === null ? null : 1), text: (row) => (s.values[row] === null ? '' : '✗') });
    } else {
      columns.push({ header: s.unit ? `${s.label} (${s.unit})` : s.label, raw: (row) => values[row] ?? null, text: (row) => format(values[row]) });
    }
  }
  for (const e of data.extra) {
    columns.push({ header: e.label, raw: (row) => e.values[row] ?? null, text: (row) => {
      const v = e.values[row];
      return v === null || v === undefined ? '—' : typeof v === 'number' ? (formatters[e.format ?? 'number'] ?? formatNumber)(v) : v;
    } });
  }
  return columns;
}
