// E2E: the encrypted store as a user meets it in the browser host — choose a passphrase at first run, see
// the recovery key once, find the unlock and settings changes in the Audit view, verify the chain, export
// it, back up the database; then restart the app: a wrong passphrase is refused, the right one unlocks,
// and the data written before the restart is still there.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, type AppSession } from '../support/e2e/app-session';
import { saveScreenshot } from '../support/e2e/browser';

const STEP_MS = 20_000;
const PASSPHRASE = 'correct horse battery staple';

let session: AppSession | undefined;
let page: Page;
const dataDir = () => session!.dirs.dataDir;

async function unlock(passphrase: string): Promise<void> {
  await page.getByTestId('vault-secret').fill(passphrase);
  await page.getByTestId('vault-unlock').click();
}

beforeAll(async () => {
  session = await openAppSession({ prefix: 'evolve-e2e-vault-', viewport: { width: 1280, height: 800 } });
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

describe('encrypted store in the browser host', () => {
  it('asks for a passphrase at first run and shows the recovery key exactly once', async () => {
    await page.getByTestId('vault-gate').waitFor({ timeout: STEP_MS });
    await saveScreenshot(page, 'vault-first-run');
    await unlock(PASSPHRASE);
    const dialog = page.getByTestId('recovery-key-dialog');
    await dialog.waitFor({ timeout: STEP_MS });
    const key = (await page.getByTestId('recovery-key').textContent()) ?? '';
    expect(key).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4})+$/);
    await saveScreenshot(page, 'vault-recovery-key');
    expect(await page.getByTestId('recovery-key-done').isDisabled()).toBe(true);
    await page.getByTestId('recovery-key-saved').check();
    await page.getByTestId('recovery-key-done').click();
    await dialog.waitFor({ state: 'detached', timeout: STEP_MS });
    await expect.poll(() => page.getByTestId('status-backend-database').getAttribute('class'), { timeout: STEP_MS }).toContain('ready');
    // Shown once: the store has forgotten it.
    await page.reload();
    await page.getByTestId('status-version').waitFor({ timeout: STEP_MS });
    await page.waitForTimeout(500);
    expect(await page.getByTestId('recovery-key-dialog').count()).toBe(0);
    // Nothing of the key or the passphrase is on disk in clear.
    for (const f of fs.readdirSync(dataDir())) {
      const p = path.join(dataDir(), f);
      if (!fs.statSync(p).isFile()) continue;
      const bytes = fs.readFileSync(p, 'latin1');
      expect(bytes.includes(PASSPHRASE), f).toBe(false);
      expect(bytes.includes(key), f).toBe(false);
    }
  });

  it('records the unlock and a settings change in the audit log, verifies and exports it', async () => {
    await page.getByTestId('nav-settings').click();
    await page.locator('label', { has: page.getByTestId('theme-dark') }).click();
    await page.getByTestId('nav-audit').click();
    const table = page.getByTestId('audit-table');
    await table.waitFor({ timeout: STEP_MS });
    await expect.poll(async () => (await table.textContent()) ?? '', { timeout: STEP_MS }).toContain('settings.change');
    expect(await table.textContent()).toContain('unlock');
    await page.getByTestId('audit-verify').click();
    await expect
      .poll(async () => (await page.getByTestId('audit-verify-result').textContent()) ?? '', { timeout: STEP_MS })
      .toMatch(/Chain intact: \d+ rows verified/);
    await page.getByTestId('audit-kind').selectOption('unlock');
    await expect.poll(async () => (await table.textContent()) ?? '', { timeout: STEP_MS }).not.toContain('settings.change');
    await page.getByTestId('audit-export').click();
    await page.getByText(/Exported \d+ rows to/).waitFor({ timeout: STEP_MS });
    const exports = fs.readdirSync(path.join(dataDir(), 'exports'));
    expect(exports.length).toBe(1);
    const lines = fs
      .readFileSync(path.join(dataDir(), 'exports', exports[0] ?? ''), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { kind: string }).kind)).toContain('settings.change');
    await saveScreenshot(page, 'audit');
  });

  it('backs the database up with progress from Settings', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('backup-run').click();
    await page.getByTestId('backup-path').waitFor({ timeout: STEP_MS });
    const backups = fs.readdirSync(path.join(dataDir(), 'backups'));
    expect(backups).toHaveLength(1);
    expect(fs.statSync(path.join(dataDir(), 'backups', backups[0] ?? '')).size).toBeGreaterThan(4096);
    await saveScreenshot(page, 'settings-storage');
  });

  it('after a restart refuses a wrong passphrase and unlocks with the right one, data intact', async () => {
    await session!.restartHost();
    page = session!.page;
    await page.getByTestId('vault-gate').waitFor({ timeout: STEP_MS });
    await unlock('not the passphrase');
    await page
      .getByRole('alert')
      .filter({ hasText: /passphrase|unlock|key/i })
      .first()
      .waitFor({ timeout: STEP_MS });
    expect(await page.getByTestId('vault-gate').isVisible()).toBe(true);
    await page.getByTestId('vault-secret').fill('');
    await unlock(PASSPHRASE);
    await page.getByTestId('vault-gate').waitFor({ state: 'detached', timeout: STEP_MS });
    expect(await page.getByTestId('recovery-key-dialog').count()).toBe(0);
    await page.getByTestId('nav-audit').click();
    await expect
      .poll(async () => (await page.getByTestId('audit-table').textContent()) ?? '', { timeout: STEP_MS })
      .toContain('settings.change');
    expect(session!.problems.format()).toBe('');
  });
});
