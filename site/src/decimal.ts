// Compact en-US number text ("1.25K", "2B") for the planner's axes, without Intl: the first
// Intl.NumberFormat a fresh page makes costs ~60-80 ms in Chromium on the 2-core test machine (it
// loads the locale data). Output equals Intl.NumberFormat('en-US', ...) for the options used here
// (tests/e2e/decimal.spec.ts compares them over many values): rounding is half away from zero
// ("halfExpand") on the shortest decimal that reads back as the number, as ECMA-402 specifies.
// Every other figure follows the core's rules instead (format.ts).

// The shortest round-trip decimal of |value|: its digits without leading zeros and the power of
// ten of the first one (1234.5 -> "12345", 3).
function shortestDigits(value: number): { digits: string; exponent: number } {
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e') as [string, string];
  return { digits: mantissa.replace('.', ''), exponent: Number(exponent) };
}

// Keeps `keep` leading digits, rounding half away from zero; a carry adds a digit in front.
function roundDigits(digits: string, exponent: number, keep: number): { digits: string; exponent: number } {
  if (keep >= digits.length) return { digits, exponent };
  if (keep < 0) return { digits: '0', exponent };
  const kept = digits.slice(0, keep);
  if (digits.charCodeAt(keep) < 53 /* '5' */) return { digits: kept || '0', exponent };
  const incremented = (BigInt(kept || '0') + 1n).toString();
  return { digits: incremented, exponent: incremented.length > kept.length ? exponent + 1 : exponent };
}

function grouped(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// Digits d1 d2 ... with the first at 10^exponent -> "1,234.5" with at least minFraction decimals
// and no trailing zeros beyond them.
function layout(negative: boolean, digits: string, exponent: number, minFraction: number, minGroupingDigits = 1): string {
  let integer: string;
  let fraction: string;
  if (digits === '0') {
    integer = '0';
    fraction = '';
  } else if (exponent >= 0) {
    integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    fraction = digits.slice(exponent + 1);
  } else {
    integer = '0';
    fraction = '0'.repeat(-exponent - 1) + digits;
  }
  fraction = fraction.replace(/0+$/, '').padEnd(minFraction, '0');
  return (negative ? '-' : '') + (integer.length >= 3 + minGroupingDigits ? grouped(integer) : integer) + (fraction ? '.' + fraction : '');
}

const isNegative = (value: number) => value < 0 || Object.is(value, -0);

// Intl.NumberFormat('en-US', { maximumSignificantDigits: significant, notation: 'compact' }):
// "950", "1.25K", "2B", "1.5T"; the suffix follows the magnitude after rounding (999,950 -> "1M");
// beyond the trillions the count of T is grouped from five digits on ("4910T", "85,500T"): Intl's
// compact notation uses the "min2" grouping strategy.
export function compactText(value: number, significant: number): string {
  if (value === 0) return isNegative(value) ? '-0' : '0';
  const { digits, exponent } = shortestDigits(value);
  const rounded = roundDigits(digits, exponent, significant);
  const suffixes = ['', 'K', 'M', 'B', 'T'];
  const step = Math.min(Math.max(Math.floor(rounded.exponent / 3), 0), suffixes.length - 1);
  return layout(isNegative(value), rounded.digits, rounded.exponent - 3 * step, 0, 2) + suffixes[step];
}
