// E2E: the app lock as a user meets it in the browser host (real AppLockService with the shipped argon2id cost, real
// TOTP, the OS keychain — the lock wraps the keychain's key, so run it under scripts/store/with-keyring.sh as CI does).
// Turn the lock on in Settings → Security, enrol TOTP from the QR's secret (codes computed here with otpauth), lock: the
// whole app is replaced by the lock screen and the CLI refuses to act; a wrong passphrase fails, the right one asks for
// the code, the code unlocks. Then repeated failures bring the lockout countdown with the input disabled; after it a
// recovery code unlocks, and the Audit view lists every attempt.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, type AppSession } from '../support/e2e/app-session';
import { saveScreenshot } from '../support/e2e/browser';
import { REPO_ROOT } from '../support/e2e/host';

const STEP_MS = 20_000;
const LOCK_PASSPHRASE = 'lock passphrase: correct horse battery';

let session: AppSession | undefined;
let page: Page;
let totp: TOTP;
let recoveryCodes: string[] = [];
/** Wrong passphrases typed on the lock screen (each must be in the audit log). */
let wrongAttempts = 0;

/** A code main has not seen yet: the next 30 s step's (inside main's ±1 step window, and never a replay of the enrolment's). */
const freshCode = () => totp.generate({ timestamp: Date.now() + 30_000 });

/** Waits for `testId`; if the Security panel shows an error first, fails with its message instead of a timeout. */
async function waitOrPanelError(testId: string): Promise<void> {
  const error = page.getByTestId('app-lock-error');
  await Promise.race([
    page.getByTestId(testId).waitFor({ timeout: STEP_MS }),
    error.waitFor({ timeout: STEP_MS }).then(async () => {
      throw new Error(`Security panel error instead of ${testId}: ${await error.textContent()}`);
    }),
  ]);
}

async function submitPassphrase(p: string): Promise<void> {
  await page.getByTestId('lock-passphrase').fill(p);
  await page.getByTestId('lock-unlock').click();
}

beforeAll(async () => {
  session = await openAppSession({
    prefix: 'evolve-e2e-app-lock-',
    // The OS keychain (the launcher's default is the passphrase keychain, which the app lock does not wrap).
    env: { EVOLVE_KEYCHAIN: 'os' },
    viewport: { width: 1280, height: 860 },
    // The lock screen's own refusals are typed values, never console errors; nothing is allowed here on purpose.
  });
  page = session.page;
  // First run with the OS keychain: no passphrase to choose, only the recovery key to confirm.
  await page.getByTestId('recovery-key-saved').check({ timeout: STEP_MS });
  await page.getByTestId('recovery-key-done').click();
  await page.getByTestId('recovery-key-dialog').waitFor({ state: 'detached', timeout: STEP_MS });
});

afterAll(async () => {
  await session?.close();
});

