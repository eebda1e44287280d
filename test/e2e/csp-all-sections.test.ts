// E2E: every section of the renderer (the list comes from renderer/app/sections.ts, so a new section is covered
// without touching this file) and every tab inside a section, loaded in Chromium through the browser host under its
// real CSP, with zero violations allowed — securitypolicyviolation events and console CSP errors both count. The CSP
// the browser received is checked too (directive by directive: test/unit/host/csp-policy.test.ts). No model is loaded.
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTION_INFO } from '../../renderer/app/sections';
import { createVault, openAppSession, type AppSession } from '../support/e2e/app-session';

const STEP_MS = 15_000;

let session: AppSession | undefined;
let page: Page;
/** Console lines Chromium writes for a blocked resource or inline code ("Refused to … Content Security Policy"). */
const consoleCsp: string[] = [];
let cspHeader = '';

/** Violations the page recorded (the listener is an init script, which runs outside the page's CSP). */
const violations = () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

beforeAll(async () => {
  session = await openAppSession({
    prefix: 'evolve-e2e-csp-',
    initScript: () => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.__csp.push(`${e.violatedDirective} blocked=${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} "${e.sample}"`),
      );
    },
  });
  page = session.page;
  page.on('console', (m: ConsoleMessage) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|evaluate|frame)/i.test(m.text())) consoleCsp.push(m.text());
  });
  // The launch page redirects to "/"; reload it to read the CSP header the browser enforces.
  const res = await page.reload();
  cspHeader = (await res?.headerValue('content-security-policy')) ?? '';
  await page.getByTestId('status-version').waitFor({ timeout: STEP_MS });
  await createVault(page, 'csp e2e passphrase');
}, 60_000);

afterAll(async () => {
  await session?.close();
});

/** Clicks every tab of every tab list inside the section (Cluster's Clusters/Train/Jobs/Ops…), whatever they are. */
async function visitSubTabs(sectionId: string): Promise<string[]> {
  const seen: string[] = [];
  const tabs = page.locator('#section-panel [role="tablist"] [role="tab"]');
  const n = await tabs.count();
  for (let i = 0; i < n; i++) {
    const tab = tabs.nth(i);
    if (!(await tab.isVisible()) || (await tab.isDisabled())) continue;
    await tab.click({ timeout: STEP_MS });
    await expect.poll(() => tab.getAttribute('aria-selected'), { timeout: STEP_MS }).toBe('true');
    seen.push(`${sectionId}/${((await tab.textContent()) ?? '').trim()}`);
  }
  return seen;
}

describe('strict CSP across the whole renderer', () => {
  it('the page is served with a CSP that allows no inline or eval script', () => {
    expect(cspHeader).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(cspHeader).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|\*/);
  });

  it('every section and every tab inside one renders with zero CSP violations', async () => {
    expect(SECTION_INFO.length).toBeGreaterThan(0);
    // The sidebar shows exactly the sections the list names (a section missing from it would go unvisited).
    expect(await page.locator('nav.sidebar [role="tab"]').count()).toBe(SECTION_INFO.length);
    const visited: string[] = [];
    for (const s of SECTION_INFO) {
      await page.getByTestId(`nav-${s.id}`).click({ timeout: STEP_MS });
      await page.getByTestId(`section-${s.id}`).waitFor({ state: 'visible', timeout: STEP_MS });
      await expect.poll(() => page.locator('#section-panel h1').textContent(), { timeout: STEP_MS }).toBe(s.label);
      visited.push(s.id, ...(await visitSubTabs(s.id)));
    }
    // Back to the first section with the keyboard shortcut, then let late effects (lazy chunks, styles) settle.
    await page.keyboard.press(`Control+${SECTION_INFO[0]?.shortcut ?? '1'}`);
    await page.waitForTimeout(500);
    console.info(`[csp] visited ${visited.length} views: ${visited.join(', ')}`);
    expect(visited.length).toBeGreaterThan(SECTION_INFO.length); // at least one section has tabs (Cluster)
    expect(await violations(), 'securitypolicyviolation events').toEqual([]);
    expect(consoleCsp, 'console CSP errors').toEqual([]);
  });
});
