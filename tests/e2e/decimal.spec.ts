// The page formats numbers without Intl and without a call into the module per figure. Its
// figures follow the core's rules, and the core's own formatters (tests/core/figure_text_dump)
// are the oracle they must equal; the planner's compact axis labels (site/src/decimal.ts) follow
// Intl.NumberFormat('en-US'), their oracle. Value for value, over the same seeded values.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';

import { compactText } from '../../site/src/decimal';
import { formatBandwidth, formatBytes, formatCount, formatInteger, formatNumber, formatPercent, formatSeconds, formatUsd } from '../../site/src/format';
import { cliPath } from './helpers';

// A seeded generator (mulberry32), so a failure names a value that reproduces.
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Ties in decimal (x.5, x.x5, 999.95...), carries, signs, zero, the extremes of a double.
const edges = [0, -0, 0.5, 1.5, 2.5, -0.5, 0.005, 0.015, 0.125, 1.005, 999.5, 999.95, 9995, 99950, 999950, 999999.5, 1e15, 5e14, 1.2e16,
  4.91e15, 8.55e16, 1e21, 1.2345e25, 123456789.987, 0.000123456, -1234.5, 1e-7, 5e-324, 1.7976931348623157e308, 0.0004, -0.0004,
  // A rounding that carries into a new digit, and the doubles either side of a power of ten.
  9.9996, -9.9996, 99.996, 0.99996, 0.00099996, 0.09999999999999999, 0.1, 0.10000000000000002, 9.999999999999998, 0.0009999999999999998, 0.001,
  // Figures that would round to 1,000 of a unit, either side: seconds, dollars, bytes, bandwidth.
  0.9995, 0.99949, 0.9996, 0.0009995, 0.0009996, 0.00099949, 99.995, 99.996, 99.994, 1023.5 * 1024 ** 2, 1023.49 * 1024 ** 2, 1023.5 * 1024,
  999.5e9, 999.49e9, -0.9996, -999.5e9, -999.6e9, -999.4e9];

function values(): number[] {
  const random = generator(20261201);
  const out = [...edges];
  for (let i = 0; i < 40_000; i++) {
    let x = random() * 10 ** (Math.floor(random() * 30) - 12);
    if (random() < 0.3) x = -x;
    if (random() < 0.3) x = Number(x.toPrecision(1 + Math.floor(random() * 5))); // short decimals: ties
    if (random() < 0.1) x = Math.round(x * 1000) / 1000 + 0.0005;
    out.push(x);
  }
  return out;
}

test('compact text equals Intl.NumberFormat en-US', () => {
  const intl = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3, notation: 'compact' });
  const differences: string[] = [];
  for (const x of values()) {
    if (intl.format(x) !== compactText(x, 3) && differences.length < 10) differences.push(`compact of ${x}: Intl "${intl.format(x)}", ours "${compactText(x, 3)}"`);
  }
  expect(differences).toEqual([]);
  expect(compactText(2e9, 3)).toBe('2B');
  expect(compactText(999_950, 3)).toBe('1M');
});

test('every figure the page formats reads as the core writes it', () => {
  // The core's formatters on the same values, in the order figure_text_dump prints them; the
  // range is the doubles a figure takes (below 1e-300 and past 1e300 C and JavaScript part on
  // exponent width, which no figure reaches).
  const xs = values().filter((x) => Math.abs(x) < 1e300 && (x === 0 || Math.abs(x) > 1e-300));
  const dump = join(dirname(cliPath), 'tests/core/figure_text_dump');
  const lines = execFileSync(dump, { input: xs.map((x) => String(x)).join('\n'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n');
  const ours: [string, (x: number) => string][] = [
    ['number', formatNumber],
    ['integer', formatInteger],
    ['usd', formatUsd],
    ['seconds', formatSeconds],
    ['bytes', formatBytes],
    ['percent', formatPercent],
    ['bandwidth', formatBandwidth],
    ['count', (x) => formatCount(x, 'figure')],
  ];
  const differences: string[] = [];
  xs.forEach((x, i) => {
    const core = lines[i]!.split('\t');
    ours.forEach(([name, format], j) => {
      if (format(x) !== core[j] && differences.length < 10) differences.push(`${name} of ${x}: core "${core[j]}", page "${format(x)}"`);
    });
  });
  expect(differences).toEqual([]);
  // Spot checks a reader can verify by eye.
  expect(formatUsd(0.094)).toBe('$0.0940');
  expect(formatNumber(100.5)).toBe('100'); // an exact tie goes to the even digit, as C's printf
  expect(formatNumber(9.9996)).toBe('10.0'); // a carry into a new digit keeps three digits
  expect(formatUsd(1.125)).toBe('$1.12');
  expect(formatSeconds(0.00085)).toBe('850 µs');
  expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.50 GiB');
  expect(formatInteger(4355.5)).toBe('4,356');
  expect(formatCount(1, 'error')).toBe('1 error');
  expect(formatCount(2000, 'token')).toBe('2,000 tokens');
});

test('dollars keep their sign before the dollar, as the core writes them', () => {
  // A lever that raises the cost (the planner's savings waterfall) is a negative saving.
  expect(formatUsd(-0.0237)).toBe('-$0.0237');
  expect(formatUsd(-6.876)).toBe('-$6.88');
  expect(formatUsd(-1095.4)).toBe('-$1,095');
  expect(formatUsd(0.0237)).toBe('$0.0237');
  expect(formatUsd(1095.4)).toBe('$1,095');
});
