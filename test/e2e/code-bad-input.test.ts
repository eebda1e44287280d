// E2E: bad input in the Code section, each a clear message and nothing lost — a binary file and a 5 MB file are not
// opened in the editor (and stay byte for byte), and a project folder deleted while a file has unsaved edits: Save
// says the folder is gone and keeps the text, reopening the project says so too, the project stays registered, and
// once the folder is back the same unsaved text saves; an out-of-range number of candidates or repair rounds is
// refused and not saved. (A file edited on disk during a generation needs the real
// model: test/e2e/code-review.test.ts.)
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProject, createVault, openAppSession, openInCode, type AppSession } from '../support/e2e/app-session';
import { saveScreenshot } from '../support/e2e/browser';

const STEP_MS = 20_000;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
const BIG = 5 * 1024 * 1024;
const ORIGINAL = 'def gone():\n    return 1\n';

let session: AppSession | undefined;
let page: Page;
let files = '';
let doomed = '';
let parked = '';

describe('bad input in the Code section', () => {
  beforeAll(async () => {
    session = await openAppSession({
      prefix: 'evolve-e2e-bad-input-',
      prepare: (dirs) => {
        files = path.join(dirs.root, 'files');
        mkdirSync(files);
        writeFileSync(path.join(files, 'logo.png'), PNG);
        writeFileSync(path.join(files, 'big.txt'), 'x'.repeat(BIG));
        doomed = path.join(dirs.root, 'doomed');
        parked = path.join(dirs.root, 'trash-doomed');
        mkdirSync(doomed);
        writeFileSync(path.join(doomed, 'gone.py'), ORIGINAL);
      },
    });
    page = session.page;
    await createVault(page, 'bad input e2e passphrase');
    await addProject(page, files);
    await addProject(page, doomed);
  }, 90_000);

  afterAll(async () => {
    await session?.close();
  });

  const notice = () => page.getByTestId('file-notice');

  it('shows a message instead of opening a binary file, and leaves it as it was', async () => {
    await openInCode(page, 'files', { trust: true });
    await page.locator('[data-testid="tree-file"][data-path="logo.png"]').click();
    await expect.poll(() => notice().getAttribute('data-kind'), { timeout: STEP_MS }).toBe('binary');
    expect(await notice().textContent()).toMatch(/logo\.png is a binary \(or non-UTF-8\) file: it is not opened in the editor/);
    expect(await page.getByTestId('code-editor-content').count()).toBe(0);
    expect(readFileSync(path.join(files, 'logo.png')).equals(PNG)).toBe(true);
    await saveScreenshot(page, 'code-binary');
  });

  it('shows the size and the 2 MB limit instead of opening a 5 MB file, and leaves it as it was', async () => {
    await page.locator('[data-testid="tree-file"][data-path="big.txt"]').click();
    await expect.poll(() => notice().getAttribute('data-kind'), { timeout: STEP_MS }).toBe('too-large');
    expect(await notice().textContent()).toMatch(/big\.txt is 5\.0 MB, over the editor's 2\.0 MB limit: it is not opened/);
    expect(await page.getByTestId('code-editor-content').count()).toBe(0);
    expect(readFileSync(path.join(files, 'big.txt')).length).toBe(BIG);
    await saveScreenshot(page, 'code-too-large');
  });

  it('keeps unsaved text when the project folder is deleted, says why Save failed, and saves it once the folder is back', async () => {
    await openInCode(page, 'doomed', { trust: true });
    await page.locator('[data-testid="tree-file"][data-path="gone.py"]').click();
    const content = page.getByTestId('code-editor-content');
    await expect.poll(() => content.textContent(), { timeout: STEP_MS }).toContain('return 1');
    await content.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('# unsaved\n');
    await expect.poll(() => page.getByTestId('file-state').textContent(), { timeout: STEP_MS }).toBe('modified');

    // The folder goes away (moved to the trash) while the edit is unsaved.
    renameSync(doomed, parked);
    await page.keyboard.press('Control+s');
    const error = page.getByTestId('code-error');
    await expect.poll(() => error.textContent(), { timeout: STEP_MS }).toMatch(/no longer exists/);
    expect(await content.textContent()).toContain('# unsaved');
    expect(await page.getByTestId('file-state').textContent()).toBe('modified');
    await saveScreenshot(page, 'code-project-folder-deleted');

    // The project is still registered (the picker lists it).
    expect(await page.getByTestId('code-project').locator('option').allTextContents()).toContain('doomed');

    // Back from the trash: the same unsaved text saves, byte for byte.
    renameSync(parked, doomed);
    await content.click();
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('file-state').textContent(), { timeout: STEP_MS }).toBe('saved');
    expect(readFileSync(path.join(doomed, 'gone.py'), 'utf8')).toBe(`${ORIGINAL}# unsaved\n`);
    expect(await error.count()).toBe(0);
  });

  it('reopening a project whose folder is gone says so, and nothing failed in the page', async () => {
    await openInCode(page, 'files');
    renameSync(doomed, parked);
    await page.getByTestId('code-project').selectOption({ label: 'doomed' });
    await expect.poll(() => page.getByTestId('code-error').textContent(), { timeout: STEP_MS }).toMatch(/no longer exists/);
    await saveScreenshot(page, 'code-project-folder-gone');
    renameSync(parked, doomed);
    expect(readFileSync(path.join(doomed, 'gone.py'), 'utf8')).toBe(`${ORIGINAL}# unsaved\n`);
    // The server answered the refused calls with typed errors, which the page shows; nothing else went wrong.
    expect(session!.problems.format()).toBe('');
  });

  it('refuses an out-of-range number of candidates (nothing saved), and saved ones survive a page reload', async () => {
    await openInCode(page, 'files');
    const samples = page.getByTestId('ask-samples');
    const rounds = page.getByTestId('ask-max-rounds');
    const settingsFile = () => JSON.parse(readFileSync(path.join(session!.dirs.dataDir, 'settings.json'), 'utf8')) as unknown;
    expect([await samples.inputValue(), await rounds.inputValue()]).toEqual(['1', '3']);
    await samples.fill('3');
    await rounds.fill('1');
    await expect.poll(() => settingsFile(), { timeout: STEP_MS }).toMatchObject({ codegen: { samples: 3, maxRounds: 1 } });
    await samples.fill('17');
    await rounds.fill('');
    const error = page.getByTestId('ask-run-settings-error');
    expect(await error.textContent()).toBe(
      'Candidates: a whole number from 1 to 16 (requests use 3); Repair rounds: a whole number from 0 to 10 (requests use 1)',
    );
    expect(settingsFile()).toMatchObject({ codegen: { samples: 3, maxRounds: 1 } });
    await saveScreenshot(page, 'code-ask-run-settings-invalid');
    await page.reload();
    await page.getByTestId('status-version').waitFor({ timeout: STEP_MS });
    await openInCode(page, 'files');
    expect([await samples.inputValue(), await rounds.inputValue()]).toEqual(['3', '1']);
    expect(await error.count()).toBe(0);
    expect(session!.problems.format()).toBe('');
  });
});
