// The page formats numbers without Intl (site/src/decimal.ts, to spare the first answer Intl's
// start-up cost); Intl.NumberFormat('en-US') is the oracle its text must equal, value for value.
import { expect, test } from '@playwright/test';

import { compactText, fixedText, significantText } from '../../site/src/decimal';
import { formatUsd } from '../../site/src/format';

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
  4.91e15, 8.55e16, 1e21, 1.2345e25, 123456789.987, 0.000123456, -1234.5, 1e-7, 5e-324, 1.7976931348623157e308, 0.0004, -0.0004];

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

test('significant, fixed and compact text equal Intl.NumberFormat en-US', () => {
  const formats: [string, Intl.NumberFormat, (x: number) => string][] = [
    ['3 significant', new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }), (x) => significantText(x, 3)],
    ['whole', new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }), (x) => fixedText(x, 0, 0)],
    ['1 decimal', new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }), (x) => fixedText(x, 1, 1)],
    ['2 decimals', new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }), (x) => fixedText(x, 2, 2)],
    ['compact', new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3, notation: 'compact' }), (x) => compactText(x, 3)],
  ];
  const differences: string[] = [];
  for (const x of values()) {
    for (const [name, intl, ours] of formats) {
      if (intl.format(x) !== ours(x) && differences.length < 10) differences.push(`${name} of ${x}: Intl "${intl.format(x)}", ours "${ours(x)}"`);
    }
  }
  expect(differences).toEqual([]);
  // Spot checks a reader can verify by eye.
  expect(significantText(0.04411, 3)).toBe('0.0441');
  expect(fixedText(4355.5, 0, 0)).toBe('4,356');
  expect(compactText(2e9, 3)).toBe('2B');
  expect(compactText(999_950, 3)).toBe('1M');
});

test('dollars keep their sign before the dollar, as the core writes them', () => {
  // A lever that raises the cost (the planner's savings waterfall) is a negative saving.
  expect(formatUsd(-0.0237)).toBe('-$0.0237');
  expect(formatUsd(-6.876)).toBe('-$6.88');
  expect(formatUsd(-1095.4)).toBe('-$1,095');
  expect(formatUsd(0.0237)).toBe('$0.0237');
  expect(formatUsd(1095.4)).toBe('$1,095');
});
