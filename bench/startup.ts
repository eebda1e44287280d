// Benchmark: host cold start to interactive and idle memory. Spawns the browser host the way `npm run serve` does
// (`node bin/evolve.cjs serve`, built app, fresh data dir per run), opens the page in Debian's Chromium and times
// spawn → listening line → the vault gate rendered (it appears only once the page has loaded the host's first data,
// the vault status). The host listens while the store is still opening (its first calls wait for it), so "listening"
// is when the page can start loading and "interactive" includes the store's open. Median of N runs (goal < 1.5 s).
// Then, after 10 s idle with no model loaded (the inference worker starts 5 s after launch, so it is counted), the RSS
// of the host and its worker processes (/proc) and, separately, Chromium's renderer process(es) (goal < 300 MB for the
// host). The require timer sees CommonJS requires only: packages imported on first use (import()) are not loaded here.
// Run: npm run bench:startup [-- --runs N] [--idle-s S] [--json] [--out FILE]. Needs the built app (node scripts/build.mjs).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, type LaunchedBrowser } from '../test/support/e2e/browser';
import { startHost, type HostProcess } from '../test/support/e2e/host';
import { listProcesses, median, subtree, sumRssMiB } from './lib/proc-tree';

const flag = (name: string) => process.argv.includes(`--${name}`);
const opt = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
const RUNS = opt('runs', 5);
const IDLE_S = opt('idle-s', 10);
const GOAL_INTERACTIVE_MS = 1500;
const GOAL_IDLE_RSS_MB = 300;
const READY_TESTID = 'vault-gate';

interface Run {
  listeningMs: number;
  interactiveMs: number;
  /** The page's own clock (ms from navigation start): DOMContentLoaded (bundle fetched and run) and the gate shown. */
  page: { domContentLoadedMs: number; readyMs: number };
}

