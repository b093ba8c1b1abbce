// The planner's charts (uPlot, hover for values, a data table under each): the two Pareto fronts
// of the plan JSON, and cost against daily volume from the core's plans at several volumes with
// the API prices and the break-even volumes (the core's volume sweep). Pure display: every point is a
// figure the core returned.
import uPlot from 'uplot';
import type { ParetoPoint, PlanApi } from '../../web/plan-engine';
import { legendLayout, readPalette, tick, type Palette } from './chart-view';
import { clear, h } from './dom';
import { formatNumber, formatSeconds, formatUsd, type Formatter } from './format';
import { formatTokens } from './plan-view';

export interface PlanSeries {
  label: string;
  values: (number | null)[];
  kind: 'line' | 'points' | 'dashed';
  labels?: (string | null)[]; // per point: what the hover line names (a configuration)
}

export interface PlanChartData {
  x: { label: string; values: number[]; format: 'tokens' | 'seconds' | 'number' };
  y: { label: string; format: 'usd' | 'number'; log: boolean };
  series: PlanSeries[];
  marker: number | null;
  empty: string | null;
}

// Log axes: ticks at 1, 2 and 5 times a power of ten (powers of ten only over more than three
// decades), rather than at the data's first value times powers of ten.
function decades(_u: uPlot, _axis: number, min: number, max: number): number[] {
  const splits: number[] = [];
  const mantissas = Math.log10(max / min) > 3 ? [1] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); ++e) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= min && v <= max) splits.push(v);
    }
  }
  return splits;
}

const formatters: Record<string, Formatter> = { usd: formatUsd, seconds: formatSeconds, number: formatNumber, tokens: formatTokens };

// One chart: re-created on every update (the planner redraws once per plan, not per keystroke).
export class PlanChart {
  private plot: uPlot | null = null;
  private data: PlanChartData | null = null;
  private readonly plotBox: HTMLElement;
  private readonly hover: HTMLElement;
  private readonly emptyBox: HTMLElement;
  private readonly tableBox: HTMLDetailsElement;
  private width = 600;

  constructor(
    figure: HTMLElement,
    private palette: Palette,
  ) {
    this.plotBox = h('div', { class: 'plot' });
    this.hover = h('p', { class: 'hover-label', 'aria-hidden': 'true' });
    this.emptyBox = h('p', { class: 'empty', hidden: true });
    this.tableBox = h('details', { class: 'data-table' }, h('summary', {}, 'Data table'));
    this.tableBox.addEventListener('toggle', () => this.renderTable());
    figure.append(this.plotBox, this.hover, this.emptyBox, this.tableBox);
    new ResizeObserver((entries) => {
      const width = Math.max(280, Math.floor(entries[entries.length - 1]!.contentRect.width));
      if (width !== this.width && this.plot) this.plot.setSize({ width, height: 280 });
      this.width = width;
    }).observe(this.plotBox);
    this.width = Math.max(280, this.plotBox.clientWidth || 600);
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    if (this.data) this.update(this.data);
  }

  current(): PlanChartData | null {
    return this.data;
  }

  // The chart as a PNG at twice its CSS size, with its title, a caption (the request it answers)
  // and its legend, as the calculator exports its charts.
  async png(title: string, caption = ''): Promise<Blob> {
    const data = this.data;
    if (!data || data.empty !== null) throw new Error('no chart to export');
    const scale = 2;
    const k = scale / devicePixelRatio;
    const source = await new Promise<HTMLCanvasElement>((resolve) => {
      const options = this.options(data, this.width * k, k);
      options.legend = { show: false };
      let plot: uPlot | null = null;
      options.hooks!.draw!.push((u) => {
        resolve(u.ctx.canvas);
        queueMicrotask(() => plot?.destroy());
      });
      plot = new uPlot(options, [data.x.values, ...data.series.map((s) => s.values)] as uPlot.AlignedData, h('div'));
    });
    const font = (size: number, weight = '') => `${weight} ${Math.round(size * scale)}px ${this.palette.font}`.trim();
    const pad = 12 * scale;
    const canvas = document.createElement('canvas');
    const measure = canvas.getContext('2d')!;
    measure.font = font(12);
    const legend = legendLayout(data.series.map((s) => s.label), (t) => measure.measureText(t).width, source.width - 2 * pad, 12 * scale, 20 * scale);
    const legendRows = Math.max(0, ...legend.map((p) => p.row)) + 1;
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
    ctx.font = font(16, '600');
    ctx.fillText(title, pad, 24 * scale);
    ctx.font = font(12);
    ctx.fillStyle = this.palette.muted;
    lines.forEach((line, i) => ctx.fillText(line, pad, (46 + 17 * i) * scale, canvas.width - 2 * pad));
    ctx.drawImage(source, 0, header);
    data.series.forEach((s, i) => {
      const x = pad + legend[i]!.x;
      const y = source.height + header + (legend[i]!.row * 22 + 18) * scale;
      ctx.fillStyle = this.palette.series[i % this.palette.series.length]!;
      ctx.fillRect(x, y - 10 * scale, 12 * scale, 12 * scale);
      ctx.fillStyle = this.palette.foreground;
      ctx.fillText(s.label, x + 18 * scale, y);
    });
    return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'));
  }

