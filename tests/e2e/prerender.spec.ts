// The answer bar prerendered into index.html at build time (scripts/web_prerender.mjs): it is the
// page's own answer for the bare URL, equal to the CLI's, and it shows only where it is the
// visitor's answer: never on a link with settings, nor where this browser keeps a catalog file or
// imported models (site/src/prerendered.ts). The page's own answer takes its place.
import { expect, test, type Page } from '@playwright/test';
import { cliEstimate } from './helpers';

// The answer bar as index.html carries it, parsed by the browser.
async function prerendered(page: Page): Promise<{ marked: boolean; body: string }> {
  const html = await (await page.request.get('./')).text();
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'text/html');
    return { marked: doc.querySelector('#answer')?.hasAttribute('data-prerendered') ?? false, body: doc.querySelector('#answer-body')?.innerHTML ?? '' };
  }, html);
}

test('the prerendered answer is the one the page computes, and the CLI gives the same figure', async ({ page }) => {
  await page.goto('./favicon.svg'); // an origin to parse in, before the page itself
  const shipped = await prerendered(page);
  expect(shipped.marked).toBe(true);
  const expected = cliEstimate({ model: 'llama-3.1-8b', gpu: 'h100-sxm' });
  expect(expected.ok).toBe(true);
  if (!expected.ok) return;
  expect(shipped.body).toContain(`data-testid="answer-usd_per_million_tokens" data-value="${String(expected.result['usd_per_million_tokens'])}"`);

  await page.goto('./');
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('answer')).not.toHaveAttribute('data-prerendered', /.*/);
  expect(await page.locator('#answer-body').innerHTML()).toBe(shipped.body);
});

// The core never arrives (its download is held): what shows is the prerendered bar or nothing.
async function openWithoutCore(page: Page, path: string): Promise<void> {
  await page.route(/pertoken\.wasm$/, () => new Promise(() => {}));
  await page.goto(path, { waitUntil: 'domcontentloaded' });
  // The boot script has run (it makes the page's table of early compiles).
  await page.waitForFunction(() => '__pertokenCompiles' in globalThis);
}

test('the prerendered answer shows on the bare URL before the core has run', async ({ page }) => {
  await openWithoutCore(page, './');
  await expect(page.getByTestId('answer-usd_per_million_tokens')).toBeVisible();
  await expect(page.locator('#form [data-testid="field-model"]')).toHaveCount(0); // no core, no form
});

for (const path of ['./?model=llama-3.1-70b', './#model=llama-3.1-70b&gpu=h200-sxm']) {
  test(`a link with settings never shows the prerendered answer (${path})`, async ({ page }) => {
    await openWithoutCore(page, path);
    await expect(page.getByTestId('answer')).toBeHidden();
  });
}

for (const key of ['pertoken.catalog', 'pertoken.models']) {
  test(`a browser that keeps ${key} never shows the prerendered answer`, async ({ page }) => {
    await page.addInitScript((stored) => window.localStorage.setItem(stored, '{}'), key);
    await openWithoutCore(page, './');
    await expect(page.getByTestId('answer')).toBeHidden();
  });
}

test('a core that fails to start takes the prerendered answer away with it', async ({ page }) => {
  await page.route(/pertoken\.wasm$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto('./');
  await expect(page.locator('#loading')).toHaveClass(/failed/);
  await expect(page.getByTestId('answer')).toBeHidden();
});

test('a page whose script does not load takes the prerendered answer away and says why', async ({ page }) => {
  await page.route(/\/assets\/main\.js$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto('./');
  await expect(page.locator('#loading')).toHaveClass(/failed/);
  await expect(page.locator('#loading')).toContainText('did not load');
  await expect(page.getByTestId('answer')).toBeHidden();
});

// The first paint of the bare URL has the header and the prerendered answer to lay out, nothing
// more: the rest of the page is a <template> that the boot script places after that paint
// (site/src/page-body.ts). Laying out the charts' captions, the catalog form and the rest held that
// paint back ~70 ms on a 2-core machine (scripts/web_budget.mjs measures the time).
test('the page below the answer bar waits in a template, and is placed once, whole', async ({ page }) => {
  await page.goto('./favicon.svg'); // an origin to parse in, before the page itself
  const html = await (await page.request.get('./')).text();
  const shipped = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'text/html');
    const template = doc.querySelector('template#page-body');
    const inside = (selector: string) => template instanceof HTMLTemplateElement && template.content.querySelector(selector) !== null;
    return {
      answerOutside: doc.querySelector('body > #answer [data-testid="answer-usd_per_million_tokens"]') !== null,
      headerOutside: doc.querySelector('body > header') !== null,
      inTemplate: ['#results', '#form', '.charts', '#catalog', '#embed-dialog', 'footer'].map(inside),
      scriptsInBody: doc.body.querySelectorAll('script').length,
    };
  }, html);
  expect(shipped).toEqual({ answerOutside: true, headerOutside: true, inTemplate: [true, true, true, true, true, true], scriptsInBody: 0 });

  for (const path of ['./', './?model=llama-3.1-70b']) {
    await page.goto(path);
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    await expect(page.locator('template#page-body')).toHaveCount(0);
    for (const id of ['#results', '#form', '#catalog', '#embed-dialog']) await expect(page.locator(id)).toHaveCount(1);
    await expect(page.locator('#form [data-testid="field-model"]')).toBeVisible();
  }
});
