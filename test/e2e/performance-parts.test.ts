// E2E: the Performance panel's parts (test/support/e2e/perf-gallery) built by Vite like the app and served under the
// app's own CSP (contentSecurityPolicy, without a style nonce: stricter than the app), in Chromium. The d3 flame graph
// draws, zooms on click, resets, highlights a search (a RegExp-breaking term too), follows a resize; the hot table
// sorts and moves by keyboard; zero CSP violations and zero page errors.
import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../main/host/security';
import { launchChromium, ProblemCollector, type LaunchedBrowser } from '../support/e2e/browser';

const GALLERY = path.resolve(__dirname, '../support/e2e/perf-gallery');
const STEP_MS = 15_000;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

let outDir = '';
let server: http.Server;
let base = '';
let launched: LaunchedBrowser | undefined;
let page: Page;
const problems = new ProblemCollector();

const violations = () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
const readWidth = (name: string) =>
  page.evaluate((n) => Number(document.querySelector(`g.frame[name="${n}"] rect`)?.getAttribute('width') ?? NaN), name);
/** A frame's width once its transition has ended (two reads 150 ms apart agree). */
async function rectWidth(name: string): Promise<number> {
  let last = await readWidth(name);
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(150);
    const now = await readWidth(name);
    if (Math.abs(now - last) < 0.01) return now;
    last = now;
  }
  return last;
}
const svgWidth = () => page.evaluate(() => Number(document.querySelector('svg.d3-flame-graph')?.getAttribute('width') ?? NaN));
const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('data-name') ?? null);

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-perf-gallery-'));
  await build({
    configFile: false,
    root: GALLERY,
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'chrome130' },
  });
  server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    if (rel === 'favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = path.join(outDir, rel);
    if (!file.startsWith(outDir) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const { port } = server.address() as AddressInfo;
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy(`127.0.0.1:${port}`),
    });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  launched = await launchChromium();
  const context = await launched.browser.newContext({ viewport: { width: 1000, height: 900 } });
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} "${e.sample}"`),
    );
  });
  page = await context.newPage();
  problems.watchPage(page);
  await page.goto(base);
  await page.locator('svg.d3-flame-graph g.frame[name="sort_items"]').waitFor({ timeout: STEP_MS });
}, 120_000);

afterAll(async () => {
  await launched?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

describe('performance parts in Chromium under the app CSP', () => {
  it('draws one frame per merged stack node, proportional to time', async () => {
    const names = await page.evaluate(() => [...document.querySelectorAll('g.frame')].map((g) => g.getAttribute('name')));
    expect(names.sort()).toEqual(['all', 'len', 'main', 'parse', 'sort_items']);
    const [all, sort, parse] = [await rectWidth('all'), await rectWidth('sort_items'), await rectWidth('parse')];
    expect(sort / all).toBeCloseTo(15 / 21, 2);
    expect(parse / all).toBeCloseTo(6 / 21, 2);
    // The library's stylesheet (imported by its ES build, bundled by Vite into the page's CSS file) applies.
    const opacity = await page.evaluate(() => getComputedStyle(document.querySelector('g.frame rect') as Element).fillOpacity);
    expect(opacity).toBe('0.8');
  });

  it('zooms on click and resets', async () => {
    const all = await rectWidth('all');
    const parseBefore = await rectWidth('parse');
    const reset = page.getByTestId('perf-flame-reset');
    expect(await reset.isDisabled()).toBe(true);
    await page.locator('g.frame[name="parse"]').click();
    await expect.poll(() => rectWidth('parse'), { timeout: STEP_MS }).toBeCloseTo(all, 0);
    expect(await reset.isDisabled()).toBe(false);
    await reset.click();
    await expect.poll(() => rectWidth('parse'), { timeout: STEP_MS }).toBeCloseTo(parseBefore, 0);
    // Escape on the focused graph also zooms out.
    await page.locator('g.frame[name="sort_items"]').click();
    await expect.poll(() => rectWidth('sort_items'), { timeout: STEP_MS }).toBeCloseTo(all, 0);
    await page.getByTestId('perf-flame-host').focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => rectWidth('parse'), { timeout: STEP_MS }).toBeCloseTo(parseBefore, 0);
  });

  it('highlights search matches and survives a term that is not a valid RegExp', async () => {
    const fill = (n: string) => page.evaluate((x) => document.querySelector(`g.frame[name="${x}"] rect`)?.getAttribute('fill'), n);
    const plain = await fill('sort_items');
    await page.getByTestId('perf-flame-search').fill('SORT');
    await expect.poll(() => fill('sort_items'), { timeout: STEP_MS }).toBe('#E600E6');
    expect(await fill('parse')).not.toBe('#E600E6');
    expect(await page.getByTestId('perf-flame-matches').textContent()).toContain('15.0 ms of 21.0 ms');
    await page.getByTestId('perf-flame-search').fill('parse(');
    await expect.poll(() => fill('sort_items'), { timeout: STEP_MS }).toBe(plain);
    await page.getByTestId('perf-flame-search').fill('');
    expect(problems.problems).toEqual([]);
  });

  it('follows its container when the window is resized', async () => {
    const wide = await svgWidth();
    await page.setViewportSize({ width: 700, height: 900 });
    await expect.poll(svgWidth, { timeout: STEP_MS }).toBeLessThan(wide - 200);
    await page.setViewportSize({ width: 1000, height: 900 });
    await expect.poll(svgWidth, { timeout: STEP_MS }).toBeCloseTo(wide, -1);
  });

  it('sorts the hot table and moves between rows by keyboard; Enter opens file:line', async () => {
    const rowNames = () => page.locator('[data-testid="perf-hot-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    expect(await rowNames()).toEqual(['sort_items', 'parse', 'len']);
    await page.getByTestId('perf-hot-sort-calls').click();
    expect(await rowNames()).toEqual(['len', 'parse', 'sort_items']);
    await page.getByTestId('perf-hot-sort-calls').click();
    expect(await rowNames()).toEqual(['sort_items', 'parse', 'len']);
    await page.locator('[data-testid="perf-hot-row"]').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await focusedName()).toBe('parse');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    expect(await focusedName()).toBe('len');
    await page.keyboard.press('Enter'); // a built-in has no file: nothing to open
    expect(await page.evaluate(() => (window as unknown as { __opened: string[] }).__opened)).toEqual(['app.py:10']);
  });

  it('shows the chart and the proven badge, with no CSP violation and no page error anywhere', async () => {
    expect(await page.locator('[data-testid="perf-interval"][data-clears="true"]').count()).toBe(2);
    expect(await page.getByTestId('perf-verdict').getAttribute('data-outcome')).toBe('proven');
    const badge = (await page.getByTestId('perf-verdict').innerText()).split('\n')[0];
    expect(badge).toContain('Proven 100× (90–110×, 95 %)');
    expect(await violations()).toEqual([]);
    expect(problems.format()).toBe('');
  });
});
