// "Why this number": the headline figures explained from the core's breakdown — what bounds a
// decode step and by how much, what prefill costs, where the dollars go, what limits the batch.
// Every figure is one the core gives (the result JSON, its step breakdown, the catalog entry on
// screen). The sentences are the core's (core/src/text/why_words.cpp, which the app and
// `pertoken estimate --why` print): this copy draws the catalog's source links inside them and
// costs the first view no module call; tests/e2e/why.spec.ts holds it equal to the CLI's lines, so
// a change to either must change both.
import type { EfficiencyFactor, EstimateResult, GpuEntry, StepBreakdown } from '../../web/engine';
import { append, h, patch, sourced } from './dom';
import { decodeBoundWords, formatBandwidth, formatBytes, formatCount, formatInteger, formatNumber, formatPercent, formatSeconds, formatUsd } from './format';

const parts: { key: keyof StepBreakdown; label: string }[] = [
  { key: 'weight_reads_seconds', label: 'weight reads' },
  { key: 'kv_reads_seconds', label: 'KV-cache reads' },
  { key: 'compute_seconds', label: 'compute' },
  { key: 'communication_seconds', label: 'communication' },
  { key: 'overhead_seconds', label: 'overhead' },
];

// "weight reads 5.27 ms, KV-cache reads 18.9 ms, ... − overlap 5.22 ms = 42.0 ms"
function stepSum(step: StepBreakdown): HTMLElement {
  const items = parts.filter((p) => (step[p.key] ?? 0) > 0);
  const list = h('ul', { class: 'step-parts' });
  for (const p of items) list.appendChild(h('li', {}, `${p.label}: ${formatSeconds(step[p.key])}`));
  if ((step.overlap_seconds ?? 0) > 0) list.appendChild(h('li', {}, `minus overlap (memory and compute running together): ${formatSeconds(step.overlap_seconds)}`));
  list.appendChild(h('li', { class: 'total' }, `= ${formatSeconds(step.total_seconds)} per step`));
  return list;
}

// The step's time by class, as the decode bound compares them: memory (weights + KV cache), then
// the parts after the two reads (compute, communication, overhead).
function classes(step: StepBreakdown): { label: string; seconds: number }[] {
  return [{ label: 'memory reads', seconds: (step.weight_reads_seconds ?? 0) + (step.kv_reads_seconds ?? 0) }, ...parts.slice(2).map((p) => ({ label: p.label, seconds: step[p.key] ?? 0 }))];
}

export function renderWhy(target: HTMLElement, result: EstimateResult, gpu: GpuEntry | undefined, efficiency: EfficiencyFactor[], userPrice: boolean): void {
  const container = document.createElement('div');
  whyContent(container, result, gpu, efficiency, userPrice);
  patch(target, container);
}