  update(data: PlanChartData): void {
    this.data = data;
    this.plot?.destroy();
    this.plot = null;
    clear(this.plotBox);
    this.emptyBox.hidden = data.empty === null;
    this.emptyBox.textContent = data.empty ?? '';
    this.plotBox.hidden = data.empty !== null;
    if (this.tableBox.open) this.renderTable();
    if (data.empty !== null) return;
    const options = this.options(data, this.width);
    this.plot = new uPlot(options, [data.x.values, ...data.series.map((s) => s.values)] as uPlot.AlignedData, this.plotBox);
  }

  // k: the scale of every size — 1 on screen; the PNG export draws the chart at k = 2 /
  // devicePixelRatio for a picture at twice its CSS size (as the calculator's charts do).
  private options(data: PlanChartData, width: number, k = 1): uPlot.Options {
    const p = this.palette;
    const xFormat = formatters[data.x.format]!;
    const yFormat = formatters[data.y.format]!;
    const font = `${12 * k}px ${p.font}`;
    const axisBase = { stroke: p.muted, font, labelFont: font, gap: 5 * k, labelSize: 30 * k, grid: { stroke: p.grid, width: k }, ticks: { stroke: p.grid, width: k, size: 10 * k } };
    const xTick = (v: number | null) => (v === null || v === undefined ? '' : data.x.format === 'tokens' ? formatTokens(v) : data.x.format === 'seconds' ? formatSeconds(v) : tick('number', v));
    const series: uPlot.Series[] = [
      { label: data.x.label, value: (_u, v) => (v === null || v === undefined ? '—' : xFormat(v)) },
      ...data.series.map((s, i): uPlot.Series => {
        const color = p.series[i % p.series.length]!;
        const base = { label: s.label, stroke: color, width: 2 * k, spanGaps: true, value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : yFormat(v)) };
        if (s.kind === 'points') return { ...base, width: 0, paths: () => null, points: { show: true, size: 9 * k, stroke: color, fill: color, width: 2 * k } };
        if (s.kind === 'dashed') return { ...base, dash: [6 * k, 4 * k], points: { show: false } };
        return { ...base, points: { show: true, size: 5 * k } };
      }),
    ];
    const logScale = (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => (min < max ? [min / 1.2, max * 1.2] : [min / 2, max * 2]);
    return {
      width,
      height: 280 * k,
      series,
      axes: [
        { ...axisBase, label: data.x.label, space: 60 * k, splits: decades, values: (_u, splits) => splits.map(xTick) },
        { ...axisBase, label: data.y.label, size: 64 * k, space: 30 * k, ...(data.y.log ? { splits: decades } : {}), values: (_u, splits) => splits.map((v) => tick(data.y.format, v)) },
      ],
      scales: {
        x: { time: false, distr: 3, log: 10, range: logScale },
        y: data.y.log ? { distr: 3, log: 10, range: logScale } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
      },
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      hooks: {
        draw: [(u) => this.drawMarker(u, k)],
        setCursor: [(u) => this.showHover(u.cursor.idx ?? null)],
      },
    };
  }

  private showHover(index: number | null): void {
    const data = this.data;
    const labels = index === null || !data ? [] : data.series.map((s) => s.labels?.[index] ?? null).filter((l): l is string => !!l);
    const text = labels.join(' · ');
    if (this.hover.textContent !== text) this.hover.textContent = text;
  }

