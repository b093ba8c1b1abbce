// The embed widget (embed.html): the same scenario keys as the main page's link, a few headline
// figures, and a link to the full calculator. Made to live in a cross-origin iframe: it never
// touches its parent, and it ignores anything kept in localStorage (a custom catalog belongs to
// the calculator page, not to the pages that embed the widget).
import { loadEngine } from '../../web/engine';
import { afterPainted, byId, h, startupFailed } from './dom';
import { formatCount, formatInteger, formatUsd, resultKeys } from './format';
import { fromQuery, settle, toQuery, toScenario, type Notice } from './state';

// Milliseconds since navigation at each step of the first view (read by scripts/web_budget.mjs).
const startMs: Record<string, number> = { script: performance.now() };
declare global {
  interface Window {
    __pertokenEmbed?: { startMs: Record<string, number> };
  }
}
window.__pertokenEmbed = { startMs };

const shown = [
  'usd_per_million_tokens',
  'usd_per_million_output_tokens',
  'tokens_per_second_per_user',
  'output_tokens_per_second_per_gpu',
  'ttft_seconds',
  'tpot_seconds',
];

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const theme = params.get('theme');
  document.documentElement.dataset['theme'] =
    theme === 'dark' || theme === 'light' ? theme : matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';

  const engine = await loadEngine(new URL('../pertoken.wasm', import.meta.url));
  startMs['core'] = performance.now();
  engine.bandsDeferred = true; // the figures first; their "likely" ranges a frame later
  const fields = engine.fields();
  const version = engine.version();
  const { raw, notices } = fromQuery(location.search, fields);
  const settled = settle(engine, fields, raw, notices as Notice[]);
  startMs['settled'] = performance.now(); // the catalog parsed and the scenario evaluated
  if (!settled.evaluation.ok) throw new Error(settled.evaluation.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  const result = settled.evaluation.result;
  const s = result.scenario;
  // Names only: the full catalog entries (with their sources) are not needed here.
  const { models, gpus } = engine.names();
  const modelName = models.find((m) => m.id === s['model'])?.name ?? String(s['model']);
  const gpuName = gpus.find((g) => g.id === s['gpu'])?.name ?? String(s['gpu']);

  const title = byId('title');
  title.textContent = `${modelName} on ${String(s['num_gpus'])} × ${gpuName}`;
  const workload = byId('workload');
  const concurrency = s['concurrency'] ?? (s['request_rate_per_s'] !== undefined ? `${String(s['request_rate_per_s'])} req/s` : 'max');
  workload.textContent = `${formatInteger(Number(s['input_tokens']))} in / ${formatInteger(Number(s['output_tokens']))} out tokens · concurrency ${String(concurrency)}`;
  // What the dollars and speeds assume: the precision, the engine and the price of a device-hour.
  const price = typeof s['usd_per_gpu_hour'] === 'number' ? `${formatUsd(s['usd_per_gpu_hour'])}/GPU-hour` : 'no price';
  const setup = byId('setup');
  setup.textContent = `weights ${String(s['weights'])}, KV ${String(s['kv_cache'])} · ${String(s['engine'])} · ${price}`;
  setup.dataset['testid'] = 'embed-setup';

  const figures = byId('figures');
  for (const key of shown) {
    const spec = resultKeys.find((k) => k.key === key)!;
    const value = result[key];
    const band = result.uncertainty?.[key];
    figures.appendChild(
      h(
        'div',
        {},
        h('dt', {}, spec.label),
        h(
          'dd',
          // elementtiming: the browser reports when the $ figure was painted (scripts/web_budget.mjs).
          { 'data-testid': `embed-${key}`, 'data-value': typeof value === 'number' ? String(value) : 'null', elementtiming: key === 'usd_per_million_tokens' ? 'first-answer' : null },
          spec.format(typeof value === 'number' ? value : null),
          Array.isArray(band) ? h('span', { class: 'band', 'data-testid': `embed-band-${key}` }, `likely ${spec.format(band[0])}–${spec.format(band[1])}`) : null,
        ),
      ),
    );
  }
  const verdict = byId('verdict');
  verdict.className = `verdict ${result.fits ? 'fits' : 'no-fit'}`;
  verdict.textContent = result.fits ? `✓ Fits: ${result.limit_detail}` : `✗ Does not fit: ${result.limit_detail}`;
  verdict.dataset['testid'] = 'embed-verdict';

  if (notices.length) {
    // One short line that cannot push the figures or the link out of the 320 px frame; the
    // whole story is on hover and in the calculator the link opens.
    const notice = byId('notice');
    notice.textContent = `${formatCount(notices.length, 'setting')} in this link could not be used: ${notices.map((n) => `${n.key} “${n.value}”`).join(', ')}. Open in pertoken for why.`;
    notice.title = notices.map((n) => `${n.key} “${n.value}”: ${n.message}`).join('\n');
    notice.hidden = false;
  }
  byId<HTMLAnchorElement>('open').href = new URL('index.html' + toQuery(fields, settled.raw, version), location.href).href;
  for (const id of ['title', 'workload', 'setup', 'figures', 'verdict']) byId(id).hidden = false;
  byId('loading').hidden = true;
  startMs['answer'] = performance.now();

  // Once the figures are painted: the same scenario with its "likely" ranges.
  await afterPainted('first-answer');
  engine.bandsDeferred = false;
  const banded = engine.evaluate(toScenario(fields, settled.raw));
  for (const key of shown) {
    const spec = resultKeys.find((k) => k.key === key)!;
    const band = banded.ok ? banded.result.uncertainty?.[key] : undefined;
    if (Array.isArray(band)) {
      document.querySelector(`[data-testid="embed-${key}"]`)?.appendChild(h('span', { class: 'band', 'data-testid': `embed-band-${key}` }, `likely ${spec.format(band[0])}–${spec.format(band[1])}`));
    }
  }
  startMs['ready'] = performance.now();
  document.documentElement.dataset['ready'] = 'true';
}

main().catch((error: unknown) => startupFailed('The estimate could not be shown', error));