function whyContent(container: HTMLElement, result: EstimateResult, gpu: GpuEntry | undefined, efficiency: EfficiencyFactor[], userPrice: boolean): void {
  container.appendChild(h('h3', { id: 'why-title' }, 'Why this number'));
  const decode = result.breakdown.decode_step;
  const prefill = result.breakdown.prefill;

  if (!result.fits || !decode || !prefill) {
    container.appendChild(
      h('p', { 'data-testid': 'why-no-fit' }, `This deployment does not run: ${result.limit_detail}. `, 'More devices, a lower precision or a shorter context change that.'),
    );
    return;
  }

  // Decode.
  const bound = result.decode_bound ?? '';
  const byClass = classes(decode);
  const sum = byClass.reduce((a, c) => a + c.seconds, 0);
  const decodeSection = h(
    'section',
    { 'data-testid': 'why-decode' },
    h('h4', {}, `Time per output token: ${formatSeconds(result.tpot_seconds)}`),
    h(
      'p',
      {},
      `An average decode step carries ${result.step_carries?.decode_step} for the ${formatNumber(result.running_concurrency as number | null)} running requests. It is bound by ${decodeBoundWords[bound] ?? bound}: of its parts, ` +
        byClass
          .filter((c) => c.seconds > 0)
          .map((c) => `${c.label} ${formatSeconds(c.seconds)} (${formatPercent(sum > 0 ? c.seconds / sum : null)})`)
          .join(', ') +
        '.',
    ),
    stepSum(decode),
  );
  // A speculative step yields more than one token a request (the core's why_words.cpp says why).
  const method = result.scenario['speculative'];
  const tpot = result.tpot_seconds ?? 0;
  if (method && method !== 'none' && tpot > 0) {
    const tokens = formatNumber((decode.total_seconds ?? 0) / tpot);
    decodeSection.appendChild(h('p', {}, `Speculative decoding (${method}): ${tokens} tokens per request a step, so ${formatSeconds(decode.total_seconds)} / ${tokens} = ${formatSeconds(tpot)} per output token.`));
  }
  // Bytes read per step, and the bandwidth they stream at, as the core counts them. Said next to
  // what the GPU holds when it reads less (embeddings are looked up, not streamed; a
  // mixture-of-experts step reads only the experts its tokens are routed to); a pipeline's step
  // reads more (why_words.cpp says why), and then nothing is said beside it.
  const read = decode.weight_bytes_read_per_gpu;
  const achieved = decode.achieved_memory_bandwidth_bytes_per_second;
  const weights = result.weights_bytes_per_gpu;
  if (read && achieved && decode.weight_reads_seconds) {
    const held = weights && weights - read > 0.02 * weights ? ` (of ${formatBytes(weights)} held per GPU: embeddings are looked up rather than streamed, and a mixture-of-experts step reads only the experts its tokens are routed to)` : '';
    const fraction = efficiency.find((f) => f.name === 'memory_bandwidth_fraction')?.value;
    decodeSection.appendChild(
      h(
        'p',
        { 'data-testid': 'why-weights' },
        `Weight reads: ${formatBytes(read)} per GPU per step${held}, streamed at ${formatBandwidth(achieved)} achieved`,
        gpu && fraction ? h('span', {}, ` (${formatNumber(fraction)} of the `, sourced(formatBandwidth(gpu.memory_bandwidth_bytes_per_second), gpu.sources['/memory_bandwidth_tb_per_s']), ' peak)') : null,
        `: ${formatSeconds(decode.weight_reads_seconds)}.`,
        decode.kv_bytes_read_per_gpu ? ` KV-cache reads: ${formatBytes(decode.kv_bytes_read_per_gpu)} per GPU per step, ${formatSeconds(decode.kv_reads_seconds)}.` : null,
      ),
    );
  }
  container.appendChild(decodeSection);

  // Prefill; with two pools the prompt waits for the prefill pool and its KV cache crosses over.
  const waiting = (result.ttft_seconds ?? 0) - (prefill.total_seconds ?? 0);
  const pools = result.breakdown.disaggregated;
  const wait = pools?.prefill_wait_seconds ?? 0;
  const transfer = pools?.kv_transfer_seconds ?? 0;
  container.appendChild(
    h(
      'section',
      { 'data-testid': 'why-prefill' },
      h('h4', {}, `Time to first token: ${formatSeconds(result.ttft_seconds)}`),
      // The parts are the whole steps' that carry the prompt, the other requests' work included;
      // what those steps carry is the core's words.
      h('p', {}, `Prefill of ${result.step_carries?.prefill}:`),
      stepSum(prefill),
      pools || waiting > 1e-9
        ? h(
            'p',
            {},
            'plus ' +
              (pools ? `${formatSeconds(wait)} waiting for the prefill pool (${formatCount(pools.prefill_gpus, 'device')}, busy ${formatPercent(pools.prefill_busy_fraction)}), ${formatSeconds(transfer)} moving the KV cache to the decode pool and ` : '') +
              `${formatSeconds(waiting - wait - transfer)} of per-request overhead and queueing = ${formatSeconds(result.ttft_seconds)}.`,
          )
        : null,
    ),
  );

  // Dollars.
  const perHour = result.usd_per_hour;
  const num = result.devices_in_deployment;
  const price = result.scenario['usd_per_gpu_hour'];
  const priceText = `${formatUsd(typeof price === 'number' ? price : null)}/h`;
  const dollars = h('section', { 'data-testid': 'why-dollars' }, h('h4', {}, `Cost: ${formatUsd(result.usd_per_million_tokens)} per million tokens`));
  if (perHour !== null && result.usd_per_million_tokens !== null) {
    append(
      dollars,
      h(
        'p',
        {},
        `${formatCount(num, 'device')} at `,
        // The catalog's price is a sourced figure; a price the user typed is not.
        userPrice ? priceText : sourced(priceText, gpu?.sources['/reference_usd_per_gpu_hour']),
        ` cost ${formatUsd(perHour)}/h. ` +
          `They process ${formatNumber(result.input_tokens_per_second)} input + ${formatNumber(result.output_tokens_per_second)} output tokens/s, ` +
          `so a million tokens cost ${formatUsd(result.usd_per_million_tokens)}.`,
      ),
      h(
        'p',
        {},
        `Split by what the GPUs spend their time on: prompt processing is charged to input tokens (${formatUsd(result.usd_per_million_input_tokens)} per million), ` +
          `decoding to output tokens (${formatUsd(result.usd_per_million_output_tokens)} per million): a prompt's tokens share their steps, each output token takes a step of its own.`,
      ),
    );
  } else {
    dollars.appendChild(h('p', {}, 'No price per device-hour is known for this accelerator: enter one to see costs.'));
  }
  container.appendChild(dollars);

  // The batch.
  const m = result.memory;
  if (m.kv_cache_bytes_per_request_per_gpu && m.kv_cache_pool_bytes) {
    container.appendChild(
      h(
        'section',
        { 'data-testid': 'why-batch' },
        h('h4', {}, `Max concurrency: ${formatInteger(result.max_concurrency)}`),
        h(
          'p',
          {},
          `Each request reserves its whole input + output in the KV cache: ${formatBytes(m.kv_cache_bytes_per_request_per_gpu)} per GPU ` +
            `(${formatBytes(m.kv_cache_bytes_per_token_per_gpu)} per token), out of a KV pool of ${formatBytes(m.kv_cache_pool_bytes)} per GPU; ${result.limit_detail}.`,
        ),
      ),
    );
  }
}
