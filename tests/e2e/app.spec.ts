// The desktop app in the browser (/app/: web/app_platform.cpp + native/app compiled to
// WebAssembly, drawn by Dear ImGui into a WebGL 2 canvas) under the site's CSP: it starts with no
// violation, error or outside request, draws a non-blank canvas that answers the keyboard, and the
// calculator page never loads it. The screenshots are kept under PERTOKEN_E2E_OUT/screenshots.
import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { csp, openCalculator, originA, outsideOrigins, record, repoRoot, siteA } from './helpers';

const folder = join(repoRoot, process.env['PERTOKEN_E2E_OUT'] ?? 'build/e2e', 'screenshots');
mkdirSync(folder, { recursive: true });

// Grey levels of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium's screenshots are).
function greyLevels(png: Buffer): { width: number; height: number; grey: Float64Array } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  let offset = 8;
  let width = 0, height = 0, channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('latin1');
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(body[8]).toBe(8); // bit depth
      expect(body[12]).toBe(0); // no interlace
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
      expect(channels).toBeGreaterThan(0);
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      pixels[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  const grey = new Float64Array(width * height);
  for (let i = 0; i < width * height; i++) {
    grey[i] = (pixels[i * channels]! + pixels[i * channels + 1]! + pixels[i * channels + 2]!) / (3 * 255);
  }
  return { width, height, grey };
}

function deviation(values: Float64Array): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

test('the app loads at /app/ under the CSP and draws a non-blank canvas', async ({ page, context }) => {
  const recorder = await record(context);
  const response = await page.goto(`${siteA}app/`);
  expect(response!.headers()['content-security-policy']).toBe(csp);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  const canvas = page.getByTestId('app-canvas');
  // A few frames for the tables and tab bars to size themselves.
  await page.waitForTimeout(1500);
  const calculator = await canvas.screenshot();
  writeFileSync(join(folder, 'app-calculator.png'), calculator);
  const shot = greyLevels(calculator);
  const box = (await canvas.boundingBox())!;
  expect(shot.width).toBe(Math.round(box.width));
  expect(shot.height).toBe(Math.round(box.height));
  expect(deviation(shot.grey)).toBeGreaterThan(0.05);

  // The keyboard reaches the app: Ctrl+2 shows the planner, a different picture.
  await canvas.click({ position: { x: box.width / 2, y: box.height - 10 } });
  await page.keyboard.press('Control+2');
  // ImGui spreads the click and the key over several frames, and a loaded 2-core CI machine
  // draws few frames a second: poll for the new picture instead of trusting one fixed wait.
  // The share of the canvas's pixels that differ from `before`, saving the new picture as `name`.
  const changedShare = (before: Float64Array, name: string) => async () => {
    const now = greyLevels(await canvas.screenshot({ path: join(folder, name) }));
    let changed = 0;
    for (let i = 0; i < now.grey.length; i++) if (Math.abs(now.grey[i]! - before[i]!) > 0.1) changed++;
    return changed / now.grey.length;
  };
  await expect.poll(changedShare(shot.grey, 'app-planner.png'), { timeout: 20_000, intervals: [500] }).toBeGreaterThan(0.05);

  // A tap shorter than a frame still counts: Ctrl+1 pressed and released within one task, so no
  // frame can see the key held (what a slow frame or a fast typist does). Polling the key state
  // once a frame lost it; the app queues shortcuts from the key callback instead.
  const planner = greyLevels(await canvas.screenshot());
  await page.evaluate(() => {
    const key = (type: string, keyCode: number, code: string, ctrlKey: boolean) =>
      window.dispatchEvent(new KeyboardEvent(type, { keyCode, code, ctrlKey, bubbles: true }));
    key('keydown', 17, 'ControlLeft', true);
    key('keydown', 49, 'Digit1', true);
    key('keyup', 49, 'Digit1', true);
    key('keyup', 17, 'ControlLeft', false);
  });
  await expect
    .poll(changedShare(planner.grey, 'app-calculator-again.png'), { timeout: 20_000, intervals: [500] })
    .toBeGreaterThan(0.05);

  expect(recorder.violations).toEqual([]);
  expect(recorder.errors).toEqual([]);
  expect(outsideOrigins(recorder.requests, [originA])).toEqual([]);
  expect(recorder.requests).toContain(`${siteA}app/pertoken-app.wasm`);
});

test('the calculator page does not load the app', async ({ page, context }) => {
  const recorder = await record(context);
  await openCalculator(page);
  expect(recorder.requests.filter((url) => url.includes('/app/') || url.includes('pertoken-app'))).toEqual([]);
});
