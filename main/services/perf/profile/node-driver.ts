// The Node side of a profiling run: a driver that calls a function target on its generated inputs, and a collector
// that prints the .cpuprofile files `node --cpu-prof` wrote (after the profiled process exited) behind a nonce.
import { DRIVER_DIR } from './paths';

export const NODE_DRIVER_PATH = `${DRIVER_DIR}/profile_driver.mjs`;
export const NODE_COLLECT_PATH = `${DRIVER_DIR}/collect.mjs`;
export const NODE_SPEC_PATH = `${DRIVER_DIR}/spec.json`;
export const CPU_PROF_DIR = `${DRIVER_DIR}/cpu`;
export const NODE_MEM_HOOK_PATH = `${DRIVER_DIR}/mem_hook.mjs`;
/** Where a function target's input generator is written (the run's root, so its relative imports resolve). */
export const NODE_INPUT_SOURCE = '__evolve_input__.ts';

// A function target is profiled through the inspector around the calls only (the same .cpuprofile format as
// --cpu-prof), so node's start-up, module loading and input generation are not in its profile — as in Python.
export const NODE_DRIVER = String.raw`// Calls the target function on makeInput(n, seed + i) for i < calls; errors go out as one JSON line.
import { readFileSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const NONCE = process.env.EVOLVE_PERF_NONCE;
const ROOT = process.cwd();
const SPEC = JSON.parse(readFileSync(path.join(ROOT, '.evolve-perf', 'spec.json'), 'utf8'));
const emit = (o) => writeSync(1, NONCE + JSON.stringify(o) + '\n');
const text = (e) => String(e && e.stack ? e.stack : e);
const fail = (kind, message) => {
  emit({ event: 'error', kind, message: String(message).slice(-6000) });
  process.exit(3);
};
const load = async (kind, rel) => {
  try {
    return await import(pathToFileURL(path.join(ROOT, rel)).href);
  } catch (e) {
    return fail(kind, text(e));
  }
};
const pick = (m, k) => (m[k] !== undefined ? m[k] : m.default ? m.default[k] : undefined);

const gen = await load('load-input', SPEC.input);
const mod = await load('load-module', SPEC.module);
const makeInput = pick(gen, 'makeInput');
if (typeof makeInput !== 'function') fail('load-input', 'the input generator does not export makeInput(n, seed)');
const parts = SPEC.function.split('.');
let owner = mod;
let fn;
if (parts.length === 2) {
  const C = pick(mod, parts[0]);
  if (typeof C !== 'function') fail('unknown-function', SPEC.shownModule + ' exports no class ' + parts[0]);
  try {
    owner = new C();
  } catch (e) {
    fail('run-error', text(e));
  }
  fn = owner[parts[1]];
} else {
  fn = pick(mod, parts[0]);
}
if (typeof fn !== 'function') fail('unknown-function', SPEC.shownModule + ' exports no function ' + SPEC.function);
const inputs = [];
try {
  for (let i = 0; i < SPEC.calls; i++) {
    const args = await makeInput(SPEC.n, SPEC.seed + i);
    if (!Array.isArray(args)) fail('bad-input', 'makeInput(n, seed) must return the argument list (an array)');
    inputs.push(args);
  }
} catch (e) {
  fail('bad-input', text(e));
}
emit({ event: 'ready', node: process.version });
if (process.env.EVOLVE_PERF_MODE === 'memory') {
  // The memory run: the preloaded hook (mem_hook.mjs) samples allocations and marks the window for GC lines.
  const mem = globalThis.__evolvePerfMemory;
  mem.start();
  try {
    for (const args of inputs) {
      const r = fn.apply(owner, args);
      if (r && typeof r.then === 'function') await r;
      mem.mark();
    }
  } catch (e) {
    fail('run-error', text(e));
  }
  mem.stop();
  emit({ event: 'done' });
  process.exit(0);
}
const session = new Session();
session.connect();
const post = (method, params) =>
  new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
await post('Profiler.enable');
await post('Profiler.setSamplingInterval', { interval: SPEC.intervalUs });
await post('Profiler.start');
try {
  for (const args of inputs) {
    const r = fn.apply(owner, args);
    if (r && typeof r.then === 'function') await r;
  }
} catch (e) {
  fail('run-error', text(e));
}
const { profile } = await post('Profiler.stop');
session.disconnect();
emit({ event: 'cpuprofile', data: profile });
emit({ event: 'done' });
`;

export const NODE_COLLECT = String.raw`// Prints each .cpuprofile written by the profiled process, then its exit status.
import { readdirSync, readFileSync, writeSync } from 'node:fs';

const NONCE = process.env.EVOLVE_PERF_NONCE;
const emit = (o) => writeSync(1, NONCE + JSON.stringify(o) + '\n');
let files = [];
try {
  files = readdirSync('.evolve-perf/cpu').filter((f) => f.endsWith('.cpuprofile')).sort();
} catch {
  /* the process died before writing one */
}
for (const f of files) emit({ event: 'cpuprofile', data: JSON.parse(readFileSync('.evolve-perf/cpu/' + f, 'utf8')) });
emit({ event: 'exit', code: Number(process.argv[2]), root: process.cwd() });
`;

// Preloaded (--import) in the memory run. Allocation sites: V8's sampling heap profiler, including objects already
// collected, so it ranks the functions by bytes allocated in the window (sampled every 4 KiB), not by bytes held.
// The peak: heap used just before each GC (--trace-gc lines between the two markers; the heap only grows between
// GCs) and at each mark, above the heap used after a full GC at the start.
export const NODE_MEM_HOOK = String.raw`import { writeSync } from 'node:fs';
import { Session } from 'node:inspector';

const NONCE = process.env.EVOLVE_PERF_NONCE;
const emit = (o) => writeSync(1, NONCE + JSON.stringify(o) + '\n');
const session = new Session();
session.connect();
// The main thread's in-process session answers synchronously, which also works inside an 'exit' handler.
const post = (method, params) => {
  let out;
  let err;
  session.post(method, params ?? {}, (e, r) => {
    err = e;
    out = r;
  });
  if (err) throw err;
  return out;
};
let running = false;
let maxUsed = 0;
const mark = () => {
  maxUsed = Math.max(maxUsed, process.memoryUsage().heapUsed);
};
const start = () => {
  if (running) return;
  running = true;
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const base = process.memoryUsage().heapUsed;
  emit({ event: 'heap-start', base });
  post('HeapProfiler.enable');
  post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
};
const stop = () => {
  if (!running) return;
  running = false;
  mark();
  const { profile } = post('HeapProfiler.stopSampling');
  emit({ event: 'heap-stop', maxUsed, profile });
};
globalThis.__evolvePerfMemory = { start, stop, mark };
if (!process.env.EVOLVE_PERF_DRIVER) {
  start();
  process.on('exit', stop);
}
`;
