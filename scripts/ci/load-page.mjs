// CI: loads the URL `scripts/start.sh` printed in Debian's Chromium (playwright-core, as the E2E tests do) and checks
// what a first-run user sees. Mode "keychain": the OS keychain holds the store key (recovery key shown, status names
// keytar). Mode "passphrase": the gate says the OS keychain is unavailable and why, and a passphrase unlocks the store.
// Usage: node scripts/ci/load-page.mjs <launchUrl> <keychain|passphrase>. Prints one JSON line; exit 1 on failure.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [url, mode] = process.argv.slice(2);
if (!url || (mode !== 'keychain' && mode !== 'passphrase')) {
  console.error('usage: load-page.mjs <launchUrl> <keychain|passphrase>');
  process.exit(2);
}
const STEP_MS = 60_000;
const home = mkdtempSync(path.join(os.tmpdir(), 'evolve-smoke-browser-'));
const browser = await chromium.launch({
  executablePath: process.env.EVOLVE_E2E_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  env: { ...process.env, HOME: home },
  timeout: STEP_MS,
});
const errors = [];
const result = { mode, ok: false };
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.getByTestId('status-version').waitFor({ timeout: STEP_MS });
  result.version = (await page.getByTestId('status-version').textContent())?.trim();
  if (mode === 'passphrase') {
    const gate = page.getByTestId('vault-gate');
    await gate.waitFor({ timeout: STEP_MS });
    result.gate = (await gate.locator('p').first().textContent())?.trim();
    if (!/No secure OS keychain is available \(.+\): choose a passphrase/.test(result.gate ?? ''))
      throw new Error(`the gate does not say why: ${result.gate}`);
    await page.getByTestId('vault-secret').fill('fresh machine passphrase');
    await page.getByTestId('vault-unlock').click();
  }
  await page.getByTestId('recovery-key-dialog').waitFor({ timeout: STEP_MS });
  await page.getByTestId('recovery-key-saved').check();
  await page.getByTestId('recovery-key-done').click();
  const database = page.getByTestId('status-backend-database');
  const deadline = Date.now() + STEP_MS;
  while (!((await database.getAttribute('class')) ?? '').includes('ready')) {
    if (Date.now() > deadline) throw new Error('the database never became ready');
    await page.waitForTimeout(200);
  }
  result.keychain = await page.getByTestId('status-backend-keychain').getAttribute('title');
  const expected = mode === 'keychain' ? /^database key in keytar$/ : /^database key in passphrase — OS keychain unavailable: .+/;
  if (!expected.test(result.keychain ?? '')) throw new Error(`status bar keychain: ${result.keychain}`);
  if (errors.length > 0) throw new Error(errors.join('; '));
  result.ok = true;
} catch (e) {
  result.error = e instanceof Error ? e.message : String(e);
} finally {
  await browser.close().catch(() => {});
  rmSync(home, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
