// E2E in Chromium via the browser host, on a fixture project that is a git repository with an uncommitted change:
// the Code section's Git panel lists the change and shows its diff (g toggles it), and "Use selection" takes the
// editor's lines as the ask panel's target. With the real Qwen2.5-Coder 0.5B: the panel drafts a commit message (the
// user's git untouched); in the Assistant, `@` opens the mention menu and picking a file adds it, and a code-block
// answer's "Apply to file…" opens the diff/apply panel and applies through the checkpointed path, after which the Git
// panel lists the new file; last, the panel's review streams the engine's answer into findings — under heavy load it
// may not finish in 5 minutes, and then the streamed part and Cancel are checked instead (the test log says which).
// Model steps are skipped, with the reason, without the 0.5B; what the small model writes is checked for shape only.
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODER_0_5B } from '../fixtures/models/coding-models';
import { cleanupAll } from '../support/e2e/bounded';
import { ProblemCollector, launchChromium, saveScreenshot, type LaunchedBrowser } from '../support/e2e/browser';
import { makeTempDirs, requireBuiltApp, startHost, type HostProcess, type TempDirs } from '../support/e2e/host';

const STEP_MS = 20_000;
const INDEX_MS = 90_000;
/** One answer of the 0.5B on two loaded cores (model load included) took 40–130 s in the integration test. */
const MODEL_MS = 300_000;
const COMMITTED = 'def total(prices):\n    return sum(prices)\n';
const CHANGED =
  'def total(prices, discount=0.0):\n    """Sum of the prices minus a discount fraction."""\n    return sum(prices) * (1 - discount)\n';
const haveModel = CODER_0_5B.present;
if (!haveModel) console.warn(`[e2e] code-git-chat model steps skipped: ${CODER_0_5B.skipReason}`);

let dirs: TempDirs;
let host: HostProcess | undefined;
let chromium: LaunchedBrowser | undefined;
let page: Page;
let fixture = '';
const problems = new ProblemCollector();

