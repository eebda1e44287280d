// E2E: ask → review → apply → undo in the Code section, with the real Qwen2.5-Coder 0.5B through the browser host:
// an edit request on a fixture file runs live (rounds and checks in the ask panel), its diff opens in the review,
// the hunk is accepted with the keyboard (a), Apply writes it to disk, and Ctrl+Alt+Z restores the file.
// Opt-in (EVOLVE_E2E_REVIEW=1): on the shared 2-core machine under benchmark load the generation had not finished its
// first round after 4 minutes, so this has not been seen passing yet; run it on a quiet machine.
import { linkSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODER_0_5B } from '../fixtures/models/coding-models';
import { cleanupAll } from '../support/e2e/bounded';
import { ProblemCollector, launchChromium, saveScreenshot, type LaunchedBrowser } from '../support/e2e/browser';
import { makeTempDirs, requireBuiltApp, startHost, type HostProcess, type TempDirs } from '../support/e2e/host';

const STEP_MS = 15_000;
const GENERATE_MS = 240_000;
const ORIGINAL = 'def add(a, b):\n    """Return the sum of a and b."""\n    return a - b\n';

let dirs: TempDirs;
let host: HostProcess | undefined;
let chromium: LaunchedBrowser | undefined;
let page: Page;
let fixture = '';
const problems = new ProblemCollector();
const onDisk = () => readFileSync(path.join(fixture, 'calc.py'), 'utf8');

const enabled = CODER_0_5B.present && process.env.EVOLVE_E2E_REVIEW === '1';

describe.skipIf(!enabled)('code review with the real model', () => {
  beforeAll(async () => {
    requireBuiltApp();
    dirs = makeTempDirs('evolve-e2e-review-');
    fixture = path.join(dirs.root, 'calc');
    mkdirSync(fixture);
    writeFileSync(path.join(fixture, 'calc.py'), ORIGINAL);
    // Only the 0.5B model in this run's cache, so it is the default coding model (fast enough for two cores); hard
    // links (same filesystem) avoid copying 0.5 GB, and the cache treats them as the real files they are.
    const own = path.join(dirs.modelCacheDir, CODER_0_5B.id);
    mkdirSync(own);
    for (const f of readdirSync(path.dirname(CODER_0_5B.path))) linkSync(path.join(path.dirname(CODER_0_5B.path), f), path.join(own, f));
    chromium = await launchChromium();
    host = await startHost({ dirs, env: { EVOLVE_MODEL_CACHE: dirs.modelCacheDir } });
    const context = await chromium.browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    problems.watchPage(page);
    await page.goto(host.launchUrl);
    await page.getByTestId('vault-secret').fill('review e2e passphrase');
    await page.getByTestId('vault-unlock').click();
    await page.getByTestId('recovery-key-saved').check({ timeout: STEP_MS });
    await page.getByTestId('recovery-key-done').click();
    await page.getByTestId('nav-projects').click();
    await page.getByTestId('project-path').fill(fixture);
    await page.getByTestId('project-add').click();
    await page.getByTestId('project-state').waitFor({ timeout: STEP_MS });
    await page.getByTestId('nav-code').click();
    await page.getByTestId('code-project').selectOption({ label: 'calc' });
    await page.getByTestId('trust-yes').click({ timeout: STEP_MS });
  }, 90_000);

  afterAll(async () => {
    await cleanupAll([
      ['host', () => host?.stop()],
      ['browser', () => chromium?.close()],
      ['dirs', () => dirs?.remove()],
    ]);
  });

  it(
    'asks for an edit, watches the rounds, accepts the hunk with "a", applies it and undoes it',
    async () => {
      await page.locator('[data-testid="tree-file"][data-path="calc.py"]').click();
      await page.getByTestId('ask-prompt').fill('Fix the bug in add: it must return a + b.');
      await page.getByTestId('ask-type').selectOption('edit');
      await page.getByTestId('ask-lang').selectOption('python');
      await page.getByTestId('ask-target').fill('calc.py');
      await page.getByTestId('ask-prompt').focus();
      await page.keyboard.press('Control+Enter');
      await page.getByTestId('ask-progress').waitFor({ timeout: STEP_MS });
      // The first round starts (or the run fails, which fails here at once with its message).
      const started = () =>
        Promise.all([
          page.getByTestId('ask-progress').textContent(),
          page
            .getByTestId('ask-error')
            .textContent({ timeout: 50 })
            .catch(() => ''),
        ]);
      await expect.poll(async () => (await started()).join(' | '), { timeout: GENERATE_MS }).toMatch(/round 1|Error|:/);
      expect((await started())[1]).toBe('');
      await saveScreenshot(page, 'code-review-running');
      await page.getByTestId('diff-review').waitFor({ timeout: GENERATE_MS });
      const hunks = page.getByTestId('hunk');
      expect(await hunks.count()).toBeGreaterThan(0);
      await saveScreenshot(page, 'code-review-diff');

      // Keyboard: focus out of the text fields, then a accepts the hunk under the cursor.
      await page.getByTestId('review-counts').click();
      await page.keyboard.press('a');
      await expect.poll(() => hunks.first().getAttribute('data-decision'), { timeout: STEP_MS }).toBe('accepted');
      await page.getByTestId('review-apply').click();
      await page.getByTestId('review-applied').waitFor({ timeout: STEP_MS });
      expect(onDisk()).not.toBe(ORIGINAL);
      expect(onDisk()).toMatch(/a \+ b/);
      await saveScreenshot(page, 'code-review-applied');

      await page.keyboard.press('Control+Alt+z');
      await page.getByTestId('checkpoint-restored').waitFor({ timeout: STEP_MS });
      await expect.poll(onDisk, { timeout: STEP_MS }).toBe(ORIGINAL);
      expect(problems.format()).toBe('');
    },
    GENERATE_MS + 60_000,
  );
});
