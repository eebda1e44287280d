// Model output is untrusted: an XSS corpus rendered by the chat's Markdown component produces no
// script, handler, dangerous URL or active element, and — loaded into real Chromium without any CSP,
// with every element hovered, focused and clicked — executes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Markdown } from '../../renderer/features/assistant/Markdown';
import { launchChromium, type LaunchedBrowser } from '../support/e2e/browser';

const corpus = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/xss/markdown-corpus.json'), 'utf8')) as { cases: string[] };
const render = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

let chromium: LaunchedBrowser | undefined;
let browser: Browser;
beforeAll(async () => {
  chromium = await launchChromium();
  browser = chromium.browser;
});
afterAll(async () => {
  await chromium?.close(); // the launcher's close, which also removes Chromium's temp HOME (browser.close() alone did not)
});

describe('markdown rendering of hostile model output', () => {
  it('emits no script, event handler, dangerous URL or active element', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(30);
    for (const text of corpus.cases) {
      const html = render(text);
      expect(html, text).not.toMatch(/<(script|iframe|object|embed|style|meta|base|form|input|svg|math|video|source|noscript|body)\b/i);
      // Look at real tags' attributes only (escaped text such as `&lt;img onerror=…&gt;` is harmless).
      for (const [, , attrs = ''] of html.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/gi)) {
        expect(attrs, text).not.toMatch(/\son[a-z]+\s*=/i);
        expect(attrs, text).not.toMatch(/(href|src|action|data|xlink:href)\s*=\s*"\s*(javascript|vbscript|data):/i);
      }
      expect(html, text).not.toMatch(/<img\b/i);
    }
  });

  it('still renders ordinary markdown: code blocks with highlighting and copy, safe links', () => {
    const html = render('Here:\n\n```python\ndef fib(n):\n    return n\n```\n\nSee [docs](https://example.com/x).');
    expect(html).toContain('class="code-block"');
    expect(html).toContain('hljs');
    expect(html).toContain('data-testid="copy-code"');
    expect(html).toContain('href="https://example.com/x" target="_blank" rel="noopener noreferrer nofollow"');
  });

  it('executes nothing in a real browser, even with every element hovered, focused and clicked', async () => {
    const page = await browser.newPage();
    const html = corpus.cases.map((t, i) => `<section id="case-${i}">${render(t)}</section>`).join('\n');
    await page.setContent(`<!doctype html><html><body>${html}</body></html>`);
    const count = await page.evaluate(() => {
      const all = Array.from(document.querySelectorAll('body *')) as HTMLElement[];
      for (const el of all) {
        for (const type of ['mouseover', 'focus', 'click', 'toggle', 'error', 'load']) el.dispatchEvent(new Event(type, { bubbles: true }));
        // Safe http(s)/mailto links would only open a new tab (offline here); everything else is clicked.
        if (el instanceof HTMLAnchorElement && /^(https?|mailto):/.test(el.href)) continue;
        // Anything else would run here, not in a new tab where this page could not see it.
        el.removeAttribute('target');
        el.click();
      }
      return all.length;
    });
    await page.waitForTimeout(300);
    expect(count).toBeGreaterThan(50);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // A javascript: URL that evaluates to a value replaces the whole document — so check it is still ours.
    expect(await page.evaluate(() => document.querySelectorAll('section[id^="case-"]').length)).toBe(corpus.cases.length);
    expect(page.url()).toBe('about:blank');
    await page.close();
  });
});
