// Measures the web calculator's budgets in headless Chromium (Debian's) and prints them for CI:
//   1. first interactive view <= 200 KB gzipped in total (HTML, JS, CSS, wasm, catalog):
//      every response the calculator page loads until it is ready, each gzipped (level 9) here;
//   2. recomputing all results and charts after an input change <= 16 ms median: scripted edits
//      of several fields, each timed from the input event until the charts are drawn and the
//      page's layout is done (a forced layout), after a few warm-up edits;
//   3. zero requests outside the page's origin while using the calculator, the embed widget,
//      the methodology page and the planner (every request of the browser context is recorded);
//   4. the first answer: navigation -> the first $ figure painted <= 300 ms for the calculator,
//      <= 250 ms for the embed widget (median of several fresh loads; the paint time is the
//      browser's Element Timing entry for the figure, the time it entered the page is printed
//      too, with the page's steps: HTML, wasm, script, core, catalog, answer, form); the
//      calculator's bare URL shows the answer prerendered at build (scripts/web_prerender.mjs),
//      so a linked scenario, which waits for the core, is printed beside it, and so is the floor:
//      the same index.html with every script taken out;
//   5. the planner page (plan.html, its own module loaded on demand): its size, load time and
//      plan time after an edit, printed (not budgets);
//   6. the methodology page: when its calibration scoreboard is painted and when it is ready,
//      printed (not budgets).
// Exit status 1 when the size or request budget is exceeded (the timings too with --strict).
// Usage: node scripts/web_budget.mjs [--dist site/dist] [--strict] [--only first-answer,...] [--loads 7]
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { contentSecurityPolicy, handler } from './web_serve.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dist = resolve(args.includes('--dist') ? args[args.indexOf('--dist') + 1] : join(root, 'site/dist'));
const strict = args.includes('--strict');
// --only NAME[,NAME]: run only these measurements (size, first-answer, recompute, planner, methodology, requests).
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const runs = (name) => only === null || only.includes(name);
// --loads N: fresh loads per page for the first answer (7 unless given).
const firstAnswerLoads = args.includes('--loads') ? Number(args[args.indexOf('--loads') + 1]) : 7;
const limits = { firstViewGzipBytes: 200_000, recomputeMedianMs: 16, outsideRequests: 0, firstAnswerMs: { calculator: 300, embed: 250 } };
// How Chromium is launched, and why the address-bar popup is off: scripts/chromium.json.
const launch = JSON.parse(readFileSync(join(root, 'scripts/chromium.json'), 'utf8'));

// The floor of the first answer on this machine: the calculator's own index.html with every
// script and preload taken out and its prerendered answer shown (the attribute boot.js would set),
// served beside it so its styles and favicon load as the page's do. No script can paint the
// figure sooner than this page does; printed beside the first-answer budget.
const floorPath = '__first-answer-floor.html';
const serveSite = handler([{ prefix: '/pertoken/', dir: dist, csp: true }]);
const withoutScripts = (html) =>
  html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
    .replace(/<link rel="(?:modulepreload|preload)"[^>]*>/g, '')
    .replace('<html lang="en">', '<html lang="en" data-prerender="show">');
