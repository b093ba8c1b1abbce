// The site under the Content-Security-Policy the issue sets (no 'unsafe-eval', no inline
// scripts), from a sub-path and from a domain root, with every request on its own origin.
import { expect, test } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterRecompute, csp, openCalculator, originA, originB, outsideOrigins, record, repoRoot, siteA } from './helpers';

test('every page works under the CSP with no violation, error or outside request', async ({ page, context }) => {
  const recorder = await record(context);
  for (const path of ['', 'embed.html', 'methodology.html']) {
    const response = await page.goto(siteA + path);
    expect(response!.headers()['content-security-policy']).toBe(csp);
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  }
  // Exercise the calculator: inputs, charts, exports, the embed dialog.
  await openCalculator(page);
  await afterRecompute(page, () => page.getByTestId('field-model').selectOption('deepseek-r1'));
  await afterRecompute(page, () => page.getByTestId('field-num_gpus').fill('8'));
  await afterRecompute(page, () => page.getByTestId('field-gpu').selectOption('h200-sxm'));
  for (const id of ['export-results-csv', 'export-batching-png', 'export-gpus-svg']) {
    await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
  }
  await page.getByTestId('embed').click();
  await page.keyboard.press('Escape');
  expect(recorder.violations).toEqual([]);
  expect(recorder.errors).toEqual([]);
  expect(outsideOrigins(recorder.requests, [originA])).toEqual([]);
  // The page asked for the core itself, from its own origin.
  expect(recorder.requests).toContain(`${siteA}pertoken.wasm`);

  // And the policy is really enforced: an inline script and a string timer (eval) are refused.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.appendChild(script);
    (setTimeout as unknown as (code: string, ms: number) => void)('window.__evalRan = true', 0);
  });
  await expect.poll(() => recorder.violations.length).toBeGreaterThanOrEqual(2);
  expect(recorder.violations.join('\n')).toMatch(/script-src/);
  expect(await page.evaluate(() => [(window as any).__inlineRan, (window as any).__evalRan])).toEqual([undefined, undefined]);
});

test('the site works from a domain root too (relative URLs only)', async ({ page, context }) => {
  const recorder = await record(context);
  await openCalculator(page, 'model=qwen2.5-7b', `${originB}/`);
  await expect(page.getByTestId('summary')).toContainText('Qwen2.5 7B');
  await page.goto(`${originB}/methodology.html`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  expect(outsideOrigins(recorder.requests, [originB])).toEqual([]);
  expect(recorder.errors).toEqual([]);
});

test('the built pages have no inline script, handler or style, and fetch nothing from elsewhere', () => {
  const dist = join(repoRoot, 'site/dist');
  for (const name of readdirSync(dist).filter((n) => n.endsWith('.html'))) {
    const html = readFileSync(join(dist, name), 'utf8');
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag, name).toMatch(/\bsrc="\.\//);
    expect(html, name).not.toMatch(/<script\b[^>]*>[^<\s]/);
    expect(html, name).not.toMatch(/\son[a-z]+=/i);
    expect(html, name).not.toMatch(/\sstyle=/i);
    for (const url of html.match(/(?:src|href)="[^"]*"/g) ?? []) {
      expect(url, `${name}: ${url}`).not.toMatch(/="(?:https?:)?\/\//);
    }
  }
  for (const name of readdirSync(join(dist, 'assets'))) {
    const text = readFileSync(join(dist, 'assets', name), 'utf8');
    expect(text, name).not.toMatch(/@import\s+url\(\s*["']?https?:/);
    expect(text, name).not.toMatch(/fonts\.googleapis|cdn\.jsdelivr|unpkg\.com/);
  }
});
