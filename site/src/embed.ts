// The embed widget (embed.html): the same scenario keys as the main page's link, a few headline
// figures, and a link to the full calculator. Made to live in a cross-origin iframe: it never
// touches its parent, and it ignores anything kept in localStorage (a custom catalog belongs to
// the calculator page, not to the pages that embed the widget).
import { loadEngine } from '../../web/engine';
import { byId, h, startupFailed } from './dom';
import { formatInteger, resultKeys } from './format';
import { fromQuery, settle, toQuery, type Notice } from './state';

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
  const fields = engine.fields();
  const version = engine.version();
  const { raw, notices } = fromQuery(location.search, fields);
  const settled = settle(engine, fields, raw, notices as Notice[]);
  if (!settled.evaluation.ok) throw new Error(settled.evaluation.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  const result = settled.evaluation.result;
  const s = result.scenario;
  const models = engine.models();
  const gpus = engine.gpus();
  const modelName = models.find((m) => m.id === s['model'])?.name ?? String(s['model']);
  const gpuName = gpus.find((g) => g.id === s['gpu'])?.name ?? String(s['gpu']);

  const title = byId('title');
  title.textContent = `${modelName} on ${String(s['num_gpus'])} × ${gpuName}`;
  const workload = byId('workload');
  const concurrency = s['concurrency'] ?? (s['request_rate_per_s'] !== undefined ? `${String(s['request_rate_per_s'])} req/s` : 'max');
  workload.textContent = `${formatInteger(Number(s['input_tokens']))} in / ${formatInteger(Number(s['output_tokens']))} out tokens · concurrency ${String(concurrency)} · weights ${String(s['weights'])}`;

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
          { 'data-testid': `embed-${key}`, 'data-value': typeof value === 'number' ? String(value) : 'null' },
          spec.format(typeof value === 'number' ? value : null),
          Array.isArray(band) ? h('span', { class: 'band', title: 'likely range' }, `${spec.format(band[0])}–${spec.format(band[1])}`) : null,
        ),
      ),
    );
  }
  const verdict = byId('verdict');
  verdict.className = `verdict ${result.fits ? 'fits' : 'no-fit'}`;
  verdict.textContent = result.fits ? `✓ Fits: ${result.limit_detail}` : `✗ Does not fit: ${result.limit_detail}`;
  verdict.dataset['testid'] = 'embed-verdict';

  if (notices.length) {
    const notice = byId('notice');
    notice.textContent = `${notices.length} setting${notices.length === 1 ? '' : 's'} in this link fell back to the default: ` + notices.map((n) => `${n.key} “${n.value}” (${n.message})`).join('; ');
    notice.hidden = false;
  }
  byId<HTMLAnchorElement>('open').href = new URL('index.html' + toQuery(fields, settled.raw, version), location.href).href;
  for (const id of ['title', 'workload', 'figures', 'verdict']) byId(id).hidden = false;
  byId('loading').hidden = true;
  document.documentElement.dataset['ready'] = 'true';
}

main().catch((error: unknown) => startupFailed('The estimate could not be shown', error));
