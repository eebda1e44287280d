// E2E: the built renderer in Debian Chromium, served by the real browser host (`evolve serve`): the status
// bar's real values, navigation by mouse and keyboard, theme persistence, diagnostics with progress and
// cancel, the host's security seen from a page, and a clean console for the whole run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTIONS, type Section } from '../../common/contracts/app';
import { SECTION_INFO } from '../../renderer/app/sections';
import { DEFAULT_CHECKS as CHECKS } from '../../main/services/doctor/doctor-service';
import { bounded, cleanupAll } from '../support/e2e/bounded';
import {
  ProblemCollector,
  activeTestId,
  htmlTheme,
  launchChromium,
  recordWireExchanges,
  saveScreenshot,
  scriptVisibleCookies,
  type LaunchedBrowser,
} from '../support/e2e/browser';
import { REPO_ROOT, requireBuiltApp, startHost, type HostProcess } from '../support/e2e/host';
import { rawRequest, rawUpgrade, startForeignOrigin, type ForeignOrigin } from '../support/e2e/net';
import { WireRecorder, gotoApp, loadApp } from '../support/e2e/wire';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; productName: string };

/** Every wait in this file is bounded by one of these. */
const STEP_MS = 15_000;
const DIAGNOSTICS_MS = 90_000; // the real checks spawn probes (python, ray import, chromium --version)

let host: HostProcess | undefined;
let chromium: LaunchedBrowser | undefined;
let context: BrowserContext;
let page: Page;
let wire: WireRecorder;
const extraContexts: BrowserContext[] = [];
let foreign: ForeignOrigin | undefined;
/** Problems on the app's own pages; must stay empty for the whole run. */
const problems = new ProblemCollector();
const screenshots: string[] = [];

function sectionLabel(id: Section): string {
  const info = SECTION_INFO.find((s) => s.id === id);
  if (!info) throw new Error(`no SECTION_INFO for ${id}`);
  return info.label;
}

/** The current section as the page shows it: its panel, its heading and the selected tab agree. */
async function expectSection(p: Page, id: Section): Promise<void> {
  await p.getByTestId(`section-${id}`).waitFor({ state: 'visible', timeout: STEP_MS });
  await expect.poll(() => p.locator('#section-panel h1').textContent(), { timeout: STEP_MS }).toBe(sectionLabel(id));
  await expect.poll(() => p.getByTestId(`nav-${id}`).getAttribute('aria-selected'), { timeout: STEP_MS }).toBe('true');
  // The section tab list is the sidebar's; a section may have tabs of its own (Cluster does).
  expect(await p.locator('main#section-panel[role="tabpanel"]').count()).toBe(1);
  expect(await p.locator('nav.sidebar [role="tab"][aria-selected="true"]').count()).toBe(1);
}

async function chooseTheme(p: Page, theme: 'system' | 'light' | 'dark'): Promise<void> {
  // The radio itself is visually hidden inside its label (a segmented control): click what a user clicks.
  await p.locator('label', { has: p.getByTestId(`theme-${theme}`) }).click({ timeout: STEP_MS });
  await expect.poll(() => p.getByTestId(`theme-${theme}`).isChecked(), { timeout: STEP_MS }).toBe(true);
}

