// E2E: chat mechanics with the small Gemma 3 270M test model (a BASE model) alone in the model cache, in the browser
// host — the fallback label that says the coding model is missing, the Fibonacci question streamed with speed and
// first-token time, stop mid-stream, regenerate, and the thread found again after a reload. Assertions are about what
// the model really does (it is not instruction-tuned), never a hoped-for answer. The coding model: coding-model.test.ts.
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAll } from '../support/e2e/bounded';
import { ProblemCollector, launchChromium, saveScreenshot, type LaunchedBrowser } from '../support/e2e/browser';
import { makeTempDirs, startHost, type HostProcess, type TempDirs } from '../support/e2e/host';
import { HAVE_MODEL as haveModel, MODEL_PATH, SKIP_REASON } from '../fixtures/models/default-model';
if (!haveModel) console.warn(`[e2e] chat test skipped: ${SKIP_REASON}`);

const STEP_MS = 30_000;
const GEN_MS = 180_000;

let dirs: TempDirs;
let host: HostProcess | undefined;
let chromium: LaunchedBrowser | undefined;
let page: Page;
const problems = new ProblemCollector();

async function streamedAnswer(): Promise<{ lengths: number[]; final: string }> {
  const lengths: number[] = [];
  const streaming = page.getByTestId('message-streaming');
  await streaming.waitFor({ timeout: STEP_MS });
  const end = Date.now() + GEN_MS;
  while (Date.now() < end && (await streaming.count()) > 0) {
    lengths.push(((await streaming.textContent().catch(() => '')) ?? '').length);
    await page.waitForTimeout(50);
  }
  const last = page.getByTestId('message-assistant').last();
  return { lengths, final: (await last.textContent()) ?? '' };
}

beforeAll(async () => {
  if (!haveModel) return;
  dirs = makeTempDirs('evolve-e2e-chat-');
  // Only the test model in the cache (linked, not copied): a fast model, and the fallback path of the default choice.
  mkdirSync(path.join(dirs.modelCacheDir, 'gemma-3-270m'));
  symlinkSync(MODEL_PATH, path.join(dirs.modelCacheDir, 'gemma-3-270m', path.basename(MODEL_PATH)));
  chromium = await launchChromium();
  host = await startHost({ dirs });
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
  problems.watchPage(page);
  await page.goto(host.launchUrl);
  await page.getByTestId('vault-secret').fill('chat e2e passphrase');
  await page.getByTestId('vault-unlock').click();
  await page.getByTestId('recovery-key-saved').check({ timeout: STEP_MS });
  await page.getByTestId('recovery-key-done').click();
}, 120_000);

afterAll(async () => {
  await cleanupAll([
    ['host', () => host?.stop()],
    ['browser', () => chromium?.close()],
    ['dirs', () => dirs?.remove()],
  ]);
});

