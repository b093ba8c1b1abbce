// "Why this number": the page's panel says what the core says, line for line. The core's lines
// (pertoken/text/why_words.hpp) are what `pertoken estimate --why` prints and the app shows;
// site/src/why.ts writes its own copy (it links the catalog's sources inside the sentences), and
// this test holds the two equal on scenarios that take each branch: a dense model, a
// mixture-of-experts one (weights read fewer than held), two pools with a typed price (the
// prefill pool's wait), speculative decoding (tokens a step), a pipeline (weights read more than
// a stage holds), a static batch, input tokens dearer than output, and a deployment that does not
// run.
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { cliPath, openCalculator, query, scratchFile } from './helpers';

type Line = { kind: 'heading' | 'paragraph' | 'item'; text: string };

// The CLI's "Why this number": sections apart by a blank line, a heading flush left, a step's
// parts as "  - ", other sentences indented by two spaces.
function cliWhy(scenario: Record<string, unknown>): Line[][] {
  const out = execFileSync(cliPath, ['estimate', '--scenario', scratchFile('why.json', JSON.stringify(scenario)), '--why'], { encoding: 'utf8' });
  const start = out.indexOf('\nWhy this number\n');
  expect(start, 'the CLI prints "Why this number"').toBeGreaterThan(0);
  return out
    .slice(start + '\nWhy this number\n'.length)
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line !== ''))
    .filter((lines) => lines.length > 0)
    .map((lines) =>
      lines.map((line): Line => {
        if (line.startsWith('  - ')) return { kind: 'item', text: line.slice(4) };
        if (line.startsWith('  ')) return { kind: 'paragraph', text: line.slice(2) };
        return { kind: 'heading', text: line };
      }),
    );
}

// The page's panel in the same shape: each section's h4, p and li in document order (a link to a
// source inside a sentence is part of its text).
async function pageWhy(page: Page): Promise<Line[][]> {
  return page.locator('#why').evaluate((why) => {
    const kinds: Record<string, 'heading' | 'paragraph' | 'item'> = { H4: 'heading', P: 'paragraph', LI: 'item' };
    const text = (e: Element) => (e.textContent ?? '').replace(/\s+/g, ' ').trim();
    return Array.from(why.querySelectorAll('[data-testid^="why-"]'))
      .filter((e) => e.parentElement?.closest('[data-testid^="why-"]') === null)
      .map((section) => (section.tagName === 'P' ? [section] : Array.from(section.querySelectorAll('h4, p, li'))).map((e) => ({ kind: kinds[e.tagName]!, text: text(e) })));
  });
}

const scenarios: { what: string; scenario: Record<string, unknown>; runs: boolean }[] = [
  { what: 'a dense model on one GPU', scenario: { model: 'llama-3.1-8b', gpu: 'h100-sxm' }, runs: true },
  { what: 'a mixture-of-experts model', scenario: { model: 'gpt-oss-120b', gpu: 'h100-sxm' }, runs: true },
  { what: 'two pools at a typed price', scenario: { model: 'llama-3.1-70b', gpu: 'h100-sxm', num_gpus: 4, prefill_gpus: 4, usd_per_gpu_hour: 6.88 }, runs: true },
  { what: 'speculative decoding', scenario: { model: 'deepseek-r1', gpu: 'h200-sxm', num_gpus: 8, ep: 8, speculative: 'mtp' }, runs: true },
  { what: 'a pipeline of two stages', scenario: { model: 'llama-3.1-70b', gpu: 'h100-sxm', num_gpus: 4, pp: 2 }, runs: true },
  { what: 'a static batch', scenario: { model: 'llama-3.1-8b', gpu: 'h100-sxm', concurrency: 8, batching: 'static' }, runs: true },
  { what: 'input tokens dearer than output', scenario: { model: 'llama-3.1-8b', gpu: 'h100-sxm', input_tokens: 100 }, runs: true },
  { what: 'weights beyond the memory', scenario: { model: 'llama-3.1-405b', gpu: 'l4', num_gpus: 1 }, runs: false },
];

for (const { what, scenario, runs } of scenarios) {
  test(`the why-panel says what the core says: ${what}`, async ({ page }) => {
    const expected = cliWhy(scenario);
    // The branch this scenario is here for, so a change of catalog cannot quietly skip it.
    expect(expected.length, JSON.stringify(expected)).toBe(runs ? 4 : 1);
    const says = (section: number, words: string) => expected[section]!.some((l) => l.text.includes(words));
    if (what === 'a mixture-of-experts model') expect(says(0, 'held per GPU')).toBe(true);
    // A pipeline's step reads more than a stage holds: the lookup-and-routing words do not fit it.
    if (what === 'a pipeline of two stages') expect(says(0, 'Weight reads:') && !says(0, 'held per GPU')).toBe(true);
    if (what === 'speculative decoding') expect(says(0, 'Speculative decoding (mtp): ')).toBe(true);
    if (what === 'two pools at a typed price') expect(says(1, 'waiting for the prefill pool')).toBe(true);
    // Input dearer than output: the split claims neither is the dearer.
    if (what === 'input tokens dearer than output') expect(says(2, 'cost more')).toBe(false);
    await openCalculator(page, query(scenario));
    await expect(page.getByTestId(runs ? 'why-decode' : 'why-no-fit')).toHaveCount(1);
    expect(await pageWhy(page)).toEqual(expected);
  });
}