const server = createServer((request, response) => {
  if (new URL(request.url, 'http://server').pathname !== `/pertoken/${floorPath}`) return serveSite(request, response);
  const html = withoutScripts(readFileSync(join(dist, 'index.html'), 'utf8'));
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy, 'Cache-Control': 'no-cache' });
  response.end(html);
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${server.address().port}`;
const site = `${origin}/pertoken/`;
const browser = await chromium.launch({ executablePath: process.env.PERTOKEN_CHROMIUM ?? launch.path, args: launch.args });
const failures = [];
const warnings = [];
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

try {
  // 1. The first interactive view.
  if (runs('size')) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const responses = [];
    page.on('response', (response) => responses.push(response));
    await page.goto(site);
    await page.waitForSelector('html[data-ready="true"]');
    await page.waitForLoadState('networkidle');
    let raw = 0;
    let gzipped = 0;
    console.log(`budget: first view of ${site} (${responses.length} responses)`);
    for (const response of responses) {
      const body = await response.body();
      // A response the browser revalidated (the server answered 304: no body crossed the wire,
      // the cached one was reused) weighs nothing; Chromium asks again for the icon when the page
      // writes its settings into the URL.
      const revalidated = body.length > 0 && (await response.request().sizes()).responseBodySize === 0;
      const gz = revalidated ? 0 : gzipSync(body, { level: 9 }).length;
      raw += revalidated ? 0 : body.length;
      gzipped += gz;
      const path = response.url().slice(site.length) || 'index.html';
      const note = revalidated ? ' (revalidated: 304, body from the cache)' : '';
      console.log(`  ${path.padEnd(28)} ${kb(revalidated ? 0 : body.length).padStart(10)} ${kb(gz).padStart(10)} gzipped${note}`);
    }
    const ok = gzipped <= limits.firstViewGzipBytes;
    console.log(`budget: first view total ${kb(raw)}, ${kb(gzipped)} gzipped (limit ${kb(limits.firstViewGzipBytes)}): ${ok ? 'ok' : 'OVER'}`);
    if (!ok) failures.push('first view size');
    await context.close();
  }

  // 4 (run early, before the browser has warmed on this page). Navigation -> the first $ figure.
  // Each load is a fresh context (no cache): what a first visit costs on this machine. Two times
  // per load: when the figure is in the page (a MutationObserver the test installs before the
  // page's own scripts run) and when it was painted (the figure's elementtiming="first-answer",
  // reported by the browser's Element Timing API). The verdict is on the painted one's median.
  if (runs('first-answer')) {
    // The calculator's bare URL carries its answer prerendered at build time
    // (scripts/web_prerender.mjs); a link with settings waits for the core: it is measured too,
    // and printed beside the budget, so the core's own time to an answer stays in view.
    const pages = [
      ['calculator', site, 'answer-usd_per_million_tokens', '__pertoken'],
      ['calculator-without-scripts', `${site}${floorPath}`, 'answer-usd_per_million_tokens', null],
      ['calculator-linked', `${site}?model=llama-3.1-70b&gpu=h200-sxm&num_gpus=4&weights=fp8`, 'answer-usd_per_million_tokens', '__pertoken'],
      ['embed', `${site}embed.html?model=llama-3.1-70b&gpu=h200-sxm&num_gpus=4&weights=fp8`, 'embed-usd_per_million_tokens', '__pertokenEmbed'],
    ];
    const median = (values) => {
      const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
      return sorted.length ? sorted[sorted.length >> 1] : undefined;
    };
    const ms = (v) => (v === undefined ? '-' : `${v.toFixed(0)}`);
    for (const [name, url, testid, probe] of pages) {
      const loads = [];
      for (let i = 0; i < firstAnswerLoads; ++i) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await context.addInitScript((id) => {
          const seen = () => document.querySelector(`[data-testid="${id}"][data-value]`);
          const observer = new MutationObserver(() => {
            if (window.__firstAnswerMs === undefined && seen()) {
              window.__firstAnswerMs = performance.now(); // since navigation start
              observer.disconnect();
            }
          });
          observer.observe(document, { subtree: true, childList: true, attributes: true });
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) {
              if (entry.identifier === 'first-answer' && window.__firstPaintMs === undefined) window.__firstPaintMs = entry.renderTime || entry.loadTime;
            }
          }).observe({ type: 'element', buffered: true });
        }, testid);
        const page = await context.newPage();
        await page.goto(url);
        await page.waitForFunction(() => window.__firstAnswerMs !== undefined, null, { timeout: 30_000 });
        if (probe !== null) await page.waitForSelector('html[data-ready="true"]');
        // The paint entry arrives a frame after the paint; a page that never reports it (a browser
        // without Element Timing) is measured by the DOM time alone.
        await page.waitForFunction(() => window.__firstPaintMs !== undefined, null, { timeout: 5_000 }).catch(() => {});
        loads.push(
          await page.evaluate((probe) => {
            const navigation = performance.getEntriesByType('navigation')[0];
            const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/pertoken.wasm'));
            return {
              dom: window.__firstAnswerMs,
              painted: window.__firstPaintMs,
              marks: { html: navigation?.responseEnd, parsed: navigation?.domInteractive, wasm: wasm?.responseEnd, ...((probe && window[probe]?.startMs) ?? {}) },
            };
          }, probe),
        );
        await context.close();
      }
      const dom = loads.map((l) => l.dom);
      const painted = loads.map((l) => l.painted ?? l.dom);
      const shown = median(painted);
      const limit = limits.firstAnswerMs[name];
      const ok = limit === undefined || shown <= limit;
      const list = (values) => `[${values.map((t) => t.toFixed(0)).join(', ')}]`;
      const verdict =
        probe === null ? "the floor: no script can paint the calculator's figure sooner on this machine" :
        limit === undefined ? 'printed, no budget of its own' : `limit ${limit} ms median, painted): ${ok ? 'ok' : 'OVER'} (${((shown / limit) * 100).toFixed(0)}% of the budget`;
      console.log(`budget: first answer (navigation -> first $ figure painted), ${name}: median ${ms(shown)} ms over ${loads.length} fresh loads ${list(painted)}; in the page (DOM) median ${ms(median(dom))} ms ${list(dom)} (${verdict})`);
      // The steps, each the median over the loads, in ms since navigation (the page's own marks:
      // window.__pertoken.startMs / __pertokenEmbed.startMs).
      const at = (key) => ms(median(loads.map((l) => l.marks[key])));
      const steps =
        probe === null
          ? `HTML received ${at('html')}, parsed ${at('parsed')}, painted ${ms(median(painted))}`
          : name.startsWith('calculator')
          ? `HTML received ${at('html')}, parsed ${at('parsed')}, wasm received ${at('wasm')}, script runs ${at('script')}, core instantiated ${at('core')}, catalog names read ${at('catalog')}, link settled ${at('settled')}, answer in the page ${at('answer')}, painted ${ms(median(painted))}; then the form built ${at('form')}, panels and charts ready ${at('ready')}`
          : `HTML received ${at('html')}, parsed ${at('parsed')}, wasm received ${at('wasm')}, script runs ${at('script')}, core instantiated ${at('core')}, catalog parsed and scenario evaluated ${at('settled')}, answer in the page ${at('answer')}, painted ${ms(median(painted))}; ranges shown ${at('ready')}`;
      console.log(`budget:   ${name} median steps since navigation (ms): ${steps}`);
      // A wall clock on a shared machine: printed with its verdict, gating only with --strict
      // (like the recompute time). The medians here are not far enough under the budget on this
      // 2-core machine, whose load varies with other work, to gate by default.
      if (!ok) (strict ? failures : warnings).push(`first answer (${name})`);
    }
  }

  // 2. Recompute time after an input change.
  if (runs('recompute')) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(site);
    await page.waitForSelector('html[data-ready="true"]');
    const edits = [
      ['field-input_tokens', '1000'], ['field-input_tokens', '4000'], ['field-output_tokens', '800'], ['field-concurrency', '64'],
      ['field-concurrency', 'max'], ['field-num_gpus', '2'], ['field-num_gpus', '1'], ['field-model', 'llama-3.1-70b'],
      ['field-gpu', 'h200-sxm'], ['field-num_gpus', '4'], ['field-weights', 'fp8'], ['field-kv_cache', 'fp8'],
      ['field-usd_per_gpu_hour', '3.5'], ['field-input_tokens', '8000'], ['field-model', 'mixtral-8x7b'], ['field-gpu', 'mi300x'],
      ['field-output_tokens', '300'], ['field-weights', ''], ['field-kv_cache', 'bf16'], ['field-model', 'llama-3.1-8b'],
      ['field-gpu', 'l40s'], ['field-num_gpus', '1'], ['field-input_tokens', '2000'], ['field-usd_per_gpu_hour', ''],
    ];
    const warmup = 6;
    const samples = [];
    const edit = ([id, v]) =>
      page.evaluate(async ([id, v]) => {
        // Start from a settled page, as a keystroke does: the previous edit painted, the machine
        // idle for a moment (people type far slower than frames are drawn).
        await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 30))));
        const element = document.querySelector(`[data-testid="${id}"]`);
        const before = window.__pertoken.recomputes;
        performance.mark('edit-start');
        const started = performance.now();
        element.value = v;
        element.dispatchEvent(new Event('input', { bubbles: true }));
        await Promise.resolve();
        void document.documentElement.offsetHeight; // the layout the changes need
        const ms = performance.now() - started;
        performance.mark('edit-end');
        if (window.__pertoken.recomputes !== before + 1) throw new Error(`${id}=${v} did not recompute`);
        return ms;
      }, [id, v]);
    for (let round = 0; round < 2; ++round) for (const e of edits) samples.push(await edit(e));

    // A third round under the tracer: the renderer's main-thread CPU time per edit (script,
    // style, layout), which other processes on a small machine do not inflate.
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
    const traced = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,blink.user_timing', transferMode: 'ReportEvents' });
    for (const e of edits) await edit(e);
    await cdp.send('Tracing.end');
    await traced;
    const marks = events.filter((e) => e.name === 'edit-start' || e.name === 'edit-end').sort((a, b) => a.ts - b.ts);
    const cpu = [];
    for (let i = 0; i + 1 < marks.length; i += 2) {
      const [from, to, tid] = [marks[i].ts, marks[i + 1].ts, marks[i].tid];
      const inside = events.filter((e) => e.ph === 'X' && e.tid === tid && e.ts >= from && e.ts + (e.dur ?? 0) <= to && ['EventDispatch', 'Layout', 'UpdateLayoutTree'].includes(e.name));
      cpu.push(inside.reduce((sum, e) => sum + (e.tdur ?? e.dur ?? 0), 0) / 1000);
    }
    cpu.sort((a, b) => a - b);
    const errors = await page.locator('[data-testid^="error-"]:visible').count();
    if (errors) failures.push('an edit of the timing script was rejected by the core');
    const timed = samples.slice(warmup).sort((a, b) => a - b);
    const at = (q) => timed[Math.min(timed.length - 1, Math.floor(q * timed.length))];
    const median = at(0.5);
    const ok = median <= limits.recomputeMedianMs;
    console.log(`budget: recompute after an input change: median ${median.toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${timed[timed.length - 1].toFixed(1)} ms over ${timed.length} edits of ${new Set(edits.map((e) => e[0])).size} fields (limit ${limits.recomputeMedianMs} ms median): ${ok ? 'ok' : 'OVER'}`);
    console.log(`budget:   main-thread CPU per edit (traced): median ${cpu[cpu.length >> 1].toFixed(1)} ms, max ${cpu[cpu.length - 1].toFixed(1)} ms (script + style + layout; wall time above also counts waiting for a core)`);
    const phases = await page.evaluate((n) => window.__pertoken.phasesMs.slice(-n), timed.length);
    const phaseMedian = (key) => {
      const values = phases.map((p) => p[key]).filter((v) => v !== undefined).sort((a, b) => a - b);
      return values.length ? values[values.length >> 1].toFixed(1) : '-';
    };
    console.log(`budget:   median per phase (ms): evaluate ${phaseMedian('evaluate')}, chart sweeps ${phaseMedian('sweeps')}, chart drawing ${phaseMedian('charts')}, results ${phaseMedian('results')}`);
    // The accelerator comparison (the core's layout search over the catalog) runs once typing
    // pauses, outside the recompute above; its time is printed, not budgeted.
    const comparisons = (await page.evaluate(() => window.__pertoken.gpuSweepMs.slice())).sort((a, b) => a - b);
    if (comparisons.length) console.log(`budget:   accelerator comparison after typing pauses: median ${comparisons[comparisons.length >> 1].toFixed(1)} ms, max ${comparisons[comparisons.length - 1].toFixed(1)} ms over ${comparisons.length} runs (not part of the recompute)`);
    // A timing on a shared 2-core machine is a measurement, not a test: it is printed, and fails
    // the run only with --strict. The size and request budgets are exact and always gate.
    if (!ok) (strict ? failures : warnings).push('recompute time');
    await context.close();
  }

  // 5. The planner page (plan.html), which loads its own module on demand: its size, how long it
  // takes to show its first plan, and a plan after an edit. Printed figures, not budgets (the
  // first-view budget above is the calculator's).
  if (runs('planner')) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const responses = [];
    page.on('response', (response) => responses.push(response));
    const planner = `${site}plan.html?model=llama-3.1-70b&tokens_per_day=500000000&max_tpot_seconds=0.05`;
    const started = Date.now();
    await page.goto(planner);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 120_000 });
    const loadMs = Date.now() - started;
    await page.waitForSelector('html[data-volumes="1"]', { timeout: 120_000 });
    await page.waitForLoadState('networkidle');
    let gzipped = 0;
    let moduleGz = 0;
    for (const response of responses) {
      const gz = gzipSync(await response.body(), { level: 9 }).length;
      gzipped += gz;
      if (/pertoken-plan\.wasm$/.test(response.url())) moduleGz = gz;
    }
    const probe = await page.evaluate(() => window.__pertokenPlan);
    const edits = [['field-max_tpot_seconds', '0.04'], ['field-peak_to_average', '2'], ['field-input_tokens', '4000'], ['field-max_tpot_seconds', '']];
    const editMs = [];
    for (const [id, value] of edits) {
      const before = await page.evaluate(() => window.__pertokenPlan.plans);
      await page.fill(`[data-testid="${id}"]`, value);
      await page.waitForFunction((n) => window.__pertokenPlan.plans > n, before, { timeout: 120_000 });
      editMs.push(await page.evaluate(() => window.__pertokenPlan.planMs[window.__pertokenPlan.planMs.length - 1]));
    }
    editMs.sort((a, b) => a - b);
    console.log(`budget: planner page (printed, not budgeted): ${responses.length} responses, ${kb(gzipped)} gzipped, of which the planner module ${kb(moduleGz)}`);
    console.log(`budget:   planner page load to the first plan drawn: ${loadMs} ms (in the page: ${probe.readyMs.toFixed(0)} ms from navigation); cost against volume (the plans at nine volumes): ${probe.volumeMs.map((v) => v.toFixed(0)).join(', ')} ms`);
    console.log(`budget:   a plan after an edit: median ${editMs[editMs.length >> 1].toFixed(0)} ms, max ${editMs[editMs.length - 1].toFixed(0)} ms over ${editMs.length} edits (the core's full search, in WebAssembly)`);
    await context.close();
  }

  // The methodology page (printed, not budgeted): five fresh loads, in the page's own clock, to
  // the first frame painted with the calibration scoreboard (the holdout's ~1,500 rows are
  // predicted after it) and to ready (both scoreboards).
  if (runs('methodology')) {
    const painted = [];
    const ready = [];
    for (let i = 0; i < 5; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (!document.querySelector('#calibration-table tbody tr')) return;
          observer.disconnect();
          requestAnimationFrame(() => (window.__calibrationPainted = performance.now()));
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(`${site}methodology.html`);
      await page.waitForSelector('html[data-ready="true"]', { timeout: 120_000 });
      const [shown, done] = await page.evaluate(() => [window.__calibrationPainted, performance.now()]);
      painted.push(shown);
      ready.push(done);
      await context.close();
    }
    const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
    console.log(`budget: methodology page (printed, not budgeted), median of 5 loads: calibration scoreboard painted ${median(painted).toFixed(0)} ms, ready ${median(ready).toFixed(0)} ms from navigation`);
  }

  // 3. Requests outside the page's origin, through the calculator, the embed and methodology.
  if (runs('requests')) {
    const context = await browser.newContext({ acceptDownloads: true });
    const urls = [];
    context.on('request', (request) => urls.push(request.url()));
    const page = await context.newPage();
    await page.goto(`${site}?model=deepseek-r1&gpu=h200-sxm&num_gpus=8`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.selectOption('[data-testid="field-model"]', 'mixtral-8x7b');
    for (const id of ['export-results-json', 'export-gpus-png', 'export-memory-svg']) {
      await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${id}"]`)]);
    }
    await page.click('[data-testid="embed"]');
    await page.keyboard.press('Escape');
    await page.goto(`${site}embed.html?model=llama-3.1-70b&num_gpus=2`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.goto(`${site}methodology.html`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.waitForLoadState('networkidle');
    await page.goto(`${site}plan.html?model=llama-3.1-8b&tokens_per_day=100000000`);
    await page.waitForSelector('html[data-volumes="1"]', { timeout: 120_000 });
    await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-plan-json"]')]);
    await page.waitForLoadState('networkidle');
    const outside = urls.filter((url) => !url.startsWith(origin + '/') && !url.startsWith('blob:' + origin));
    const ok = outside.length <= limits.outsideRequests;
    console.log(`budget: requests outside the page's origin: ${outside.length} of ${urls.length} (limit ${limits.outsideRequests}): ${ok ? 'ok' : 'OVER'}`);
    for (const url of outside) console.log(`  outside: ${url}`);
    if (!ok) failures.push('outside requests');
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

if (failures.length) {
  console.log(`budget: FAILED (${failures.join(', ')})`);
  process.exit(1);
}
console.log(warnings.length ? `budget: over the limit, not gating: ${warnings.join(', ')}` : 'budget: all within limits');
