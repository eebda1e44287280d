// E2E: the real desktop app through Playwright's Electron driver, when the Electron binary is installed:
// the window shows the status bar in desktop mode, the page sees only the contract API (no Node, no IPC),
// and navigation away from the app is blocked. Skipped, with the reason in its name, when the binary is absent.
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DOMAINS } from '../../common/contracts';
import { bounded, cleanupAll } from '../support/e2e/bounded';
import { ProblemCollector, saveScreenshot } from '../support/e2e/browser';
import { findElectronBinary } from '../support/e2e/electron';
import { REPO_ROOT, makeTempDirs, requireBuiltApp, type TempDirs } from '../support/e2e/host';

const STEP_MS = 15_000;
const binary = findElectronBinary();
const skipReason = binary.available ? '' : binary.reason;
if (!binary.available) console.warn(`[e2e] Electron desktop test skipped: ${skipReason}`);

let app: ElectronApplication | undefined;
let dirs: TempDirs | undefined;

afterAll(async () => {
  await cleanupAll([
    ['close Electron', () => app?.close()],
    ['remove temp dirs', () => dirs?.remove()],
  ]);
});

/** The API shape the contracts promise: { domain: [verbs…] }, sorted. */
function contractShape(): Record<string, string[]> {
  return Object.fromEntries(DOMAINS.map((d) => [d.name, Object.keys(d.methods).sort()]));
}

type PageGlobals = {
  evolve?: Record<string, Record<string, unknown>>;
  location: { href: string };
  open(url: string): unknown;
};

describe('Electron desktop app', () => {
  it.skipIf(!binary.available)(
    binary.available ? 'desktop window: status bar, contract-only API, blocked navigation' : `desktop window (skipped: ${skipReason})`,
    async () => {
      if (!binary.available) return; // narrows the type; skipIf already skipped this case
      requireBuiltApp();
      dirs = makeTempDirs('evolve-e2e-electron-');
      const args = ['.'];
      // Root cannot use Chromium's sandbox; a display-less Linux box needs the headless Ozone backend.
      if (process.getuid?.() === 0) args.unshift('--no-sandbox');
      if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) args.unshift('--ozone-platform=headless');
      app = await electron.launch({
        executablePath: binary.path,
        args,
        cwd: REPO_ROOT,
        env: { ...process.env, EVOLVE_DATA_DIR: dirs.dataDir, EVOLVE_MODEL_CACHE: dirs.modelCacheDir, HOME: dirs.home },
        timeout: 60_000,
      });
      const page: Page = await app.firstWindow({ timeout: 60_000 });
      page.setDefaultTimeout(STEP_MS);
      const problems = new ProblemCollector().watchPage(page);

      // The status bar, fed by app.status over IPC, says "desktop".
      await page.getByTestId('status-bar').waitFor({ state: 'visible' });
      await expect.poll(() => page.getByTestId('status-mode').textContent(), { timeout: STEP_MS }).toBe('desktop');
      expect(await page.getByTestId('status-data-dir').textContent()).toBe(dirs.dataDir);
      expect(page.url()).toBe('evolve://app/index.html');

      // window.evolve is exactly the contract functions; nothing of Node or Electron reaches the page.
      const exposed = await page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals & Record<string, unknown>;
        const shape: Record<string, string[]> = {};
        for (const [domain, fns] of Object.entries(g.evolve ?? {})) {
          shape[domain] = Object.keys(fns).sort();
          for (const [verb, fn] of Object.entries(fns)) if (typeof fn !== 'function') shape[domain]!.push(`!${verb}:${typeof fn}`);
        }
        return {
          shape,
          ipcRenderer: typeof g.ipcRenderer,
          require: typeof g.require,
          process: typeof g.process,
          module: typeof g.module,
          Buffer: typeof g.Buffer,
          electron: typeof g.electron,
        };
      });
      expect(exposed.shape).toEqual(contractShape());
      expect(exposed).toMatchObject({
        ipcRenderer: 'undefined',
        require: 'undefined',
        process: 'undefined',
        module: 'undefined',
        Buffer: 'undefined',
        electron: 'undefined',
      });

      // A contract call really works through the preload.
      const status = await page.evaluate(async () => {
        const g = globalThis as unknown as { evolve: { app: { status(i: object): Promise<{ ok: boolean; value?: { mode: string } }> } } };
        return g.evolve.app.status({});
      });
      expect(status).toMatchObject({ ok: true, value: { mode: 'electron' } });

      // Navigation away from the app and new windows are refused.
      await page.evaluate(() => {
        (globalThis as unknown as PageGlobals).location.href = 'https://example.com/';
      });
      await new Promise((r) => setTimeout(r, 1_000));
      expect(page.url()).toBe('evolve://app/index.html');
      expect(await page.getByTestId('status-bar').isVisible()).toBe(true);
      const opened = await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com/') === null);
      expect(opened).toBe(true);
      expect(
        await bounded(
          app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length),
          STEP_MS,
          'count windows',
        ),
      ).toBe(1);

      await saveScreenshot(page, 'electron-desktop');
      expect(problems.format()).toBe('');
    },
    120_000,
  );
});
