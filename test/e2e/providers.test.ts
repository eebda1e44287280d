// E2E: providers through the browser host against the OpenAI wire-format FIXTURE on 127.0.0.1 — add providers with keys
// in the keychain, test connections (loopback allowed in offline-only mode, cloud kinds refused), preview redaction,
// send two prompts through the router, then the Usage charts show the fixture's real token numbers; audit rows carry
// redaction counts, never content.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastUserText, pieces, type FixtureServer } from '../fixtures/providers/fixture-server';
import { startOpenAIFixture } from '../fixtures/providers/openai-fixture';
import { cleanupAll } from '../support/e2e/bounded';
import { ProblemCollector, launchChromium, saveScreenshot, type LaunchedBrowser } from '../support/e2e/browser';
import { makeTempDirs, startHost, type HostProcess, type TempDirs } from '../support/e2e/host';

const STEP_MS = 20_000;
const PASSPHRASE = 'correct horse battery staple';
const API_KEY = 'sk-fixture-e2e-key-0123456789';
const REPLY = 'Routed reply from the OpenAI wire-format fixture.';
const FAKE_SECRET = 'sk-proj-FAKEfake0000FAKEfake0000FAKEfake0000';
const FAKE_EMAIL = 'jane.doe@example.com';

let dirs: TempDirs;
let host: HostProcess | undefined;
let chromium: LaunchedBrowser | undefined;
let fixture: FixtureServer;
let page: Page;
const problems = new ProblemCollector();

const text = async (testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

async function addProvider(p: { kind: string; id: string; label: string; url: string; model: string; key: string }): Promise<void> {
  await page.getByTestId('provider-add').click();
  await page.getByTestId('provider-kind').selectOption(p.kind);
  await page.getByTestId('provider-id').fill(p.id);
  await page.getByTestId('provider-label').fill(p.label);
  await page.getByTestId('provider-url').fill(p.url);
  await page.getByTestId('provider-model').fill(p.model);
  await page.getByTestId('provider-key').fill(p.key);
  await page.getByTestId('provider-save').click();
  await page.getByTestId(`provider-row-${p.id}`).waitFor({ timeout: STEP_MS });
}

async function testConnection(id: string): Promise<string> {
  await page.getByTestId(`provider-test-btn-${id}`).click();
  await expect.poll(() => text(`provider-test-${id}`), { timeout: STEP_MS }).not.toBe('Testing…');
  return text(`provider-test-${id}`);
}

beforeAll(async () => {
  ({ server: fixture } = await startOpenAIFixture({ apiKey: API_KEY, reply: REPLY, models: ['gpt-4o-mini', 'gpt-4o'] }));
  dirs = makeTempDirs('evolve-e2e-providers-');
  chromium = await launchChromium();
  host = await startHost({ dirs });
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 1800 } });
  page = await context.newPage();
  problems.watchPage(page);
  await page.goto(host.launchUrl);
  await page.getByTestId('vault-gate').waitFor({ timeout: STEP_MS });
  await page.getByTestId('vault-secret').fill(PASSPHRASE);
  await page.getByTestId('vault-unlock').click();
  await page.getByTestId('recovery-key-dialog').waitFor({ timeout: STEP_MS });
  await page.getByTestId('recovery-key-saved').check();
  await page.getByTestId('recovery-key-done').click();
  await page.getByTestId('recovery-key-dialog').waitFor({ state: 'detached', timeout: STEP_MS });
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('provider-list').waitFor({ timeout: STEP_MS });
}, 90_000);

afterAll(async () => {
  await cleanupAll([
    ['host', () => host?.stop()],
    ['browser', () => chromium?.close()],
    ['fixture', () => fixture?.close()],
    ['dirs', () => dirs?.remove()],
  ]);
});