const git = (...args: string[]): string =>
  execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args], {
    cwd: fixture,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
const gitState = () => ({
  status: git('status', '--porcelain'),
  log: git('log', '--all', '--format=%H %s'),
  index: readFileSync(path.join(fixture, '.git', 'index')),
});
const gitFile = (p: string) => page.locator(`[data-testid="git-file"][data-path="${p}"]`);

beforeAll(async () => {
  requireBuiltApp();
  dirs = makeTempDirs('evolve-e2e-git-chat-');
  fixture = path.join(dirs.root, 'shop');
  mkdirSync(path.join(fixture, 'src'), { recursive: true });
  writeFileSync(path.join(fixture, 'src', 'cart.py'), COMMITTED);
  writeFileSync(path.join(fixture, 'README.md'), '# shop\n');
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.invalid', 'commit', '-q', '-m', 'initial');
  // The uncommitted work the Git panel shows: a modified file and a new one git does not track yet.
  writeFileSync(path.join(fixture, 'src', 'cart.py'), CHANGED);
  writeFileSync(path.join(fixture, 'TODO.md'), '- discounts\n');
  if (haveModel) {
    // Only the 0.5B in this run's model cache, so it is the default (chat and coding) model; hard links, not copies.
    const own = path.join(dirs.modelCacheDir, CODER_0_5B.id);
    mkdirSync(own);
    for (const f of readdirSync(path.dirname(CODER_0_5B.path))) linkSync(path.join(path.dirname(CODER_0_5B.path), f), path.join(own, f));
  }
  chromium = await launchChromium();
  host = await startHost({ dirs, env: { EVOLVE_INFERENCE_THREADS: '2' } });
  const context = await chromium.browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  problems.watchPage(page);
  await page.goto(host.launchUrl);
  await page.getByTestId('vault-secret').fill('git chat e2e passphrase');
  await page.getByTestId('vault-unlock').click();
  await page.getByTestId('recovery-key-saved').check({ timeout: STEP_MS });
  await page.getByTestId('recovery-key-done').click();
  await page.getByTestId('nav-projects').click();
  await page.getByTestId('project-path').fill(fixture);
  await page.getByTestId('project-add').click();
  await page.getByTestId('project-state').first().waitFor({ timeout: STEP_MS });
}, 90_000);

afterAll(async () => {
  await cleanupAll([
    ['host', () => host?.stop()],
    ['browser', () => chromium?.close()],
    ['dirs', () => dirs?.remove()],
  ]);
});

describe('Git panel, use selection, chat mentions and apply', () => {
  it(
    'indexes the fixture project (the mention menu lists what the index holds)',
    async () => {
      await page.getByTestId('project-index').click();
      await expect.poll(() => page.getByTestId('project-state').first().textContent(), { timeout: INDEX_MS }).toMatch(/done · \d+ files/);
    },
    INDEX_MS + 10_000,
  );

  it('lists the uncommitted changes and shows a file’s diff; g toggles the panel', async () => {
    await page.getByTestId('nav-code').click();
    await page.getByTestId('code-project').selectOption({ label: 'shop' });
    await page.getByTestId('trust-yes').click({ timeout: STEP_MS });
    await page.getByTestId('code-tab-git').click();
    await gitFile('src/cart.py').waitFor({ timeout: STEP_MS });
    expect(await gitFile('src/cart.py').getAttribute('data-kind')).toBe('modified');
    expect(await gitFile('TODO.md').getAttribute('data-kind')).toBe('untracked');
    await gitFile('src/cart.py').click();
    // The diff view (@codemirror/merge under the CSP): the new side's changed lines.
    const changed = page.getByTestId('git-diff').locator('.cm-changedLine');
    await expect.poll(() => changed.count(), { timeout: STEP_MS }).toBe(3);
    expect((await changed.allTextContents()).join('\n')).toContain('return sum(prices) * (1 - discount)');
    await saveScreenshot(page, 'code-git-panel');
    await gitFile('TODO.md').click();
    await page.getByTestId('git-no-text-diff').waitFor({ timeout: STEP_MS });

    // g (outside text fields) switches to the editor and back.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('g');
    await expect.poll(() => page.getByTestId('git-panel').count(), { timeout: STEP_MS }).toBe(0);
    await page.keyboard.press('g');
    await page.getByTestId('git-panel').waitFor({ timeout: STEP_MS });
  });

  it('"Use selection" makes the editor’s selected lines the ask panel’s target', async () => {
    await page.getByTestId('code-tab-editor').click();
    await page.locator('[data-testid="tree-dir"][data-path="src"]').click();
    await page.locator('[data-testid="tree-file"][data-path="src/cart.py"]').click();
    const content = page.getByTestId('code-editor-content');
    await expect.poll(() => content.textContent(), { timeout: STEP_MS }).toContain('def total');
    await content.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.getByTestId('ask-use-selection').click();
    const chip = page.getByTestId('ask-selection');
    await chip.waitFor({ timeout: STEP_MS });
    expect(await chip.textContent()).toMatch(/Lines 1–2 of src\/cart\.py \(\d+ characters\)/);
    expect(await page.getByTestId('ask-target').inputValue()).toBe('src/cart.py');
    await saveScreenshot(page, 'code-use-selection');
    await page.getByTestId('ask-selection-clear').click();
    expect(await chip.count()).toBe(0);
  });

  it.skipIf(!haveModel)(
    'drafts a commit message with the real model into a text box; nothing is committed',
    async () => {
      const before = gitState();
      await page.getByTestId('code-tab-git').click();
      await page.getByTestId('git-draft-run').click();
      const text = page.getByTestId('git-commit-text');
      try {
        await text.waitFor({ timeout: MODEL_MS });
      } catch (e) {
        const err = await page
          .getByTestId('git-draft-error')
          .textContent({ timeout: 100 })
          .catch(() => '');
        throw new Error(`no draft: ${err}\nhost stderr:\n${host?.stderr().slice(-3000)}`, { cause: e });
      }
      const draft = await text.inputValue();
      console.log(`commit draft: ${JSON.stringify(draft)}`);
      expect(draft.split('\n')[0]!.trim().length).toBeGreaterThan(0);
      expect(draft.split('\n')[0]!.length).toBeLessThanOrEqual(72);
      await saveScreenshot(page, 'code-git-commit-draft');
      const after = gitState();
      expect(after.status).toBe(before.status);
      expect(after.log).toBe(before.log);
      expect(after.index.equals(before.index)).toBe(true);
    },
    MODEL_MS + 30_000,
  );

  it('in the Assistant, @ opens the mention menu and picking a file adds it', async () => {
    await page.getByTestId('nav-assistant').click();
    await page.getByTestId('chat-project-select').selectOption({ label: 'shop' });
    await page.getByTestId('new-thread').click();
    await expect.poll(() => page.getByTestId('thread-project').textContent(), { timeout: STEP_MS }).toContain('shop');
    const input = page.getByTestId('chat-input');
    await input.click();
    await page.keyboard.type('Use @car');
    const menu = page.getByTestId('mention-menu');
    await menu.waitFor({ timeout: STEP_MS });
    const option = menu.getByRole('option').filter({ hasText: 'src/cart.py' }).first();
    await option.waitFor({ timeout: STEP_MS });
    await saveScreenshot(page, 'chat-mention-menu');
    await option.getByRole('button').click();
    await expect.poll(() => input.inputValue(), { timeout: STEP_MS }).toBe('Use @file:src/cart.py ');
    expect(await menu.count()).toBe(0);
  });

  it.skipIf(!haveModel)(
    'a code block answer’s "Apply to file…" shows the diff and applies it; the Git panel then lists the new file',
    async () => {
      // Greedy decoding: sampled, the 0.5B model once answered this prompt without a fence (a clean-clone CI run), and
      // this test is about the apply flow, not about how often a small model follows the format.
      await page.getByLabel('Temperature').fill('0');
      const input = page.getByTestId('chat-input');
      await input.fill('Write a Python function add(a, b) that returns a + b. Answer with one ```python code block only.');
      await input.press('Control+Enter');
      const apply = page.getByTestId('message-assistant').last().getByTestId('apply-code').first();
      try {
        await apply.waitFor({ timeout: MODEL_MS });
      } catch (e) {
        const last = await page
          .getByTestId('message-assistant')
          .last()
          .textContent({ timeout: 100 })
          .catch(() => '');
        const err = await page
          .getByTestId('chat-error')
          .textContent({ timeout: 100 })
          .catch(() => '');
        throw new Error(`no code block to apply: ${err || last}`, { cause: e });
      }
      await apply.click();
      const dialog = page.getByTestId('apply-to-file');
      await dialog.waitFor({ timeout: STEP_MS });
      await page.getByTestId('apply-path').fill('src/add.py');
      await page.getByTestId('apply-preview').click();
      const diff = page.getByTestId('apply-diff');
      await diff.waitFor({ timeout: STEP_MS });
      expect(await diff.textContent()).toContain('+++ src/add.py');
      await saveScreenshot(page, 'chat-apply-to-file');
      await page.getByTestId('apply-confirm').click();
      await page.getByTestId('apply-done').waitFor({ timeout: STEP_MS });
      expect(existsSync(path.join(fixture, 'src', 'add.py'))).toBe(true);
      expect(readFileSync(path.join(fixture, 'src', 'add.py'), 'utf8')).toMatch(/def add\(/);

      await page.getByTestId('nav-code').click();
      await page.getByTestId('code-tab-git').click();
      await page.getByTestId('git-refresh').click();
      await gitFile('src/add.py').waitFor({ timeout: STEP_MS });
      expect(await gitFile('src/add.py').getAttribute('data-kind')).toBe('untracked');
      await saveScreenshot(page, 'code-git-after-apply');
    },
    MODEL_MS + 60_000,
  );

  it.skipIf(!haveModel)(
    'reviews the uncommitted diff with the codegen engine: the answer streams in, then findings (or Cancel under load)',
    async () => {
      await page.getByTestId('nav-code').click();
      await page.getByTestId('code-tab-git').click();
      await page.getByTestId('git-review-run').click();
      const review = page.getByTestId('git-review');
      await review.waitFor({ timeout: STEP_MS });
      const findings = page.getByTestId('git-finding');
      const errors = page.getByTestId('git-review-error');
      const settled = async () => (await findings.count()) + (await errors.count()) + (await page.getByTestId('git-no-findings').count());
      const end = Date.now() + MODEL_MS;
      while (Date.now() < end && (await settled()) === 0) await page.waitForTimeout(1000);
      const seen = `${await review.textContent()}\nhost stderr:\n${host?.stderr().slice(-3000)}`;
      expect(await errors.count(), `review failed: ${seen}`).toBe(0);
      if ((await settled()) > 0) {
        // Finished: findings, or the small model's answer shown as written when it had none usable.
        console.log(`review findings: ${JSON.stringify(await findings.allTextContents())}; answer: ${await review.textContent()}`);
        await saveScreenshot(page, 'code-git-review');
        return;
      }
      // Not finished in time (seen under a load average of 15 on 2 cores): the real engine must at least have streamed
      // part of the answer, and Cancel must stop it.
      await saveScreenshot(page, 'code-git-review-streaming');
      expect((await review.locator('pre').textContent())?.trim().length ?? 0, `nothing streamed: ${seen}`).toBeGreaterThan(0);
      console.log(
        `review not finished in ${MODEL_MS / 1000} s (under load); streamed so far: ${await review.locator('pre').textContent()}`,
      );
      await page.getByTestId('git-review-cancel').click();
      await expect.poll(() => page.getByTestId('git-review-cancel').count(), { timeout: STEP_MS }).toBe(0);
      expect(await page.getByTestId('git-review-run').isEnabled()).toBe(true);
    },
    MODEL_MS + 60_000,
  );

  it('nothing failed in the page', () => {
    expect(problems.format()).toBe('');
  });
});
