// E2E: the project index as a user meets it in the browser host — add a fixture folder, index it and watch the
// progress bar, cancel, resume (the catalog skips what was done), search and see hits with file:line, snippet
// and the BM25 / vector / fused scores, and the repo map.
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, openAppSession, type AppSession } from '../support/e2e/app-session';
import { saveScreenshot } from '../support/e2e/browser';
import { writeFixtureProject, writeManyFiles } from '../integration/projects/harness';

const MODEL_CACHE = process.env.EVOLVE_MODEL_CACHE ?? path.join(os.homedir(), '.cache', 'evolve-studio', 'models');
const haveEmbedder = existsSync(path.join(MODEL_CACHE, 'all-minilm-l6-v2', 'model.onnx'));
if (!haveEmbedder) console.warn('[e2e] embedding model missing: the projects test runs with BM25 only (vector scores shown as –)');
const STEP_MS = 30_000;
const INDEX_MS = 240_000;

let session: AppSession | undefined;
let page: Page;
let fixture = '';

const stateText = () => page.getByTestId('project-state').first().textContent();

beforeAll(async () => {
  session = await openAppSession({
    prefix: 'evolve-e2e-projects-',
    env: { EVOLVE_MODEL_CACHE: MODEL_CACHE },
    viewport: { width: 1280, height: 900 },
    prepare: (dirs) => {
      fixture = path.join(dirs.root, 'fixture');
      mkdirSync(fixture);
      writeFixtureProject(fixture);
      // Enough files that the run is still going when Cancel is pressed on a 2-core machine.
      writeManyFiles(fixture, 400);
    },
  });
  page = session.page;
  await createVault(page, 'projects e2e passphrase');
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('projects in the browser host', () => {
  it('refuses a too-broad folder and adds the fixture project', async () => {
    await page.getByTestId('nav-projects').click();
    await page.getByTestId('project-path').fill('/');
    await page.getByTestId('project-add').click();
    await expect.poll(() => page.getByTestId('projects-error').textContent(), { timeout: STEP_MS }).toMatch(/root of a filesystem/);
    await page.getByTestId('project-path').fill(fixture);
    await page.getByTestId('project-add').click();
    await expect.poll(stateText, { timeout: STEP_MS }).toMatch(/never · 0 files/);
  }, 60_000);

  it(
    'indexes with a progress bar, cancels, and resumes from where it stopped',
    async () => {
      await page.getByTestId('project-index').click();
      const text = page.getByTestId('index-progress-text');
      await expect
        .poll(() => text.textContent().catch(() => ''), { timeout: INDEX_MS })
        .toMatch(/indexing · [1-9]\d*\/\d+\+? files · \d+ chunks · [\d.]+ files\/s/);
      await saveScreenshot(page, 'projects-indexing');
      await page.getByTestId('project-cancel').click();
      await expect.poll(stateText, { timeout: STEP_MS }).toMatch(/cancelled · [1-9]\d* files/);
      const partial = Number(/cancelled · (\d+) files/.exec((await stateText()) ?? '')?.[1]);
      expect(partial).toBeLessThan(407);
      await expect.poll(() => page.getByTestId('project-index').textContent(), { timeout: STEP_MS }).toBe('Resume indexing');
      await page.getByTestId('project-index').click();
      await expect.poll(stateText, { timeout: INDEX_MS, interval: 500 }).toMatch(/done · 40\d files/);
    },
    INDEX_MS * 2 + 60_000,
  );

  it('searches and shows hits with file:line, snippet and the three scores', async () => {
    await page.getByTestId('project-query').fill('parse quaternion');
    await page.getByTestId('project-search').click();
    const first = page.getByTestId('search-hit').first();
    await first.waitFor({ timeout: STEP_MS });
    expect(await first.getByTestId('hit-location').textContent()).toMatch(/^src\/quaternion\.ts:\d+-\d+$/);
    const scores = (await first.getByTestId('hit-scores').textContent()) ?? '';
    expect(scores).toMatch(/fused 0\.\d{4} · bm25 \d+\.\d{3} · vector /);
    if (haveEmbedder) expect(scores).toMatch(/vector 0\.\d{3}/);
    expect(await first.locator('pre').textContent()).toContain('parseQuaternion');
    await saveScreenshot(page, 'projects-search');
    expect(session!.problems.format()).toBe('');
  }, 60_000);
});