  private drawMarker(u: uPlot, k = 1): void {
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
    this.tableBox.querySelector('table')?.remove();
    const data = this.data;
    if (!data || !this.tableBox.open) return;
    const xFormat = formatters[data.x.format]!;
    const yFormat = formatters[data.y.format]!;
    const labelled = data.series.some((s) => s.labels);
    this.tableBox.appendChild(
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, data.x.label), ...data.series.map((s) => h('th', { scope: 'col' }, s.label)), labelled ? h('th', { scope: 'col' }, 'Configuration') : null)),
        h(
          'tbody',
          {},
          ...data.x.values.map((x, row) =>
            h(
              'tr',
              {},
              h('td', {}, xFormat(x)),
              ...data.series.map((s) => h('td', {}, s.values[row] === null || s.values[row] === undefined ? '' : yFormat(s.values[row]))),
              labelled ? h('td', {}, data.series.map((s) => s.labels?.[row]).filter(Boolean).join(' · ')) : null,
            ),
          ),
        ),
      ),
    );
  }
}

export { readPalette };

// A Pareto front: one point series, labelled with each point's configuration, in order of x.
export function paretoChart(points: ParetoPoint[], x: 'tokens_per_second_per_user' | 'e2e_latency_seconds', y: 'output_tokens_per_second_per_gpu' | 'usd_per_million_tokens'): PlanChartData {
  const sorted = [...points].sort((a, b) => a[x] - b[x]);
  const xLabel = x === 'tokens_per_second_per_user' ? 'Tokens/s per user' : 'End-to-end latency';
  const yLabel = y === 'usd_per_million_tokens' ? '$ per million tokens' : 'Output tokens/s per GPU';
  return {
    x: { label: xLabel, values: sorted.map((p) => p[x]), format: x === 'e2e_latency_seconds' ? 'seconds' : 'number' },
    y: { label: yLabel, format: y === 'usd_per_million_tokens' ? 'usd' : 'number', log: y === 'usd_per_million_tokens' },
    series: [{ label: 'Pareto front', values: sorted.map((p) => p[y]), kind: 'line', labels: sorted.map((p) => p.label) }],
    marker: null,
    empty: sorted.length === 0 ? 'No configuration of the search runs this model: no front to draw.' : null,
  };
}

// One plan of the volume sweep: its volume and answer (null where nothing meets the SLA).
export interface VolumePoint {
  tokens_per_day: number;
  usd_per_million_tokens: number | null;
  usd_per_month: number | null;
  gpus_total: number | null;
  configuration: string | null;
}

// An API line of the chart: its price and break-even volume at the plan's price basis.
export type VolumeApi = Pick<PlanApi, 'provider' | 'usd_per_million_tokens' | 'break_even_tokens_per_day'>;

// Cost against daily volume: the core's volume sweep (the plan at each volume of its ladder), each
// API's price, and the plan's break-even volumes at its price basis.
export function volumeChart(points: VolumePoint[], api: VolumeApi[], marker: number): PlanChartData {
  const xs = new Set<number>(points.map((p) => p.tokens_per_day));
  for (const a of api) if (a.break_even_tokens_per_day !== null) xs.add(a.break_even_tokens_per_day);
  const x = [...xs].sort((a, b) => a - b);
  const byVolume = new Map(points.map((p) => [p.tokens_per_day, p]));
  const series: PlanSeries[] = [
    {
      label: 'Self-hosted (the plan at each volume)',
      values: x.map((v) => byVolume.get(v)?.usd_per_million_tokens ?? null),
      kind: 'line',
      labels: x.map((v) => byVolume.get(v)?.configuration ?? null),
    },
  ];
  for (const a of api) {
    // The API's price does not depend on the volume: the same figure at every x.
    series.push({ label: a.provider, values: x.map(() => a.usd_per_million_tokens), kind: 'dashed' });
  }
  series.push({
    label: 'Break-even volumes',
    values: x.map((v) => api.find((a) => a.break_even_tokens_per_day === v)?.usd_per_million_tokens ?? null),
    kind: 'points',
    labels: x.map((v) => {
      const a = api.find((q) => q.break_even_tokens_per_day === v);
      return a ? `break-even with ${a.provider} at ${formatTokens(v)} tokens/day` : null;
    }),
  });
  const ran = points.some((p) => p.usd_per_million_tokens !== null);
  return {
    x: { label: 'Tokens a day', values: x, format: 'tokens' },
    y: { label: '$ per million tokens', format: 'usd', log: true },
    series,
    marker,
    empty: ran || api.length > 0 ? null : 'Nothing meets the SLA at any volume drawn.',
  };
}
