// E2E: inline completion in the Code editor with the real Qwen2.5-Coder 0.5B, in Chromium via the browser host —
// typing a function header shows ghost text from the model (styled under the CSP, no violation), Tab inserts it, Esc
// dismisses, the status bar shows the latency; the median latency of a few completions is printed; turning completion
// off persists in settings.json and stops the requests. Skipped, with the reason, when the 0.5B is not installed.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProject, createVault, openAppSession, openInCode, type AppSession } from '../support/e2e/app-session';
import { saveScreenshot } from '../support/e2e/browser';
import { CODER_0_5B } from '../fixtures/models/coding-models';

const STEP_MS = 20_000;
/** One completion on a busy shared CPU, the first one with the model load: minutes, not seconds, under load. */
const COMPLETION_MS = 300_000;
const ORIGINAL = 'import math\n\n\n';
if (!CODER_0_5B.present) console.warn(`[e2e] inline completion skipped: ${CODER_0_5B.skipReason}`);

let session: AppSession | undefined;
let page: Page;
let fixture = '';

const status = () => page.getByTestId('inline-status');
const completed = async () => Number((await status().getAttribute('data-completed')) ?? '0');
const editorText = () => page.getByTestId('code-editor-content').evaluate((el) => (el as HTMLElement).innerText);

/** Types `text` at the end of the file (one input event, no auto-indent) and waits for the next answered completion. */
async function typeAndWait(text: string): Promise<{ ms: number; cached: boolean; ghost: string }> {
  const before = await completed();
  await page.getByTestId('code-editor-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(text);
  await expect
    .poll(async () => ((await status().getAttribute('data-state')) === 'problem' ? -1 : await completed()), {
      timeout: COMPLETION_MS,
      interval: 250,
    })
    .toBeGreaterThan(before);
  const ghost = page.getByTestId('inline-ghost');
  return {
    ms: Number(await status().getAttribute('data-ms')),
    cached: (await status().getAttribute('data-cached')) === 'true',
    ghost: (await ghost.count()) > 0 ? ((await ghost.textContent()) ?? '') : '',
  };
}

describe.skipIf(!CODER_0_5B.present)('inline completion in the Code editor (real Qwen2.5-Coder 0.5B)', () => {
  beforeAll(async () => {
    session = await openAppSession({
      prefix: 'evolve-e2e-inline-',
      initScript: () => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      },
      prepare: (dirs) => {
        // The user's model cache with only the 0.5B: it is the default coding model here (linked, not copied).
        const dir = path.join(dirs.modelCacheDir, CODER_0_5B.id);
        mkdirSync(dir, { recursive: true });
        symlinkSync(CODER_0_5B.path, path.join(dir, path.basename(CODER_0_5B.path)));
        fixture = path.join(dirs.root, 'calc');
        mkdirSync(fixture, { recursive: true });
        writeFileSync(path.join(fixture, 'calc.py'), ORIGINAL);
      },
    });
    page = session.page;
    await createVault(page, 'inline e2e passphrase');
    await addProject(page, fixture);
    await openInCode(page, 'calc', { trust: true });
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it(
    'shows ghost text from the model after typing, and Tab inserts it',
    async () => {
      await page.locator('[data-testid="tree-file"][data-path="calc.py"]').click();
      await expect.poll(() => page.getByTestId('open-file-path').textContent(), { timeout: STEP_MS }).toBe('calc.py');
      const first = await typeAndWait('def is_even(n: int) -> bool:\n    """Return True when n is even."""\n    ');
      console.log(`[e2e] first inline completion (model load included): ${first.ms} ms, ghost ${JSON.stringify(first.ghost)}`);
      expect(first.ghost).toMatch(/return/);
      // The ghost is styled by CodeMirror's nonce-tagged theme (dimmed), so the CSP allowed it.
      expect(Number(await page.getByTestId('inline-ghost').evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(1);
      expect(await page.getByTestId('inline-status-text').textContent()).toMatch(/\d+ ms/);
      await saveScreenshot(page, 'code-inline-ghost');
      await page.keyboard.press('Tab');
      expect(await page.getByTestId('inline-ghost').count()).toBe(0);
      await expect.poll(editorText, { timeout: STEP_MS }).toContain(first.ghost.split('\n')[0]);
      expect(await page.getByTestId('file-state').textContent()).toBe('modified');
      await saveScreenshot(page, 'code-inline-accepted');
    },
    COMPLETION_MS + 30_000,
  );

  it(
    'prints the median latency of three more completions; Esc dismisses a ghost',
    async () => {
      const prompts = [
        '\n\ndef add(a: int, b: int) -> int:\n    ',
        '\n\ndef circle_area(r: float) -> float:\n    return ',
        '\n\ndef clamp(v: float, lo: float, hi: float) -> float:\n    """Limit v to [lo, hi]."""\n    ',
      ];
      const ms: number[] = [];
      for (const p of prompts) {
        const r = await typeAndWait(p);
        expect(r.cached).toBe(false);
        ms.push(r.ms);
        if (r.ghost) {
          await page.keyboard.press('Escape');
          expect(await page.getByTestId('inline-ghost').count()).toBe(0);
        }
      }
      const median = [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)] ?? 0;
      console.log(
        `[e2e] inline completion latency (Qwen2.5-Coder 0.5B, browser host, ${ms.length} completions): median ${median} ms (${ms.join(', ')} ms)`,
      );
      expect(median).toBeGreaterThan(0);
    },
    3 * COMPLETION_MS + 30_000,
  );

  it('turns off from the status bar: persisted in settings.json, and typing asks nothing', async () => {
    await page.getByTestId('inline-toggle').uncheck();
    await expect.poll(() => status().getAttribute('data-state'), { timeout: STEP_MS }).toBe('off');
    const settingsFile = path.join(session!.dirs.dataDir, 'settings.json');
    await expect.poll(() => JSON.parse(readFileSync(settingsFile, 'utf8')).inlineCompletion, { timeout: STEP_MS }).toBe(false);
    const before = await completed();
    await page.getByTestId('code-editor-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\n\ndef double(x):\n    ');
    // Well past the debounce: nothing was asked, nothing shown.
    await page.waitForTimeout(1500);
    expect(await completed()).toBe(before);
    expect(await status().getAttribute('data-state')).toBe('off');
    expect(await page.getByTestId('inline-ghost').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(session!.problems.format()).toBe('');
  }, 60_000);
});
