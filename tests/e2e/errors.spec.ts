// Errors land on the field the user changed, in words (issue 12): the core decides both the field
// (tp left to its default blames the device count) and the words ("$3.50", "4k", "1e309"), so the
// page shows exactly what the CLI prints for the same input.
import { expect, test } from '@playwright/test';
import { afterRecompute, cli, openCalculator } from './helpers';

// The CLI's message for one flag, without "pertoken: --flag: ".
function cliMessage(args: string[], flag: string): string {
  const outcome = cli(['estimate', ...args]);
  expect(outcome.ok, args.join(' ')).toBe(false);
  const line = outcome.ok ? '' : outcome.stderr.split('\n')[0]!;
  expect(line.startsWith(`pertoken: ${flag}: `), line).toBe(true);
  return line.slice(`pertoken: ${flag}: `.length);
}

test('Devices = 3 with a 70B model marks Devices, not the tp the user never touched', async ({ page }) => {
  await openCalculator(page, 'model=llama-3.1-70b&num_gpus=2', undefined, false);
  await afterRecompute(page, () => page.getByTestId('field-num_gpus').fill('3'));
  const expected = cliMessage(['--model', 'llama-3.1-70b', '--gpu', 'h100-sxm', '--gpus', '3'], '--gpus');
  expect(expected).toContain('num_gpus = 3 gives the default tp = 3');
  await expect(page.getByTestId('error-num_gpus')).toHaveText(expected);
  await expect(page.getByTestId('field-num_gpus')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('error-tp')).toBeHidden();
  await expect(page.getByTestId('field-tp')).not.toHaveAttribute('aria-invalid', 'true');
  // A tp the user sets is theirs to blame.
  await afterRecompute(page, () => page.getByTestId('field-tp').fill('3'));
  await expect(page.getByTestId('error-tp')).toContainText('tp = 3 must divide the 64 attention heads');
  await expect(page.getByTestId('error-num_gpus')).toBeHidden();
});

const typed = [
  { key: 'usd_per_gpu_hour', flag: '--usd-per-gpu-hour', text: '$3.50', words: "write a plain number like 3.5, not '$3.50'" },
  { key: 'input_tokens', flag: '--input-tokens', text: '4k', words: "write a plain number like 4000, not '4k'" },
  { key: 'usd_per_gpu_hour', flag: '--usd-per-gpu-hour', text: '1e309', words: '1e309 is too large (at most ' },
  { key: 'output_tokens', flag: '--output-tokens', text: 'abc', words: "must be a number, got 'abc'" },
];

test('numbers written as text get the core\'s words at their field, the same as the CLI', async ({ page }) => {
  await openCalculator(page, '', undefined, false);
  for (const { key, flag, text, words } of typed) {
    await afterRecompute(page, () => page.getByTestId(`field-${key}`).fill(text));
    const expected = cliMessage(['--model', 'llama-3.1-8b', '--gpu', 'h100-sxm', flag, text], flag);
    expect(expected.startsWith(words), expected).toBe(true);
    await expect(page.getByTestId(`error-${key}`)).toHaveText(expected);
    await expect(page.getByTestId(`error-${key}`)).not.toContainText('not a string');
    await expect(page.getByTestId(`error-${key}`)).not.toContainText('null');
    await afterRecompute(page, () => page.getByTestId(`field-${key}`).fill(''));
    await expect(page.getByTestId(`error-${key}`)).toBeHidden();
  }
});

test('an output past the model\'s context marks Output tokens, the field to shorten, not Input tokens', async ({ page }) => {
  await openCalculator(page, '', undefined, false);
  await afterRecompute(page, () => page.getByTestId('field-output_tokens').fill('131000'));
  const expected = cliMessage(['--model', 'llama-3.1-8b', '--gpu', 'h100-sxm', '--output-tokens', '131000'], '--output-tokens');
  // Llama 3.1 8B reads 131,072 tokens; the page's prompt is the default 2,000.
  expect(expected).toBe('input_tokens + output_tokens = 133000 exceeds the 131072-token context of llama-3.1-8b');
  await expect(page.getByTestId('error-output_tokens')).toHaveText(expected);
  await expect(page.getByTestId('error-input_tokens')).toBeHidden();
});

test('the CLI refuses --concurrency with --request-rate, as the page does', async ({ page }) => {
  const expected = cliMessage(['--model', 'llama-3.1-8b', '--gpu', 'h100-sxm', '--concurrency', '8', '--request-rate', '2'], '--request-rate');
  expect(expected).toBe('give concurrency or request_rate_per_s, not both');
  await openCalculator(page, '', undefined, false);
  await afterRecompute(page, () => page.getByTestId('field-concurrency').fill('8'));
  await afterRecompute(page, () => page.getByTestId('field-request_rate_per_s').fill('2'));
  await expect(page.getByTestId('error-request_rate_per_s')).toHaveText(expected);
});