function readSettingsFile(): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(path.join(host!.dirs.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

interface ProgressSample {
  value: number;
  max: number;
}

function progressSample(p: Page): Promise<ProgressSample | null> {
  return p.evaluate(() => {
    const el = (
      globalThis as unknown as { document: { querySelector(s: string): { value: number; max: number } | null } }
    ).document.querySelector('[data-testid="diagnostics"] progress');
    return el ? { value: el.value, max: el.max } : null;
  });
}

beforeAll(async () => {
  requireBuiltApp(); // a clear "run node scripts/build.mjs" instead of a confusing spawn failure
  host = await startHost();
  chromium = await launchChromium({ home: path.join(host.dirs.root, 'chromium-home') });
  context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);
  page = await context.newPage();
  problems.watchPage(page);
  wire = new WireRecorder(page);
  await gotoApp(page, wire, host.launchUrl, STEP_MS);
});

afterAll(async () => {
  if (screenshots.length > 0) console.info(`E2E screenshots:\n  ${screenshots.map((f) => path.relative(REPO_ROOT, f)).join('\n  ')}`);
  await cleanupAll([
    ['close extra browser contexts', () => Promise.all(extraContexts.map((c) => c.close()))],
    ['close browser', () => chromium?.close()],
    ['stop foreign-origin server', () => foreign?.close()],
    ['stop host', () => host?.stop()],
    ['remove temp dirs', () => host?.dirs.remove()],
  ]);
});

describe('browser host in Chromium', () => {
  it('renders the shell, and the status bar shows the real app status', async () => {
    expect(await page.title()).toBe('Evolve Studio');
    await page.getByTestId('status-bar').waitFor({ state: 'visible' });
    await expect
      .poll(() => page.getByTestId('status-version').textContent(), { timeout: STEP_MS })
      .toBe(`${pkg.productName} ${pkg.version}`);
    expect(await page.getByTestId('status-platform').textContent()).toBe(`${process.platform} ${process.arch}`);
    expect(await page.getByTestId('status-mode').textContent()).toBe('browser host');
    expect(await page.getByTestId('status-data-dir').textContent()).toBe(host!.dirs.dataDir);
    for (const backend of ['inference', 'database', 'keychain', 'cluster']) {
      expect(await page.getByTestId(`status-backend-${backend}`).textContent()).toMatch(
        new RegExp(`^${backend}: (ready|degraded|unavailable|not set up)$`),
      );
    }
    // Fresh data dir: the default section, and no error boundary anywhere.
    await expectSection(page, 'assistant');
    expect(await page.getByTestId('error-boundary').count()).toBe(0);
  });

  it('visits every section by clicking the sidebar, with a screenshot of each', async () => {
    expect(SECTION_INFO.map((s) => s.id)).toEqual([...SECTIONS]);
    for (const id of [...SECTIONS.slice(1), SECTIONS[0]]) {
      await page.getByTestId(`nav-${id}`).click();
      await expectSection(page, id);
      expect(await page.getByTestId('error-boundary').count()).toBe(0);
      screenshots.push(await saveScreenshot(page, id));
    }
  });

  it('visits every section with Ctrl+1…6 and with ArrowDown/ArrowUp in the sidebar', async () => {
    // Ctrl+digit, in an order where every press changes the section (we start on the first one).
    await expectSection(page, 'assistant');
    for (const info of [...SECTION_INFO].reverse()) {
      await page.keyboard.press(`Control+${info.shortcut}`);
      await expectSection(page, info.id);
    }
    // Arrow keys move the selection and the focus through the tab list, wrapping at both ends.
    await page.getByTestId('nav-assistant').focus();
    const down = [...SECTIONS.slice(1), SECTIONS[0]];
    for (const id of down) {
      await page.keyboard.press('ArrowDown');
      await expectSection(page, id);
      expect(await activeTestId(page)).toBe(`nav-${id}`);
    }
    const up = [...SECTIONS].reverse(); // settings (wrapped), audit, …, assistant
    for (const id of up) {
      await page.keyboard.press('ArrowUp');
      await expectSection(page, id);
      expect(await activeTestId(page)).toBe(`nav-${id}`);
    }
    // Only the selected tab is in the tab order (roving tabindex).
    expect(await page.locator('nav.sidebar [role="tab"][tabindex="0"]').count()).toBe(1);
    expect(await page.getByTestId('nav-assistant').getAttribute('tabindex')).toBe('0');
  });

  it('persists the theme through settings.update: dark survives a reload and lands in settings.json', async () => {
    await page.keyboard.press('Control+6');
    await expectSection(page, 'settings');

    await chooseTheme(page, 'light');
    await expect.poll(() => htmlTheme(page), { timeout: STEP_MS }).toBe('light');
    screenshots.push(await saveScreenshot(page, 'settings-light'));

    await chooseTheme(page, 'dark');
    await expect.poll(() => htmlTheme(page), { timeout: STEP_MS }).toBe('dark');
    // Every settings.update the page sent so far (navigation saves lastSection too) has been answered, ok.
    const answers = await wire.waitForAnswers('evolve:settings.update', wire.sent('evolve:settings.update').length, STEP_MS);
    expect(answers.every((a) => a.msg.result?.ok === true)).toBe(true);
    screenshots.push(await saveScreenshot(page, 'settings-dark'));

    // The host wrote it before answering; the file is the source of truth after a restart.
    await expect.poll(() => readSettingsFile()?.theme, { timeout: STEP_MS }).toBe('dark');
    expect(readSettingsFile()?.lastSection).toBe('settings');

    await loadApp(page, wire, () => page.reload({ waitUntil: 'load' }), STEP_MS);
    await expect.poll(() => htmlTheme(page), { timeout: STEP_MS }).toBe('dark');
    await expect.poll(() => page.getByTestId('theme-dark').isChecked(), { timeout: STEP_MS }).toBe(true);
    // The last section came back from settings too.
    await expectSection(page, 'settings');
  });

  it('runs diagnostics with a progress bar, a summary and one row per check', async () => {
    await expectSection(page, 'settings');
    const expectedIds = CHECKS.map((c) => c.id);
    const endsBefore = wire.answers('evolve:doctor.run').length;
    const started = Date.now();
    await page.getByTestId('diagnostics-run').click();

    // Watch the progress bar until the summary shows: it must appear, only move forward, and end full.
    const samples: ProgressSample[] = [];
    const summary = page.getByTestId('diagnostics-summary');
    while (!(await summary.isVisible())) {
      if (Date.now() - started > DIAGNOSTICS_MS) throw new Error(`diagnostics did not finish within ${DIAGNOSTICS_MS} ms`);
      const s = await progressSample(page);
      if (s && (samples.length === 0 || samples.at(-1)!.value !== s.value)) samples.push(s);
      await new Promise((r) => setTimeout(r, 10));
    }
    const took = Date.now() - started;
    const final = await progressSample(page);
    samples.push(final!);
    console.info(`diagnostics: ${took} ms, progress values seen: ${samples.map((s) => `${s.value}/${s.max}`).join(' → ')}`);

    // Seen while still running: the real checks spawn several probes (python, ray, chromium …), which takes
    // far longer than one 10 ms poll. Updates arrive batched per animation frame, so steps may be skipped.
    expect(samples[0]!.value).toBeLessThan(expectedIds.length);
    for (let i = 1; i < samples.length; i++) expect(samples[i]!.value).toBeGreaterThanOrEqual(samples[i - 1]!.value);
    expect(final).toEqual({ value: expectedIds.length, max: expectedIds.length });

    // The stream ended with a report, and the page shows exactly what it said.
    const [end] = (await wire.waitForAnswers('evolve:doctor.run', endsBefore + 1, STEP_MS)).slice(endsBefore);
    expect(end?.msg.result?.ok).toBe(true);
    const report = (end!.msg.result as unknown as { value: { summary: Record<'ok' | 'warn' | 'fail' | 'skip', number> } }).value;
    expect(await summary.textContent()).toBe(`${report.summary.ok} ok · ${report.summary.warn} warnings · ${report.summary.fail} failures`);
    for (const id of expectedIds) {
      const row = page.getByTestId(`check-${id}`);
      await row.waitFor({ state: 'visible', timeout: STEP_MS });
      expect(await row.getAttribute('class')).toMatch(/^check (ok|warn|fail|skip)$/);
    }
    expect(await page.locator('[data-testid^="check-"]').count()).toBe(expectedIds.length);
    for (const status of ['ok', 'warn', 'fail', 'skip'] as const) {
      expect(await page.locator(`[data-testid^="check-"].${status}`).count()).toBe(report.summary[status]);
    }
    // The host runs on the Node that runs these tests, which the project requires to be new enough.
    expect(await page.getByTestId('check-node').getAttribute('class')).toBe('check ok');
    expect(await page.getByTestId('diagnostics-run').textContent()).toBe('Run checks again');
    expect(await page.getByTestId('diagnostics-cancel').count()).toBe(0);
    screenshots.push(await saveScreenshot(page, 'settings-diagnostics'));
  });

  it('cancels diagnostics: a quick cancel on the real socket ends either cancelled or completed', async () => {
    await page.getByTestId('diagnostics-run').click();
    await page.getByTestId('diagnostics-cancel').click({ timeout: STEP_MS });
    // Cancel is a race on the real connection: the server only looks at the cancel between two checks,
    // and if every check already finished by the time the cancel frame is read, the stream ends with a
    // complete report. Both are correct outcomes; the next test removes the race to check "cancelled".
    const cancelled = page.getByRole('alert').filter({ hasText: 'Checks cancelled.' });
    const summary = page.getByTestId('diagnostics-summary');
    await expect.poll(async () => (await cancelled.isVisible()) || (await summary.isVisible()), { timeout: DIAGNOSTICS_MS }).toBe(true);
    const outcome = (await cancelled.isVisible()) ? 'cancelled' : 'completed';
    console.info(`quick cancel on the real socket: ${outcome}`);
    await expect.poll(() => page.getByTestId('diagnostics-run').isEnabled(), { timeout: STEP_MS }).toBe(true);
    expect(await page.getByTestId('diagnostics-cancel').count()).toBe(0);
    if (outcome === 'cancelled') expect(await summary.count()).toBe(0);
  });

  it('cancels diagnostics deterministically (the run request is held until the cancel follows it)', async () => {
    // A second tab whose WebSocket goes through Playwright's router to the real host. The router holds the
    // page's `open doctor.run` frame until the page sends its `cancel` for it, then delivers both back to
    // back: the host starts the run and aborts it before a second check can finish, so the only possible
    // outcome is CANCELLED. Everything else passes through unchanged.
    const ctx = await chromium!.browser.newContext({ viewport: { width: 1280, height: 800 } });
    extraContexts.push(ctx);
    ctx.setDefaultTimeout(STEP_MS);
    let hold = true;
    let held: { raw: string; id: number } | null = null;
    let forwardedPair = false;
    await ctx.routeWebSocket(
      (url) => url.pathname === '/ws',
      (ws: WebSocketRoute) => {
        const server = ws.connectToServer();
        ws.onMessage((raw) => {
          const text = String(raw);
          let msg: { t?: string; id?: number; channel?: string } = {};
          try {
            msg = JSON.parse(text) as typeof msg;
          } catch {
            /* forwarded as is */
          }
          if (hold && !held && msg.t === 'open' && msg.channel === 'evolve:doctor.run' && typeof msg.id === 'number') {
            held = { raw: text, id: msg.id };
            return;
          }
          if (held && msg.t === 'cancel' && msg.id === held.id) {
            server.send(held.raw);
            server.send(text);
            held = null;
            hold = false;
            forwardedPair = true;
            return;
          }
          server.send(raw);
        });
      },
    );
    const p2 = await ctx.newPage();
    problems.watchPage(p2);
    await p2.goto(host!.launchUrl, { waitUntil: 'load' });
    await p2.getByTestId('status-version').waitFor({ state: 'visible' });
    await expectSection(p2, 'settings'); // lastSection from the shared data dir
    await expect.poll(() => htmlTheme(p2), { timeout: STEP_MS }).toBe('dark');

    await p2.getByTestId('diagnostics-run').click();
    await p2.getByTestId('diagnostics-cancel').waitFor({ state: 'visible' });
    await expect.poll(() => held !== null, { timeout: STEP_MS }).toBe(true);
    expect(await p2.locator('[data-testid^="check-"]').count()).toBe(0); // nothing reached the host yet
    await p2.getByTestId('diagnostics-cancel').click();

    await p2.getByRole('alert').filter({ hasText: 'Checks cancelled.' }).waitFor({ state: 'visible', timeout: STEP_MS });
    expect(forwardedPair).toBe(true);
    expect(await p2.getByTestId('diagnostics-summary').count()).toBe(0);
    expect(await p2.getByTestId('diagnostics-cancel').count()).toBe(0);
    expect(await p2.locator('[data-testid^="check-"]').count()).toBeLessThan(CHECKS.length);

    // After a cancel the panel is usable again: a new run completes (the router no longer holds anything).
    await p2.getByTestId('diagnostics-run').click();
    await p2.getByTestId('diagnostics-summary').waitFor({ state: 'visible', timeout: DIAGNOSTICS_MS });
    expect(await p2.getByRole('alert').filter({ hasText: 'Checks cancelled.' }).count()).toBe(0);
    expect(await p2.locator('[data-testid^="check-"]').count()).toBe(CHECKS.length);
    await p2.close();
  });

  describe('security, from the page and from outside', () => {
    it('trades the launch token for an HttpOnly cookie that scripts cannot read', async () => {
      const token = host!.token;
      expect(page.url()).toBe(host!.url);
      expect(page.url()).not.toContain(token);
      expect(await scriptVisibleCookies(page)).not.toContain(token);
      expect(await scriptVisibleCookies(page)).toBe('');
      expect(await page.content()).not.toContain(token);
      const cookies = await context.cookies(host!.url);
      expect(cookies).toHaveLength(1);
      expect(cookies[0]).toMatchObject({ name: 'evolve_token', value: token, httpOnly: true, sameSite: 'Strict', path: '/' });
    });

    it('answers raw HTTP without a valid token with 401, and checks Host and Origin', async () => {
      const port = host!.port;
      const cookie = `evolve_token=${host!.token}`;
      for (const p of ['/', '/index.html', '/settings', '/favicon.ico', '/?token=wrong', `/?token=${host!.token}x`]) {
        const r = await rawRequest(port, p);
        expect(r.status, `GET ${p}`).toBe(401);
        expect(r.body).toContain('launch token');
      }
      expect((await rawRequest(port, '/', { headers: { Cookie: 'evolve_token=nope' } })).status).toBe(401);
      // Positive control: the same request with the cookie is served, with the hardening headers.
      const ok = await rawRequest(port, '/', { headers: { Cookie: cookie } });
      expect(ok.status).toBe(200);
      expect(ok.headers['content-security-policy']).toContain("default-src 'self'");
      expect(ok.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(ok.headers['x-frame-options']).toBe('DENY');
      expect(ok.headers['x-content-type-options']).toBe('nosniff');
      // DNS rebinding: a foreign Host name is refused even with a valid token.
      expect((await rawRequest(port, '/', { headers: { Cookie: cookie, Host: `evil.example:${port}` } })).status).toBe(403);
      expect((await rawRequest(port, '/', { method: 'POST', headers: { Cookie: cookie } })).status).toBe(405);

      const origin = `http://127.0.0.1:${port}`;
      expect((await rawUpgrade(port, '/ws', { Origin: origin })).status).toBe(401);
      expect((await rawUpgrade(port, '/ws', { Origin: origin, Cookie: 'evolve_token=nope' })).status).toBe(401);
      expect((await rawUpgrade(port, '/ws', { Cookie: cookie })).status).toBe(403); // no Origin at all
      expect((await rawUpgrade(port, '/ws', { Origin: 'http://127.0.0.1:1', Cookie: cookie })).status).toBe(403);
      expect((await rawUpgrade(port, '/ws', { Origin: 'http://evil.example', Cookie: cookie })).status).toBe(403);
      expect((await rawUpgrade(port, '/ws', { Origin: origin, Cookie: cookie })).status).toBe(101); // positive control
    });

    it('refuses a page on another origin: its fetch fails and its WebSocket is rejected', async () => {
      foreign = await startForeignOrigin();
      // Same browser context as the app (the cookie is in the jar), as when the user visits another site
      // while the app is open. Its expected network errors are collected apart from the app's.
      const fp = await context.newPage();
      const foreignConsole: string[] = [];
      fp.on('console', (m) => {
        if (m.type() === 'error') foreignConsole.push(m.text());
      });
      const exchanges = await recordWireExchanges(fp, host!.url);
      const wsErrors: string[] = [];
      fp.on('websocket', (ws) => ws.on('socketerror', (e) => wsErrors.push(e)));
      await fp.goto(foreign.url, { waitUntil: 'load' });

      const hostUrl = host!.url;
      const wsUrl = `ws://127.0.0.1:${host!.port}/ws`;
      type Outcome = { ok: true; status: number } | { ok: false; error: string };
      const attempt = (credentials: 'omit' | 'same-origin' | 'include') =>
        bounded(
          fp.evaluate(
            async ({ url, credentials }) => {
              try {
                const r = await fetch(url, { credentials });
                return { ok: true, status: r.status } as const;
              } catch (e) {
                return { ok: false, error: String(e) } as const;
              }
            },
            { url: hostUrl, credentials },
          ) as Promise<Outcome>,
          STEP_MS,
          `foreign fetch (${credentials})`,
        );
      // No CORS headers on the host: the foreign page can read nothing, with or without credentials.
      for (const credentials of ['omit', 'same-origin', 'include'] as const) {
        const outcome = await attempt(credentials);
        expect(outcome.ok, `fetch with credentials: ${credentials} → ${JSON.stringify(outcome)}`).toBe(false);
      }
      // What really crossed the wire (CDP): the browser marks these requests Sec-Fetch-Site: same-site
      // (another port on 127.0.0.1 is the same *site*, so with credentials: 'include' the SameSite=Strict
      // cookie DOES go out) — and the host refuses all of them by their fetch metadata with 403, cookie
      // or not, so not even a status-code side channel is left.
      await expect.poll(() => exchanges.filter((e) => e.status !== null).length, { timeout: STEP_MS }).toBe(3);
      console.info(`foreign fetches as the host saw them: ${JSON.stringify(exchanges)}`);
      expect(exchanges.map((e) => e.status)).toEqual([403, 403, 403]);
      expect(exchanges.some((e) => e.sentCookie)).toBe(true);

      const ws = await bounded(
        fp.evaluate(
          ({ url, ms }) =>
            new Promise<{ opened: boolean; errored: boolean; closeCode: number | null; messages: number }>((resolve) => {
              type Sock = { addEventListener(t: string, cb: (e: { code?: number }) => void): void; close(): void };
              const W = (globalThis as unknown as { WebSocket: new (u: string) => Sock }).WebSocket;
              const out = { opened: false, errored: false, closeCode: null as number | null, messages: 0 };
              const s = new W(url);
              const done = () => resolve(out);
              const timer = setTimeout(() => {
                s.close();
                done();
              }, ms);
              s.addEventListener('open', () => {
                out.opened = true;
                // Try to use it, as an attacker would: ask for the settings.
                (s as unknown as { send(d: string): void }).send(
                  JSON.stringify({ t: 'call', id: 1, channel: 'evolve:settings.get', input: {} }),
                );
              });
              s.addEventListener('message', () => (out.messages += 1));
              s.addEventListener('error', () => (out.errored = true));
              s.addEventListener('close', (e) => {
                out.closeCode = e.code ?? null;
                clearTimeout(timer);
                done();
              });
            }),
          { url: wsUrl, ms: 5_000 },
        ),
        STEP_MS,
        'foreign WebSocket',
      );
      expect(ws).toEqual({ opened: false, errored: true, closeCode: 1006, messages: 0 });
      expect(wsErrors.join('\n')).toMatch(/403/);
      expect(foreignConsole.some((t) => /WebSocket connection to .* failed/.test(t))).toBe(true);
      await fp.close();
    });
  });

  it('had no uncaught page errors, console errors or failed requests on the app pages, and no host errors', () => {
    // Collected since the first navigation: any favicon 404, CSP violation or React error shows up here.
    expect(problems.format()).toBe('');
    expect(host!.stderr()).not.toMatch(/\[error\]/);
  });
});