describe('providers in the browser host', () => {
  it('offline-only stays ON for a loopback OpenAI-compatible server: connection and models work, key is write-only', async () => {
    expect(await page.getByTestId('providers-offline-only').isChecked()).toBe(true);
    await addProvider({
      kind: 'openai-compatible',
      id: 'lan',
      label: 'Loopback server',
      url: `${fixture.url}/v1`,
      model: 'gpt-4o-mini',
      key: API_KEY,
    });
    await page.getByTestId('provider-row-lan').getByText('In keychain').waitFor({ timeout: STEP_MS });
    // The EgressGuard lets OpenAI-compatible endpoints reach loopback hosts even in offline-only mode.
    expect(await testConnection('lan')).toMatch(/^✓ /);
    await page.getByTestId('provider-models-btn-lan').click();
    await expect.poll(() => text('provider-models-lan'), { timeout: STEP_MS }).toContain('gpt-4o-mini');
    // The key never comes back to the page.
    expect(await page.content()).not.toContain(API_KEY);
    const auth = fixture.requests.find((r) => r.path === '/v1/models')?.headers['authorization'];
    expect(auth).toBe(`Bearer ${API_KEY}`);
  });

  it('a cloud-kind provider is refused while offline-only is on, and works once it is off', async () => {
    // kind "openai" is always treated as a cloud vendor (redaction, budgets, audit), here pointed at the fixture.
    await addProvider({
      kind: 'openai',
      id: 'cloud',
      label: 'OpenAI (fixture)',
      url: `${fixture.url}/v1`,
      model: 'gpt-4o-mini',
      key: API_KEY,
    });
    const before = fixture.requests.length;
    expect(await testConnection('cloud')).toMatch(/FORBIDDEN: Offline-only mode is on/);
    expect(fixture.requests.length).toBe(before); // refused before any socket
    await page.getByTestId('provider-route-cloud').click();
    await expect.poll(() => text('routes'), { timeout: STEP_MS }).toContain('cloud / gpt-4o-mini → local / local-default');
    // Allowing the provider's destination under Settings → Privacy → Allowed destinations lets it through with
    // offline-only still on; removing it refuses again.
    const where = new URL(fixture.url).host;
    const providers = page.getByTestId('egress-providers');
    await providers.getByRole('textbox').fill('not a host!');
    await providers.getByRole('button', { name: 'Allow' }).click();
    await expect.poll(() => providers.textContent(), { timeout: STEP_MS }).toContain('is not a destination');
    await providers.getByRole('textbox').fill(where);
    await providers.getByRole('button', { name: 'Allow' }).click();
    await providers.getByText(where, { exact: true }).waitFor({ timeout: STEP_MS });
    // The list updates optimistically; main has the new policy once settings.update returns, so the connection test
    // is repeated until then (a loaded machine lags here) — each refused attempt is refused before any socket.
    await expect.poll(() => testConnection('cloud'), { timeout: STEP_MS }).toMatch(/^✓ Connected: 2 models/);
    await providers.getByRole('button', { name: `Remove ${where}` }).click();
    await expect.poll(() => providers.textContent(), { timeout: STEP_MS }).toContain('nothing allowed');
    await expect.poll(() => testConnection('cloud'), { timeout: STEP_MS }).toMatch(/FORBIDDEN: Offline-only mode is on/);
    await page.getByTestId('providers-offline-only').uncheck();
    await expect.poll(() => text('providers-offline'), { timeout: STEP_MS }).toContain('Off: enabled cloud providers may be used');
    await expect.poll(() => testConnection('cloud'), { timeout: STEP_MS }).toMatch(/^✓ Connected: 2 models/);
  });

  it('previews exactly what will be sent, with the fake secret and e-mail redacted', async () => {
    await page.getByTestId('preview-provider').selectOption('cloud');
    await page.getByTestId('preview-input').fill(`Use key ${FAKE_SECRET} and mail ${FAKE_EMAIL} the result.`);
    await page.getByTestId('preview-run').click();
    await expect.poll(() => text('preview-text'), { timeout: STEP_MS }).toContain('[REDACTED_OPENAI_KEY_1]');
    const shown = await text('preview-text');
    expect(shown).toContain('[REDACTED_EMAIL_1]');
    expect(shown).not.toContain(FAKE_SECRET);
    expect(shown).not.toContain(FAKE_EMAIL);
    expect(await text('preview-counts')).toMatch(
      /2 items redacted: .*OPENAI_KEY × 1.*EMAIL × 1|2 items redacted: .*EMAIL × 1.*OPENAI_KEY × 1/,
    );
    expect(await text('preview-plan')).toContain('cloud / gpt-4o-mini — chosen');
    await saveScreenshot(page, 'providers');
  });

  it('sends two prompts through the router and shows why the provider was chosen', async () => {
    const prompts = [`Summarise: the key is ${FAKE_SECRET}`, 'Write a haiku about routers.'];
    const start = fixture.requests.length;
    for (const p of prompts) {
      await page.getByTestId('try-input').fill(p);
      await page.getByTestId('try-send').click();
      await expect.poll(() => text('try-output'), { timeout: STEP_MS }).toBe(REPLY);
      await page.getByTestId('try-decision').waitFor({ timeout: STEP_MS });
      await expect.poll(() => text('try-usage'), { timeout: STEP_MS }).toMatch(/\d+ prompt \+ \d+ completion tokens/);
      expect(await text('try-decision')).toContain('cloud / gpt-4o-mini — chosen (ok)');
    }
    const sent = fixture.requests.slice(start).filter((r) => r.path === '/v1/chat/completions');
    expect(sent).toHaveLength(2);
    // What reached the "cloud" was redacted.
    expect(sent[0]?.rawBody).not.toContain(FAKE_SECRET);
    expect(sent[0]?.rawBody).toContain('[REDACTED_OPENAI_KEY_1]');
  });

  it('Usage charts show the token numbers the fixture returned', async () => {
    const sent = fixture.requests.filter((r) => r.path === '/v1/chat/completions');
    const promptTokens = sent.reduce((a, r) => a + Math.ceil(lastUserText(r.body).length / 4) + 8, 0);
    const completionTokens = sent.length * pieces(REPLY).length;
    await page.getByTestId('usage-refresh').click();
    const tokenChart = page.getByTestId('chart-tokens');
    await expect.poll(async () => (await tokenChart.textContent()) ?? '', { timeout: STEP_MS }).toContain('cloud / gpt-4o-mini');
    const total = promptTokens + completionTokens;
    expect(await text('chart-tokens-value-0')).toBe(`${total.toLocaleString('en-US')} tok`);
    expect(await text('usage-totals')).toContain(`2 calls · ${promptTokens} tok in · ${completionTokens} tok out`);
    // gpt-4o-mini is priced at $0.15 / $0.60 per million tokens.
    const cost = (promptTokens * 0.15 + completionTokens * 0.6) / 1e6;
    expect(await text('chart-cost-value-0')).toBe(`$${cost.toFixed(6)}`);
    expect(await text('chart-latency-value-0')).toMatch(/^\d+ ms$/);
    await page.getByTestId('usage-panel').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'usage-charts');
  });

  it('the audit log has provider.send rows with redaction counts and no content', async () => {
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-kind').selectOption('provider.send');
    const table = page.getByTestId('audit-table');
    await expect.poll(async () => ((await table.textContent()) ?? '').split('provider.send').length - 1, { timeout: STEP_MS }).toBe(2);
    // The table shortens details; the JSONL export has every field.
    await page.getByTestId('audit-export').click();
    await page.getByText(/Exported \d+ rows to/).waitFor({ timeout: STEP_MS });
    const exportDir = path.join(dirs.dataDir, 'exports');
    const file = fs.readdirSync(exportDir)[0] ?? '';
    const raw = fs.readFileSync(path.join(exportDir, file), 'utf8');
    const sends = raw
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; data: { provider: string; payloadBytes: number; redactions: Record<string, number> } })
      .filter((r) => r.kind === 'provider.send');
    expect(sends.map((r) => r.data.provider)).toEqual(['cloud', 'cloud']);
    expect(sends[0]?.data.redactions).toEqual({ OPENAI_KEY: 1 });
    expect(sends[1]?.data.redactions).toEqual({});
    expect(sends.every((r) => r.data.payloadBytes > 0)).toBe(true);
    // Counts, never content: neither the secret nor the prompts are in the log.
    expect(raw).not.toContain(FAKE_SECRET);
    expect(raw).not.toContain('haiku');
    expect(raw).not.toContain('Summarise');
    expect(problems.format()).toBe('');
  });
  it('a daily budget refuses a send over it; a repeated deterministic prompt is answered from the cache', async () => {
    await page.getByTestId('nav-settings').click();
    const chats = () => fixture.requests.filter((r) => r.path === '/v1/chat/completions').length;
    const before = chats();
    await page.getByTestId('budget-daily').fill('0.0000001');
    await page.getByTestId('budget-save').click();
    await expect.poll(() => page.getByTestId('budget-daily').inputValue(), { timeout: STEP_MS }).toBe('1e-7');
    await page.getByTestId('try-input').fill('Over budget?');
    await page.getByTestId('try-send').click();
    await expect.poll(() => text('try-error'), { timeout: STEP_MS }).toContain('RESOURCE_EXHAUSTED');
    expect(await text('try-decision')).toContain('skipped (budget-day)');
    expect(chats()).toBe(before);
    await page.getByTestId('budget-daily').fill('');
    await page.getByTestId('budget-save').click();
    await expect.poll(() => page.getByTestId('budget-daily').inputValue(), { timeout: STEP_MS }).toBe('');

    await page.getByTestId('try-deterministic').check();
    await page.getByTestId('try-input').fill('Same question, temperature 0.');
    await page.getByTestId('try-send').click();
    await expect.poll(chats, { timeout: STEP_MS }).toBe(before + 1);
    await expect.poll(() => page.getByTestId('try-send').isEnabled(), { timeout: STEP_MS }).toBe(true);
    await page.getByTestId('try-send').click();
    await expect.poll(() => text('try-decision'), { timeout: STEP_MS }).toContain('chosen (cache-hit)');
    expect(await text('try-output')).toBe(REPLY);
    expect(chats()).toBe(before + 1);
    await page.getByTestId('usage-refresh').click();
    await expect.poll(() => text('usage-cache'), { timeout: STEP_MS }).toContain('50% hit rate (1 hits / 1 misses');
    expect(problems.format()).toBe('');
  });
});