describe.skipIf(!haveModel)(`chat with the default local model${haveModel ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('lists the test model with its abilities (base, no FIM), licence and the CPU/GPU backend', async () => {
    await page.getByTestId('nav-models').click();
    const row = page.getByTestId('model-row').filter({ hasText: 'gemma' }).first();
    await row.waitFor({ timeout: STEP_MS });
    expect(await row.textContent()).toMatch(/gemma3.*Q4_K_M.*base model — for tests/i);
    expect(await row.getByTestId('model-abilities').textContent()).toMatch(/no chat template.*No FIM tokens.*Context 32,768 tokens/);
    expect(await row.getByTestId('model-license').textContent()).toMatch(/Gemma Terms of Use/);
    await page.getByTestId('engine-backend').waitFor({ timeout: STEP_MS });
    expect(await page.getByTestId('engine-backend').textContent()).toMatch(/^(CPU|CUDA|VULKAN|METAL)/);
    await saveScreenshot(page, 'models');
  });

  it('streams an answer to the Fibonacci question with tok/s and first-token time', async () => {
    await page.getByTestId('nav-assistant').click();
    await expect.poll(() => page.getByTestId('chat-model').textContent(), { timeout: STEP_MS }).toMatch(/gemma/i);
    // Picked as the fallback, and the page says so: a base model, and the coding model is not installed.
    expect(await page.getByTestId('chat-model-note').textContent()).toMatch(
      /base model: it continues text.*Qwen2\.5 Coder 1\.5B Instruct Q4_K_M\) is not installed/,
    );
    // Enough tokens to see the answer grow and to time it; the base model would otherwise ramble to 512 (CI time).
    await page.getByLabel('Max tokens').fill('160');
    await page.getByTestId('chat-input').fill('Write a Python function that returns the nth Fibonacci number');
    await page.getByTestId('chat-send').click();
    const { lengths, final } = await streamedAnswer();
    // Streaming means the page showed the answer growing, not one jump at the end.
    expect(new Set(lengths.filter((l) => l > 1)).size, `lengths seen: ${lengths.join(',')}`).toBeGreaterThan(1);
    expect(final.trim().length).toBeGreaterThan(0);
    const stats = (await page.getByTestId('message-stats').last().textContent()) ?? '';
    expect(stats).toMatch(/\d+ tokens · \d+(\.\d)? tok\/s · first token \d+ ms/);
    // A base model may or may not answer with code; when it does, the block is highlighted with a copy button.
    const blocks = page.getByTestId('message-assistant').last().locator('.code-block');
    if ((await blocks.count()) > 0) {
      expect(await blocks.first().locator('[data-testid="copy-code"]').count()).toBe(1);
    }
    console.info(`[e2e] answer (${final.length} chars): ${final.slice(0, 200).replace(/\n/g, ' ')} | ${stats}`);
    await saveScreenshot(page, 'chat-fibonacci');
  });

  it('stops a long answer mid-stream and keeps the partial text, marked stopped', async () => {
    // A long answer, so the stop lands mid-stream.
    await page.getByLabel('Max tokens').fill('512');
    await page.getByTestId('chat-input').fill('Once upon a time, in a land far away, there lived a dragon who');
    await page.getByTestId('chat-send').click();
    const streaming = page.getByTestId('message-streaming');
    await streaming.waitFor({ timeout: STEP_MS });
    await expect.poll(async () => ((await streaming.textContent()) ?? '').length, { timeout: GEN_MS }).toBeGreaterThan(3);
    await page.getByTestId('chat-stop').click();
    await streaming.waitFor({ state: 'detached', timeout: STEP_MS });
    const meta = (await page.getByTestId('message-stats').last().textContent()) ?? '';
    // This base model rambles to max tokens (512, set above, at ~60 tok/s here), so a stop after the first words lands.
    expect(meta).toMatch(/stopped/);
    const partial = (await page.getByTestId('message-assistant').last().textContent()) ?? '';
    expect(partial.length).toBeGreaterThan(0);
    console.info(`[e2e] after stop: ${meta}`);
    await page.getByTestId('chat-input').waitFor();
    expect(await page.getByTestId('chat-send').isVisible()).toBe(true);
  });

  it('regenerates the last answer and finds the thread again after a reload', async () => {
    await page.getByLabel('Max tokens').fill('160');
    const before = await page.getByTestId('message-assistant').count();
    await page.getByTestId('regenerate').click();
    await streamedAnswer();
    expect(await page.getByTestId('message-assistant').count()).toBe(before);
    // The app (host) stays unlocked across a page reload; the thread comes back from the encrypted store.
    await page.reload();
    await page.getByTestId('status-version').waitFor({ timeout: STEP_MS });
    expect(await page.getByTestId('vault-gate').count()).toBe(0);
    await page.getByTestId('nav-assistant').click();
    await page.locator('.thread-title').first().click({ timeout: STEP_MS });
    await expect.poll(() => page.getByTestId('message-user').count(), { timeout: STEP_MS }).toBe(2);
    expect(problems.format()).toBe('');
  });
});
