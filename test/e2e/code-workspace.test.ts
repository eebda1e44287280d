// E2E: the Code section in Chromium via the browser host — open a fixture project, answer the trust prompt, open a
// file in CodeMirror (its styles allowed by the per-load CSP nonce, no violation logged), edit + Ctrl+S and see the
// bytes on disk change (and the checkpoint's changes in the diff view), a save conflict kept by "Keep mine", undo from
// the checkpoint (Ctrl+Alt+Z), and the shortcuts sheet. Binary, 5 MB and deleted-folder cases: code-bad-input.test.ts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProject, createVault, openAppSession, type AppSession } from '../support/e2e/app-session';
import { saveScreenshot } from '../support/e2e/browser';

const STEP_MS = 15_000;
const ORIGINAL = 'def greet(name):\n    return "hello " + name\n';
const ADDED = 'def bye():\n    return "bye"\n';

let session: AppSession | undefined;
let page: Page;
let fixture = '';
const onDisk = (rel: string) => readFileSync(path.join(fixture, rel), 'utf8');

beforeAll(async () => {
  session = await openAppSession({
    prefix: 'evolve-e2e-code-',
    // Records CSP violations the page sees (an init script runs outside the page's CSP).
    initScript: () => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      );
    },
    prepare: (dirs) => {
      fixture = path.join(dirs.root, 'shop');
      mkdirSync(path.join(fixture, 'src'), { recursive: true });
      writeFileSync(path.join(fixture, 'src', 'greet.py'), ORIGINAL);
    },
  });
  page = session.page;
  await createVault(page, 'code e2e passphrase');
  await addProject(page, fixture);
}, 60_000);

afterAll(async () => {
  await session?.close();
});

const fileState = () => page.getByTestId('file-state').textContent();

describe('code workspace in the browser host', () => {
  it('asks for trust the first time the project is opened', async () => {
    await page.getByTestId('nav-code').click();
    await page.getByTestId('code-project').selectOption({ label: 'shop' });
    await page.getByTestId('trust-prompt').waitFor({ timeout: STEP_MS });
    await saveScreenshot(page, 'code-trust-prompt');
    await page.getByTestId('trust-yes').click();
    await expect.poll(() => page.getByTestId('code-trust').textContent(), { timeout: STEP_MS }).toBe('trusted');
    expect(await page.getByTestId('trust-prompt').count()).toBe(0);
  });

  it('opens a file in the editor with its styles under the CSP, edits it and saves the bytes to disk', async () => {
    await page.locator('[data-testid="tree-dir"][data-path="src"]').click();
    await page.locator('[data-testid="tree-file"][data-path="src/greet.py"]').click();
    await expect.poll(() => page.getByTestId('open-file-path').textContent(), { timeout: STEP_MS }).toBe('src/greet.py');
    const content = page.getByTestId('code-editor-content');
    await expect.poll(() => content.textContent(), { timeout: STEP_MS }).toContain('return "hello " + name');
    // CodeMirror's base theme (an injected <style> carrying the nonce) is applied: .cm-editor is a flex box.
    expect(await page.locator('.code-editor .cm-editor').evaluate((el) => getComputedStyle(el).display)).toBe('flex');
    // Python highlighting ran (the keyword got a token class from the highlight style).
    expect(await page.locator('.code-editor .cm-line span').count()).toBeGreaterThan(0);

    await content.click();
    await page.keyboard.press('Control+End');
    // insertText: one input event, no auto-indent, so the expected bytes are exact.
    await page.keyboard.insertText(ADDED);
    await expect.poll(fileState, { timeout: STEP_MS }).toBe('modified');
    await page.keyboard.press('Control+s');
    await expect.poll(fileState, { timeout: STEP_MS }).toBe('saved');
    expect(onDisk('src/greet.py')).toBe(ORIGINAL + ADDED);
    await expect.poll(() => page.getByTestId('checkpoint').count(), { timeout: STEP_MS }).toBeGreaterThan(0);
    // The checkpoint's changes in the unified diff view (@codemirror/merge, also under the CSP): the added lines.
    await page.getByTestId('checkpoint-changes').first().click();
    const view = page.getByTestId('checkpoint-changes-view');
    await expect.poll(() => view.locator('.cm-changedLine').count(), { timeout: STEP_MS }).toBe(2);
    expect(await view.locator('.cm-changedLine').allTextContents()).toEqual(['def bye():', '    return "bye"']);
    await saveScreenshot(page, 'code-saved');
    await page.getByTestId('checkpoint-changes').first().click();
  });

  it('refuses to overwrite a file changed on disk, then keeps my text on request', async () => {
    writeFileSync(path.join(fixture, 'src', 'greet.py'), `${ORIGINAL}# edited outside\n`);
    await page.getByTestId('code-editor-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('# mine\n');
    await page.getByTestId('file-save').click();
    await page.getByTestId('conflict-banner').waitFor({ timeout: STEP_MS });
    expect(onDisk('src/greet.py')).toBe(`${ORIGINAL}# edited outside\n`);
    await saveScreenshot(page, 'code-conflict');
    await page.getByTestId('conflict-keep').click();
    await expect.poll(() => onDisk('src/greet.py'), { timeout: STEP_MS }).toBe(`${ORIGINAL}${ADDED}# mine\n`);
    await expect.poll(() => page.getByTestId('conflict-banner').count(), { timeout: STEP_MS }).toBe(0);
    await expect.poll(fileState, { timeout: STEP_MS }).toBe('saved');
  });

  it('undoes the last checkpoint with Ctrl+Alt+Z and the editor shows the file as restored', async () => {
    await page.getByTestId('code-editor-content').click();
    await page.keyboard.press('Control+Alt+z');
    await page.getByTestId('checkpoint-restored').waitFor({ timeout: STEP_MS });
    // The keep-mine save is undone: back to the text that was on disk just before it.
    await expect.poll(() => onDisk('src/greet.py'), { timeout: STEP_MS }).toBe(`${ORIGINAL}# edited outside\n`);
    await expect.poll(() => page.getByTestId('code-editor-content').textContent(), { timeout: STEP_MS }).toContain('# edited outside');
  });

  it('lists the shortcuts on ?, and nothing violated the CSP or failed in the page', async () => {
    await page.getByTestId('code-project').focus();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    const sheet = page.getByTestId('shortcuts-sheet');
    await sheet.waitFor({ timeout: STEP_MS });
    for (const k of ['Ctrl/Cmd+Enter', 'Ctrl/Cmd+Alt+Z', 'Alt+]']) expect(await sheet.textContent()).toContain(k);
    await saveScreenshot(page, 'code-shortcuts');
    await page.keyboard.press('Escape');
    expect(await sheet.count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(session!.problems.format()).toBe('');
  });
});
