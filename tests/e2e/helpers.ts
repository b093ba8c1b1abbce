// Shared by the browser tests: the CLI as the oracle, page helpers, and request/CSP recorders.
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');
export const cliPath = process.env['PERTOKEN_CLI'] ?? join(repoRoot, 'build/native/pertoken');
const portA = Number(process.env['PERTOKEN_E2E_PORT'] ?? 4173);
export const originA = `http://127.0.0.1:${portA}`;
export const originB = `http://localhost:${portA + 1}`;
export const siteA = `${originA}/pertoken/`;
export const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

const scratch = mkdtempSync(join(tmpdir(), 'pertoken-e2e-'));
let files = 0;

export function scratchFile(name: string, text: string | Buffer): string {
  const path = join(scratch, `${++files}-${name}`);
  writeFileSync(path, text);
  return path;
}

export type CliOutcome = { ok: true; result: Record<string, any> } | { ok: false; status: number; stderr: string };

// `pertoken <args>`; exit status 2 (bad input) is an outcome, anything else non-zero a failure.
export function cli(args: string[]): CliOutcome {
  try {
    // maxBuffer: `validate holdout --format json` prints several megabytes.
    const stdout = execFileSync(cliPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, result: JSON.parse(stdout) as Record<string, any> };
  } catch (error) {
    const e = error as { status: number; stderr: string };
    if (e.status !== 2) throw error;
    return { ok: false, status: e.status, stderr: String(e.stderr) };
  }
}

// The CLI's answer for a scenario document (the same keys the page puts in its link).
export function cliEstimate(scenario: Record<string, unknown>): CliOutcome {
  return cli(['estimate', '--scenario', scratchFile('scenario.json', JSON.stringify(scenario)), '--format', 'json']);
}

// `pertoken sweep KIND --format json` for a scenario document: the series the page's charts draw.
export function cliSweep(kind: string, scenario: Record<string, unknown>): CliOutcome {
  return cli(['sweep', kind, '--scenario', scratchFile('scenario.json', JSON.stringify(scenario)), '--format', 'json']);
}

export function query(scenario: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(scenario)) params.set(key, String(value));
  return params.toString();
}

// Opens the calculator and unfolds "Every figure" (filled only while open), so that every number
// of the result is on the page.
export async function openCalculator(page: Page, search = '', base = siteA, unfold = true): Promise<void> {
  await page.goto(`${base}${search ? '?' + search : ''}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  if (!unfold) return;
  await page.getByTestId('every-figure').locator('summary').click();
  await expect(page.getByTestId('result-e2e_latency_seconds')).toBeAttached();
}

// Waits for the recompute after an input: the page counts them on <html data-recomputes>.
export async function recomputes(page: Page): Promise<number> {
  return Number(await page.locator('html').getAttribute('data-recomputes'));
}

export async function afterRecompute(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await recomputes(page);
  await action();
  await expect.poll(() => recomputes(page)).toBeGreaterThan(before);
}

// Every figure with a data-testid prefix: {key: raw data-value}.
export async function dataValues(page: Page, prefix: string): Promise<Record<string, string>> {
  return page.$$eval(
    `[data-testid^="${prefix}"][data-value]`,
    (elements, p) => Object.fromEntries(elements.map((e) => [(e as HTMLElement).dataset['testid']!.slice(p.length), (e as HTMLElement).dataset['value']!])),
    prefix,
  );
}

// Relative closeness used for page-vs-CLI numbers: WebAssembly's libm may differ from glibc's in
// the last bit (the same tolerance as tests/parity/compare_parity.py).
export function expectClose(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) {
    expect(actual, what).toBe(expected);
    return;
  }
  const scale = Math.max(Math.abs(expected), Math.abs(actual), 1e-300);
  expect(Math.abs(actual - expected) / scale, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12);
}

export function deepClose(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number' && typeof actual === 'number') return expectClose(actual, expected, path);
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((v, i) => deepClose((actual as unknown[])[i], v, `${path}/${i}`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(actual !== null && typeof actual === 'object', path).toBe(true);
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) deepClose((actual as Record<string, unknown>)[k], v, `${path}/${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

// Records every request of a browser context, and CSP violations and errors of its pages.
export interface Recorder {
  requests: string[];
  nonGet: string[]; // anything but GET: an upload would show here
  violations: string[];
  errors: string[];
}

export async function record(context: BrowserContext): Promise<Recorder> {
  const recorder: Recorder = { requests: [], nonGet: [], violations: [], errors: [] };
  context.on('request', (request) => {
    recorder.requests.push(request.url());
    if (request.method() !== 'GET') recorder.nonGet.push(`${request.method()} ${request.url()}`);
  });
  await context.exposeBinding('__reportViolation', (_source, text: string) => recorder.violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportViolation: (t: string) => void }).__reportViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  context.on('page', (page) => watchPage(page, recorder));
  for (const page of context.pages()) watchPage(page, recorder);
  return recorder;
}

function watchPage(page: Page, recorder: Recorder): void {
  page.on('pageerror', (error) => recorder.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') recorder.errors.push(`console: ${message.text()}`);
  });
}

export function outsideOrigins(urls: string[], origins: string[]): string[] {
  return urls.filter((url) => !origins.some((origin) => url.startsWith(origin + '/')) && !url.startsWith('blob:') && !url.startsWith('data:'));
}

// A page on origin B that embeds `src` in a 380 x 320 iframe, as a documentation page would.
export async function embedOnOtherOrigin(page: Page, src: string): Promise<void> {
  await page.goto(`${originB}/fixtures/host.html`);
  await page.evaluate((url) => {
    const frame = document.createElement('iframe');
    frame.src = url;
    frame.width = '380';
    frame.height = '320';
    frame.title = 'pertoken estimate';
    document.getElementById('embed-here')!.appendChild(frame);
  }, src);
  await expect(page.frameLocator('iframe').locator('html')).toHaveAttribute('data-ready', 'true');
}
