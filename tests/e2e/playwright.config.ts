// Browser tests of the web calculator: Playwright driving Debian's Chromium (never a downloaded
// browser) against the built site (site/dist) served by scripts/web_serve.mjs with the CSP.
// Origin A (http://127.0.0.1:4173/pertoken/): the site under a sub-path, as a project page.
// Origin B (http://localhost:4174/): the site at a domain root, and /fixtures/ (a docs page that
// embeds the widget from origin A, served without our CSP).
import { defineConfig } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../..');
// Two sessions can test side by side: PERTOKEN_E2E_PORT moves both origins (A on it, B on it + 1)
// and PERTOKEN_SITE_DIST serves another build of the site (scripts/web_build.mjs --out DIR).
const portA = Number(process.env['PERTOKEN_E2E_PORT'] ?? 4173);
const portB = portA + 1;
const dist = process.env['PERTOKEN_SITE_DIST'] ?? 'site/dist';
// How Chromium is launched (and why the address-bar popup is off): scripts/chromium.json, shared
// with the budgets and the prerender.
const launch = JSON.parse(readFileSync(resolve(repoRoot, 'scripts/chromium.json'), 'utf8')) as { path: string; args: string[] };

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: resolve(repoRoot, process.env['PERTOKEN_E2E_OUT'] ?? 'build/e2e', 'test-results'),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['list'], [resolve(__dirname, 'summary-reporter.ts')]],
  use: {
    baseURL: `http://127.0.0.1:${portA}/pertoken/`,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env['PERTOKEN_CHROMIUM'] ?? launch.path, args: launch.args },
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  },
  webServer: [
    {
      command: `node scripts/web_serve.mjs --port ${portA} --mount /pertoken/=${dist}`,
      url: `http://127.0.0.1:${portA}/pertoken/`,
      cwd: repoRoot,
      reuseExistingServer: false,
      stdout: 'ignore',
    },
    {
      command: `node scripts/web_serve.mjs --port ${portB} --mount /=${dist} --plain /fixtures/=tests/e2e/fixtures`,
      url: `http://127.0.0.1:${portB}/`,
      cwd: repoRoot,
      reuseExistingServer: false,
      stdout: 'ignore',
    },
  ],
});
