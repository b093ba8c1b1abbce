// Prerenders the calculator's answer bar into the built index.html: opens the built page in
// Chromium (the page itself, its WebAssembly core and its formatting; nothing recomputed here),
// waits until it is ready, and writes the answer bar it shows for the bare URL into the HTML. A
// visitor then sees the $ figure with the page's first paint instead of after the core has loaded
// and run. The boot script shows it only where it is that visitor's answer (no settings in the
// link, no catalog or model kept: site/src/prerendered.ts), and the page's own answer replaces it
// once the core has run (site/src/main.ts). Run by scripts/web_build.sh after web_build.mjs.
// Usage: node scripts/web_prerender.mjs [--out DIR]
import { createServer } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handler } from './web_serve.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const out = args.includes('--out') ? resolve(args[args.indexOf('--out') + 1]) : join(root, 'site/dist');
const index = join(out, 'index.html');
// How Chromium is launched: scripts/chromium.json, shared with the budgets and the browser tests.
const launch = JSON.parse(readFileSync(join(root, 'scripts/chromium.json'), 'utf8'));
const chromiumPath = process.env.PERTOKEN_CHROMIUM ?? launch.path;

const html = readFileSync(index, 'utf8');
const sectionTag = /<section id="answer"([^>]*) hidden>/;
const emptyBody = '<div id="answer-body" class="answer-body"></div>';
if (!sectionTag.test(html) || !html.includes(emptyBody)) {
  console.error(`web_prerender: ${index} has no empty, hidden answer bar to fill (run scripts/web_build.mjs first)`);
  process.exit(2);
}
if (!existsSync(chromiumPath)) {
  console.log(`web_prerender: no Chromium at ${chromiumPath}; the page computes its first answer on load`);
  process.exit(0);
}

const { chromium } = await import('playwright-core');
const server = createServer(handler([{ prefix: '/pertoken/', dir: out, csp: true }]));
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const site = `http://127.0.0.1:${server.address().port}/pertoken/`;
const browser = await chromium.launch({ executablePath: chromiumPath, args: launch.args });
let body;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(site);
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 60_000 });
  if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
  body = await page.locator('#answer-body').innerHTML();
  if (!body.includes('data-testid="answer-usd_per_million_tokens"')) throw new Error('the page showed no answer');
} catch (error) {
  console.error(`web_prerender: ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
if (body !== undefined) {
  const filled = html
    .replace(sectionTag, (_, attributes) => `<section id="answer"${attributes} data-prerendered>`)
    .replace(emptyBody, () => `<div id="answer-body" class="answer-body">${body}</div>`); // a function: the bar's "$" figures are not patterns
  writeFileSync(index, filled);
  console.log(`web_prerender: the answer bar for the bare URL is in ${index.replace(root + '/', '')} (${body.length} bytes)`);
}