describe('app lock in the browser host', () => {
  it('turns the lock on and enrols TOTP from the QR code; the recovery codes are shown once', async () => {
    await page.getByTestId('nav-settings').click();
    const panel = page.getByTestId('app-lock-panel');
    await panel.waitFor({ timeout: STEP_MS });
    await page.getByTestId('app-lock-enable-new').fill(LOCK_PASSPHRASE);
    expect(await page.getByTestId('app-lock-enable-strength').getAttribute('data-strength')).toBe('strong');
    await page.getByTestId('app-lock-enable-repeat').fill(LOCK_PASSPHRASE);
    await page.getByTestId('app-lock-idle').fill('15');
    await page.getByTestId('app-lock-enable').click();
    await waitOrPanelError('app-lock-state');
    await page.getByTestId('lock-now').waitFor({ timeout: STEP_MS });

    await page.getByTestId('totp-begin-passphrase').fill(LOCK_PASSPHRASE);
    await page.getByTestId('totp-begin').click();
    const qr = page.getByTestId('totp-qr');
    await qr.waitFor({ timeout: STEP_MS });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    // The image decoded (a broken SVG would have no natural size).
    expect(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    await page.getByTestId('totp-confirm-code').fill(totp.generate());
    await page.getByTestId('totp-confirm').click();
    await page.getByTestId('recovery-codes-dialog').waitFor({ timeout: STEP_MS });
    recoveryCodes = (await page.getByTestId('recovery-codes').locator('code').allTextContents()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(await page.getByTestId('recovery-codes-done').isDisabled()).toBe(true);
    await page.getByTestId('recovery-codes-saved').check();
    await page.getByTestId('recovery-codes-done').click();
    await page.getByTestId('recovery-codes-dialog').waitFor({ state: 'detached', timeout: STEP_MS });
    await page.getByTestId('totp-manage').waitFor({ timeout: STEP_MS });
    expect(await page.getByTestId('totp-manage').textContent()).toContain('10 of 10 recovery codes left');
  });

  it('locks: only the lock screen is left, the CLI refuses; a wrong passphrase fails, the TOTP prompt unlocks', async () => {
    await page.getByTestId('lock-now').click();
    await page.getByTestId('lock-screen').waitFor({ timeout: STEP_MS });
    expect(await page.getByTestId('nav-assistant').count()).toBe(0);
    expect(await page.locator('#section-panel').count()).toBe(0);
    await saveScreenshot(page, 'app-lock-screen');
    // The command line on the same data refuses to act while locked, and says what it needs.
    const cli = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'evolve.cjs'), 'tokens', 'list'], {
      env: {
        ...process.env,
        EVOLVE_DATA_DIR: session!.dirs.dataDir,
        EVOLVE_MODEL_CACHE: session!.dirs.modelCacheDir,
        HOME: session!.dirs.home,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('EVOLVE_LOCK_PASSPHRASE');

    // With TOTP on, the passphrase and the code go to main together: a wrong passphrase with a valid code fails and
    // sends the user back to the passphrase.
    await submitPassphrase('not the lock passphrase');
    await page.getByTestId('lock-code').waitFor({ timeout: STEP_MS });
    await page.getByTestId('lock-code').fill(freshCode());
    await page.getByTestId('lock-unlock').click();
    wrongAttempts++;
    await page.getByTestId('lock-error').waitFor({ timeout: STEP_MS });
    expect(await page.getByTestId('lock-error').textContent()).toMatch(/wrong/i);
    await page.getByTestId('lock-passphrase').waitFor({ timeout: STEP_MS });

    await submitPassphrase(LOCK_PASSPHRASE);
    await page.getByTestId('lock-code').waitFor({ timeout: STEP_MS });
    await saveScreenshot(page, 'app-lock-totp');
    await page.getByTestId('lock-code').fill(freshCode());
    await page.getByTestId('lock-unlock').click();
    await page.getByTestId('lock-screen').waitFor({ state: 'detached', timeout: STEP_MS });
    await page.getByTestId('nav-assistant').waitFor({ timeout: STEP_MS });
    // The store is open again: the status bar's database backend is ready.
    await expect.poll(() => page.getByTestId('status-backend-database').getAttribute('class'), { timeout: STEP_MS }).toContain('ready');
  });

  it('repeated failures bring the lockout countdown with the input disabled; after it a recovery code unlocks', async () => {
    await page.locator('body').press('Control+l');
    await page.getByTestId('lock-screen').waitFor({ timeout: STEP_MS });
    const countdown = page.getByTestId('lock-countdown');
    // Each refusal refreshes the status: wait for its failed-attempt count before the next try (the TOTP unlock above
    // reset the count to 0).
    for (let i = 0; i < 8 && (await countdown.count()) === 0; i++) {
      await submitPassphrase(`wrong passphrase ${i}`);
      await page.getByTestId('lock-code').fill('000000');
      await page.getByTestId('lock-unlock').click();
      await page
        .getByTestId('lock-failed-count')
        .filter({ hasText: `${i + 1} failed attempt` })
        .waitFor({ timeout: STEP_MS });
      wrongAttempts++;
    }
    await countdown.waitFor({ timeout: STEP_MS });
    expect(await countdown.textContent()).toMatch(/Try again in \d+:\d\d/);
    expect(await page.getByTestId('lock-passphrase').isDisabled()).toBe(true);
    expect(await page.getByTestId('lock-unlock').isDisabled()).toBe(true);
    await saveScreenshot(page, 'app-lock-lockout');

    // The first delay is 30 s: wait it out, then unlock with the passphrase and a recovery code.
    await countdown.waitFor({ state: 'detached', timeout: 90_000 });
    await submitPassphrase(LOCK_PASSPHRASE);
    await page.getByTestId('lock-code').waitFor({ timeout: STEP_MS });
    await page.getByTestId('lock-code').fill(recoveryCodes[0] ?? '');
    await page.getByTestId('lock-unlock').click();
    await page.getByTestId('lock-screen').waitFor({ state: 'detached', timeout: STEP_MS });
  });

  it('the Audit view lists every unlock attempt (each wrong passphrase, both unlocks) and the chain verifies', async () => {
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-kind').selectOption('security.unlock');
    const table = page.getByTestId('audit-table');
    // Every wrong passphrase is a failed row; the two unlocks are ok rows (one by TOTP, one by a recovery code).
    await expect
      .poll(async () => (await table.locator('tbody tr', { hasText: '"outcome":"failed"' }).count()) ?? 0, { timeout: STEP_MS })
      .toBeGreaterThanOrEqual(wrongAttempts);
    expect(wrongAttempts).toBeGreaterThanOrEqual(4);
    const text = (await table.textContent()) ?? '';
    expect(await table.locator('tbody tr', { hasText: '"outcome":"ok"' }).count()).toBeGreaterThanOrEqual(2);
    expect(text).toContain('"factor":"recovery-code"');
    expect(text).toContain('"factor":"totp"');
    await page.getByTestId('audit-verify').click();
    await expect
      .poll(async () => (await page.getByTestId('audit-verify-result').textContent()) ?? '', { timeout: STEP_MS })
      .toMatch(/Chain intact/);
    expect(session!.problems.format()).toBe('');
  });
});
