// Launches Debian's Chromium through playwright-core for E2E tests (headless, sandbox off, no background
// traffic, a throwaway HOME), and records everything that went wrong in a page: uncaught errors, console
// errors, failed requests and HTTP error responses.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './host';

export const CHROMIUM_PATH = process.env.EVOLVE_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export interface LaunchedBrowser {
  browser: Browser;
  /** The temporary HOME Chromium ran with (its profile and caches land there, not in the user's). */
  home: string;
  close(): Promise<void>;
}

/** Starts Chromium with the house flags and HOME pointing to `home` (a fresh temp dir when omitted). */
export async function launchChromium(opts: { home?: string; timeoutMs?: number } = {}): Promise<LaunchedBrowser> {
  const ownHome = !opts.home;
  const home = opts.home ?? mkdtempSync(path.join(os.tmpdir(), 'evolve-e2e-home-'));
  mkdirSync(home, { recursive: true });
  const removeHome = () => {
    if (ownHome) rmSync(home, { recursive: true, force: true, maxRetries: 3 });
  };
  const browser = await chromium
    .launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
      timeout: opts.timeoutMs ?? 60_000,
    })
    .catch((e: unknown) => {
      removeHome(); // the caller gets no close() to call when the launch fails
      throw e;
    });
  return {
    browser,
    home,
    close: async () => {
      await browser.close().catch(() => {});
      removeHome();
    },
  };
}

export interface PageProblem {
  kind: 'pageerror' | 'console' | 'requestfailed' | 'http';
  page: string;
  text: string;
}

/**
 * Collects problems from every page of a context (pages opened later included). `allow` filters out the
 * ones a test provokes on purpose; keep it narrow.
 */
export class ProblemCollector {
  readonly problems: PageProblem[] = [];

  constructor(private readonly allow: (p: PageProblem) => boolean = () => false) {}

  watchContext(context: BrowserContext): this {
    for (const page of context.pages()) this.watchPage(page);
    context.on('page', (page) => this.watchPage(page));
    return this;
  }

  watchPage(page: Page): this {
    const where = () => page.url();
    const add = (p: PageProblem) => {
      if (!this.allow(p)) this.problems.push(p);
    };
    page.on('pageerror', (e) => add({ kind: 'pageerror', page: where(), text: e.stack ?? e.message }));
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error' || m.type() === 'assert') {
        const loc = m.location();
        add({ kind: 'console', page: where(), text: `${m.text()}${loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}` });
      }
    });
    page.on('requestfailed', (r) => {
      const why = r.failure()?.errorText ?? 'failed';
      // A navigation away (reload) aborts whatever was in flight; that is not a failure of the app.
      if (why === 'net::ERR_ABORTED') return;
      add({ kind: 'requestfailed', page: where(), text: `${r.method()} ${r.url()}: ${why}` });
    });
    page.on('response', (r) => {
      if (r.status() >= 400) add({ kind: 'http', page: where(), text: `${r.request().method()} ${r.url()} → ${r.status()}` });
    });
    return this;
  }

  format(): string {
    return this.problems.map((p) => `[${p.kind}] ${p.text}  @ ${p.page}`).join('\n');
  }
}

/** Saves a PNG of the page under artifacts/screenshots/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', timeout: 15_000 });
  return file;
}

// Small reads of page state. The callbacks run in the page; the casts only describe the browser globals,
// because the test tsconfig has no DOM lib.
type PageDocument = {
  cookie: string;
  documentElement: { dataset: Record<string, string | undefined> };
  activeElement: { getAttribute(name: string): string | null } | null;
};

/** `data-testid` of the focused element, or null. */
export function activeTestId(page: Page): Promise<string | null> {
  return page.evaluate(
    () => (globalThis as unknown as { document: PageDocument }).document.activeElement?.getAttribute('data-testid') ?? null,
  );
}

/** `<html data-theme>` as the page sees it. */
export function htmlTheme(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.documentElement.dataset.theme ?? null);
}

/** What scripts in the page can read of its cookies. */
export function scriptVisibleCookies(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.cookie);
}

export interface WireLevelExchange {
  url: string;
  /** Whether the browser attached a Cookie header (what the page's script cannot see). */
  sentCookie: boolean;
  /** The status the server really answered, even when CORS/CORP then hid the response from the page. */
  status: number | null;
}

/**
 * Records, through the Chrome DevTools Protocol, what really crossed the wire for a page's requests:
 * Playwright's `response` event is not raised for responses that CORS blocks, but a security test needs
 * to know what the server said and whether the browser sent the cookie.
 */
export async function recordWireExchanges(page: Page, urlPrefix: string): Promise<WireLevelExchange[]> {
  const cdp = await page.context().newCDPSession(page);
  const byId = new Map<string, WireLevelExchange>();
  const list: WireLevelExchange[] = [];
  const entry = (id: string) => {
    let e = byId.get(id);
    if (!e) {
      e = { url: '', sentCookie: false, status: null };
      byId.set(id, e);
    }
    return e;
  };
  cdp.on('Network.requestWillBeSent', (ev) => {
    if (!ev.request.url.startsWith(urlPrefix)) return;
    const e = entry(ev.requestId);
    e.url = ev.request.url;
    if (!list.includes(e)) list.push(e);
  });
  cdp.on('Network.requestWillBeSentExtraInfo', (ev) => {
    if (Object.keys(ev.headers).some((h) => h.toLowerCase() === 'cookie')) entry(ev.requestId).sentCookie = true;
  });
  cdp.on('Network.responseReceivedExtraInfo', (ev) => {
    entry(ev.requestId).status = ev.statusCode;
  });
  await cdp.send('Network.enable');
  return list;
}
