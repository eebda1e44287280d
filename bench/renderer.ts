// Benchmark: the real renderer in Debian's Chromium through the browser host (`evolve serve`) while a REAL local
// model (Gemma 3 270M, llama.cpp, ~60 tok/s here, up to 512 tokens) streams an answer into the chat view. In the
// page, requestAnimationFrame timestamps and PerformanceObserver('longtask') entries give: frames during the stream,
// % of frames that did not overlap a long task (goal ≥ 95 %), longest task and p95 frame interval.
// Run: npm run bench:renderer [-- --json] [--out FILE]. Needs the built app (node scripts/build.mjs) and the model.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { HAVE_MODEL, MODEL_PATH, SKIP_REASON } from '../test/fixtures/models/default-model';
import { launchChromium, type LaunchedBrowser } from '../test/support/e2e/browser';
import { makeTempDirs, startHost, type HostProcess } from '../test/support/e2e/host';
import { frameStats, type FrameStats, type LongTask } from './lib/frames';

const flag = (name: string) => process.argv.includes(`--${name}`);
const GOAL_CLEAN_PCT = 95;
const STEP_MS = 30_000;
const GEN_MS = 180_000;

// What the recorder leaves on the page. Described here because the node tsconfig has no DOM lib.
interface PageGlobals {
  __bench?: { raf: number[]; tasks: LongTask[]; on: boolean; obs: { disconnect(): void } };
}

// Sent as source text: tsx (esbuild keepNames) would wrap named inner functions in a `__name` helper the page lacks.
const START_RECORDING = `(() => {
  const g = globalThis;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) g.__bench.tasks.push({ start: e.startTime, duration: e.duration });
  });
  g.__bench = { raf: [], tasks: [], on: true, obs };
  obs.observe({ type: 'longtask' });
  const tick = (t) => {
    if (!g.__bench.on) return;
    g.__bench.raf.push(t);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

function startRecording(page: Page): Promise<void> {
  return page.evaluate(START_RECORDING);
}

async function stopRecording(page: Page): Promise<{ raf: number[]; tasks: LongTask[] }> {
  // One more frame so long tasks that ended the stream are delivered to the observer before it disconnects.
  await page.waitForTimeout(200);
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const b = g.__bench;
    if (!b) return { raf: [], tasks: [] };
    b.on = false;
    b.obs.disconnect();
    return { raf: b.raf, tasks: b.tasks };
  });
}

interface StreamRun {
  source: string;
  tokens: number;
  streamMs: number;
  stats: FrameStats;
  statsLine: string;
}

/** Sends one prompt; records frames from the click on Send (prompt processing included) to the end of the stream. */
async function streamOnce(page: Page): Promise<StreamRun> {
  await page.getByTestId('chat-input').fill('Once upon a time, in a land far away, there lived a dragon who');
  await startRecording(page);
  await page.getByTestId('chat-send').click();
  const streaming = page.getByTestId('message-streaming');
  await streaming.waitFor({ timeout: STEP_MS });
  const t0 = Date.now();
  await streaming.waitFor({ state: 'detached', timeout: GEN_MS });
  const streamMs = Date.now() - t0;
  const rec = await stopRecording(page);
  const statsLine = (await page.getByTestId('message-stats').last().textContent()) ?? '';
  const tokens = Number(/(\d+) tokens/.exec(statsLine)?.[1] ?? 0);
  return { source: 'local Gemma 3 270M (llama.cpp, base model)', tokens, streamMs, stats: frameStats(rec.raf, rec.tasks), statsLine };
}

async function main(): Promise<void> {
  if (!HAVE_MODEL) throw new Error(SKIP_REASON);
  const dirs = makeTempDirs('evolve-bench-renderer-');
  let host: HostProcess | undefined;
  let chromium: LaunchedBrowser | undefined;
  try {
    mkdirSync(path.join(dirs.modelCacheDir, 'gemma-3-270m'));
    symlinkSync(MODEL_PATH, path.join(dirs.modelCacheDir, 'gemma-3-270m', path.basename(MODEL_PATH)));
    chromium = await launchChromium();
    host = await startHost({ dirs });
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    await page.goto(host.launchUrl);
    await page.getByTestId('vault-secret').fill('renderer bench passphrase');
    await page.getByTestId('vault-unlock').click();
    await page.getByTestId('recovery-key-saved').check({ timeout: STEP_MS });
    await page.getByTestId('recovery-key-done').click();
    await page.getByTestId('nav-assistant').click();
    await page.getByTestId('chat-model').waitFor({ timeout: STEP_MS });
    for (let i = 0; i < 100 && !/gemma/i.test((await page.getByTestId('chat-model').textContent()) ?? ''); i++)
      await page.waitForTimeout(300);
    const run = await streamOnce(page);
    const load = os.loadavg().map((l) => l.toFixed(2));
    const out = {
      bench: 'renderer',
      goalCleanPct: GOAL_CLEAN_PCT,
      loadavg: load,
      stream: run,
      meetsGoal: run.stats.cleanPct >= GOAL_CLEAN_PCT,
    };
    if (flag('json')) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    else {
      const s = run.stats;
      const rows: [string, string][] = [
        ['source', run.source],
        [
          'tokens streamed',
          `${run.tokens} in ${(run.streamMs / 1000).toFixed(1)} s (${((run.tokens * 1000) / Math.max(1, run.streamMs)).toFixed(1)} tok/s)`,
        ],
        ['frames during stream', String(s.frames)],
        [
          'frames without a long task',
          `${s.cleanFrames} (${s.cleanPct.toFixed(1)} %) — goal ≥ ${GOAL_CLEAN_PCT} % ${out.meetsGoal ? 'MET' : 'MISSED'}`,
        ],
        ['long tasks', `${s.longTasks}, longest ${s.longestTaskMs.toFixed(0)} ms`],
        ['frame interval', `p95 ${s.p95FrameMs.toFixed(1)} ms, max ${s.maxFrameMs.toFixed(1)} ms`],
        ['load average', load.join(' ')],
      ];
      const w = Math.max(...rows.map((r) => r[0].length));
      process.stdout.write(
        `bench:renderer — chat view while a model streams\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n`,
      );
    }
    if (flag('out')) writeFileSync(process.argv[process.argv.indexOf('--out') + 1] ?? 'bench-renderer.json', JSON.stringify(out, null, 2));
  } finally {
    await host?.stop().catch(() => {});
    await chromium?.close().catch(() => {});
    dirs.remove();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:renderer failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