// Sent as source text (the node tsconfig has no DOM lib, and tsx would add helpers the page lacks).
const PAGE_TIMES = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return { domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : -1, readyMs: performance.now() };
})()`;

interface IdleMemory {
  hostMiB: number;
  hostProcesses: { pid: number; mb: number; cmd: string }[];
  rendererMiB: number;
  rendererProcesses: number;
  /** The biggest renderer: the page's own (the others are spare or closed-context renderers Chromium keeps). */
  largestRendererMiB: number;
}

const short = (cmd: string) => cmd.replace(process.cwd(), '.').slice(0, 100);

function idleMemory(host: HostProcess): IdleMemory {
  const procs = listProcesses();
  const hostTree = host.child.pid ? subtree(procs, host.child.pid) : [];
  const renderers = subtree(procs, process.pid).filter((p) => p.cmd.includes('--type=renderer'));
  return {
    hostMiB: sumRssMiB(hostTree),
    hostProcesses: hostTree.map((p) => ({ pid: p.pid, mb: p.rssKiB / 1024, cmd: short(p.cmd) })),
    rendererMiB: sumRssMiB(renderers),
    rendererProcesses: renderers.length,
    largestRendererMiB: renderers.reduce((m, p) => Math.max(m, p.rssKiB / 1024), 0),
  };
}

async function oneRun(chromium: LaunchedBrowser, measureIdle: boolean): Promise<{ run: Run; idle?: IdleMemory }> {
  // The tab exists before the host starts (a user's browser is already open): only the host and the page load count.
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const t0 = performance.now();
  const host = await startHost();
  const listeningMs = performance.now() - t0;
  try {
    await page.goto(host.launchUrl);
    await page.getByTestId(READY_TESTID).waitFor({ timeout: 30_000 });
    const interactiveMs = performance.now() - t0;
    const pageTimes = await page.evaluate<Run['page']>(PAGE_TIMES);
    let idle: IdleMemory | undefined;
    if (measureIdle) {
      await page.waitForTimeout(IDLE_S * 1000);
      idle = idleMemory(host);
    }
    return { run: { listeningMs, interactiveMs, page: pageTimes }, idle };
  } finally {
    await context.close().catch(() => {});
    await host.stop().catch(() => {});
    host.dirs.remove();
  }
}

// Times each module the built CLI requires directly (with everything it pulls in), in a fresh node: what the
// host pays before it runs any code of its own. Source text for `node -e`.
const IMPORT_TIMER = `
const Module = require('node:module');
const load = Module._load;
let depth = 0;
const rows = [];
Module._load = function (request, ...rest) {
  const t = process.hrtime.bigint();
  depth++;
  try { return load.call(this, request, ...rest); } finally {
    depth--;
    if (depth === 1) rows.push({ module: request, ms: Number(process.hrtime.bigint() - t) / 1e6 });
  }
};
const t0 = process.hrtime.bigint();
require(process.argv[1]);
process.stdout.write(JSON.stringify({ totalMs: Number(process.hrtime.bigint() - t0) / 1e6, rows }));
`;

function importCosts(): { totalMs: number; top: { module: string; ms: number }[] } {
  const cli = path.join(__dirname, '..', 'out', 'main', 'cli.cjs');
  const raw = execFileSync(process.execPath, ['-e', IMPORT_TIMER, cli], { encoding: 'utf8' });
  const r = JSON.parse(raw) as { totalMs: number; rows: { module: string; ms: number }[] };
  return { totalMs: r.totalMs, top: r.rows.sort((a, b) => b.ms - a.ms).slice(0, 8) };
}

async function main(): Promise<void> {
  const chromium = await launchChromium();
  const runs: Run[] = [];
  let idle: IdleMemory | undefined;
  try {
    for (let i = 0; i < RUNS; i++) {
      const r = await oneRun(chromium, i === RUNS - 1);
      runs.push(r.run);
      idle = r.idle ?? idle;
    }
  } finally {
    await chromium.close();
  }
  const imports = importCosts();
  const load = os.loadavg().map((l) => l.toFixed(2));
  const out = {
    bench: 'startup',
    runs,
    medianListeningMs: median(runs.map((r) => r.listeningMs)),
    medianInteractiveMs: median(runs.map((r) => r.interactiveMs)),
    idleSeconds: IDLE_S,
    idle,
    imports,
    goals: { interactiveMs: GOAL_INTERACTIVE_MS, idleHostRssMB: GOAL_IDLE_RSS_MB },
    loadavg: load,
  };
  if (flag('json')) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else {
    const met = (ok: boolean) => (ok ? 'MET' : 'MISSED');
    const rows: [string, string][] = [
      ['runs', `${RUNS} (fresh data dir each)`],
      ['spawn → listening', `median ${out.medianListeningMs.toFixed(0)} ms  [${runs.map((r) => r.listeningMs.toFixed(0)).join(', ')}]`],
      [
        'spawn → interactive',
        `median ${out.medianInteractiveMs.toFixed(0)} ms  [${runs.map((r) => r.interactiveMs.toFixed(0)).join(', ')}] — goal < ${GOAL_INTERACTIVE_MS} ms ${met(out.medianInteractiveMs < GOAL_INTERACTIVE_MS)}`,
      ],
      [
        '  in the page',
        `median DOMContentLoaded ${median(runs.map((r) => r.page.domContentLoadedMs)).toFixed(0)} ms, gate shown ${median(runs.map((r) => r.page.readyMs)).toFixed(0)} ms after navigation start`,
      ],
    ];
    if (idle) {
      rows.push([
        `idle RSS after ${IDLE_S} s: host`,
        `${idle.hostMiB.toFixed(0)} MiB in ${idle.hostProcesses.length} processes — goal < ${GOAL_IDLE_RSS_MB} MB ${met(idle.hostMiB * 1.048576 < GOAL_IDLE_RSS_MB)}`,
      ]);
      for (const p of idle.hostProcesses) rows.push([`    pid ${p.pid}`, `${p.mb.toFixed(0)} MiB  ${p.cmd}`]);
      rows.push([
        `idle RSS: Chromium renderer`,
        `${idle.rendererMiB.toFixed(0)} MiB in ${idle.rendererProcesses} process(es), largest ${idle.largestRendererMiB.toFixed(0)} MiB`,
      ]);
    }
    rows.push([
      'require(out/main/cli.cjs)',
      `${imports.totalMs.toFixed(0)} ms; ${imports.top.map((m) => `${m.module} ${m.ms.toFixed(0)}`).join(', ')}`,
    ]);
    rows.push(['load average', load.join(' ')]);
    const w = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(
      `bench:startup — browser host cold start and idle memory\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n`,
    );
  }
  if (flag('out')) writeFileSync(process.argv[process.argv.indexOf('--out') + 1] ?? 'bench-startup.json', JSON.stringify(out, null, 2));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:startup failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
