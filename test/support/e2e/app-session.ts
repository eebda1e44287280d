// One E2E launcher for the browser host: temp dirs, `evolve serve`, Chromium with a problem collector, a page on the
// launch URL, and the steps most app tests start with (first-run vault unlock, add a project, open it in Code).
import { copyFileSync, linkSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { cleanupAll } from './bounded';
import { ProblemCollector, launchChromium, type LaunchedBrowser, type PageProblem } from './browser';
import { makeTempDirs, requireBuiltApp, startHost, type HostProcess, type TempDirs } from './host';

const STEP_MS = 20_000;

export interface AppSessionOptions {
  /** Prefix of the temp root (shows up in /tmp when a run is left behind). */
  prefix: string;
  /** Extra environment for the host (EVOLVE_DATA_DIR / EVOLVE_MODEL_CACHE / HOME default to the temp dirs). */
  env?: NodeJS.ProcessEnv;
  viewport?: { width: number; height: number };
  /** Runs in every page before the app's scripts (outside its CSP), e.g. to record CSP violations. */
  initScript?: () => void;
  /** Problems a test provokes on purpose; keep it narrow. */
  allowProblem?: (p: PageProblem) => boolean;
  /** Called with the temp dirs before the host starts (write fixtures, link models into dirs.modelCacheDir). */
  prepare?: (dirs: TempDirs) => void | Promise<void>;
}

export interface AppSession {
  dirs: TempDirs;
  chromium: LaunchedBrowser;
  /** The running host (replaced by restartHost). */
  host: HostProcess;
  /** The page on the host's launch URL (replaced by restartHost). */
  page: Page;
  problems: ProblemCollector;
  /** Stops the host and closes the page, then starts a host on the same data dir and opens a fresh page on it. */
  restartHost(): Promise<void>;
  /** Host, browser and temp dirs, each step bounded, all attempted even when one fails. */
  close(): Promise<void>;
}

/** Starts Chromium and the host in fresh temp dirs and opens the app; on a failure half-way nothing is left running. */
export async function openAppSession(opts: AppSessionOptions): Promise<AppSession> {
  requireBuiltApp();
  const dirs = makeTempDirs(opts.prefix);
  const problems = new ProblemCollector(opts.allowProblem);
  let chromium: LaunchedBrowser | undefined;
  let host: HostProcess | undefined;
  try {
    await opts.prepare?.(dirs);
    chromium = await launchChromium();
    host = await startHost({ dirs, ...(opts.env ? { env: opts.env } : {}) });
    const launched = chromium;
    let context: BrowserContext = await newContext(launched, opts);
    let page = await openPage(context, host, problems);
    const session: AppSession = {
      dirs,
      chromium: launched,
      host,
      page,
      problems,
      async restartHost() {
        await session.host.stop();
        await context.close();
        session.host = await startHost({ dirs, ...(opts.env ? { env: opts.env } : {}) });
        context = await newContext(launched, opts);
        page = await openPage(context, session.host, problems);
        session.page = page;
      },
      close: () =>
        cleanupAll([
          ['host', () => session.host.stop()],
          ['browser', () => launched.close()],
          ['dirs', () => dirs.remove()],
        ]),
    };
    return session;
  } catch (e) {
    await cleanupAll([
      ['host', () => host?.stop()],
      ['browser', () => chromium?.close()],
      ['dirs', () => dirs.remove()],
    ]).catch(() => undefined);
    throw e;
  }
}

async function newContext(chromium: LaunchedBrowser, opts: AppSessionOptions): Promise<BrowserContext> {
  const context = await chromium.browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  if (opts.initScript) await context.addInitScript(opts.initScript);
  return context;
}

async function openPage(context: BrowserContext, host: HostProcess, problems: ProblemCollector): Promise<Page> {
  const page = await context.newPage();
  problems.watchPage(page);
  await page.goto(host.launchUrl);
  await page.getByTestId('status-version').waitFor({ timeout: STEP_MS });
  return page;
}

/** First run: choose the passphrase, confirm the recovery key was saved, and wait until the gate is gone. */
export async function createVault(page: Page, passphrase: string): Promise<void> {
  await page.getByTestId('vault-secret').fill(passphrase);
  await page.getByTestId('vault-unlock').click();
  await page.getByTestId('recovery-key-saved').check({ timeout: STEP_MS });
  await page.getByTestId('recovery-key-done').click();
  await page.getByTestId('vault-gate').waitFor({ state: 'detached', timeout: STEP_MS });
}

/** Adds `folder` in the Projects section and waits for its row. */
export async function addProject(page: Page, folder: string): Promise<void> {
  await page.getByTestId('nav-projects').click();
  await page.getByTestId('project-path').fill(folder);
  await page.getByTestId('project-add').click();
  await page.getByTestId('project-state').first().waitFor({ timeout: STEP_MS });
}

/** Opens the project named `label` in the Code section; `trust` answers the first-open trust prompt with Yes. */
export async function openInCode(page: Page, label: string, opts: { trust?: boolean } = {}): Promise<void> {
  await page.getByTestId('nav-code').click();
  await page.getByTestId('code-project').selectOption({ label });
  if (opts.trust) await page.getByTestId('trust-yes').click({ timeout: STEP_MS });
}

/**
 * Puts one model's folder into a run's model cache, so it is the only model there and thus the default coding model
 * (the model under test). Hard links avoid copying 0.5 GB where the temp dir shares the cache's filesystem.
 */
export function linkModelInto(modelCacheDir: string, model: { id: string; path: string }): void {
  const own = path.join(modelCacheDir, model.id);
  mkdirSync(own);
  for (const f of readdirSync(path.dirname(model.path))) {
    const [from, to] = [path.join(path.dirname(model.path), f), path.join(own, f)];
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to); // another filesystem (EXDEV): copy
    }
  }
}
