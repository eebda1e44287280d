// The JS/TS side of one benchmark repeat: an ES module run by node in a fresh sandboxed process that builds one fresh
// input, warms up and calibrates the calls per batch, then times batches with tinybench.

/** Where the driver and the input generator go inside the run's temp dir (the generator is transpiled like the code). */
export const NODE_DRIVER_PATH = '.evolve-bench/driver.mjs';
export const NODE_INPUT_PATH = '.evolve-bench/make-input';

/**
 * Config as JSON on stdin; one nonce-prefixed result line written straight to fd 1 (console and process.stdout are
 * silenced so the code's own output neither fills the cap nor forges a result). tinybench is imported by the absolute
 * path of its mounted (read-only) package. Calibration doubles the calls per batch until one batch lasts `batchMs`
 * (these calls are also the JIT warm-up); tinybench then runs W warm-up and V timed iterations of one batch each, every
 * sample reported as the batch's mean per call (`overriddenDuration`, with `overriddenIterationCost` the whole batch).
 * An async function (returns a thenable) is awaited call by call and timed by the wall clock.
 */
export const NODE_DRIVER = String.raw`import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const cfg = JSON.parse(readFileSync(0, 'utf8'));
const emit = (o) => writeSync(1, cfg.nonce + JSON.stringify(o) + '\n');
const describe = (e) => (e instanceof Error ? (e.name + ': ' + e.message) : String(e)).slice(-2000);
function fail(phase, e) {
  emit({ ok: false, phase, error: describe(e), trace: String(e && e.stack ? e.stack : e).slice(-4000) });
  process.exit(0);
}
for (const k of ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir', 'table']) console[k] = () => {};
process.stdout.write = () => true;

let Bench;
try {
  ({ Bench } = await import(pathToFileURL(cfg.tinybench).href));
} catch (e) {
  fail('setup', e);
}

let args;
try {
  const gen = await import(pathToFileURL(cfg.generator).href);
  if (typeof gen.makeInput !== 'function') throw new TypeError('the input module must export makeInput(n, seed)');
  args = await gen.makeInput(cfg.n, cfg.seed);
  if (!Array.isArray(args)) throw new TypeError('makeInput(n, seed) must return an array of arguments, got ' + typeof args);
} catch (e) {
  fail('input', e);
}

let fn;
try {
  const mod = await import(pathToFileURL(cfg.module).href);
  const [first, method] = cfg.function.split('.');
  const exported = mod[first] ?? (mod.default && mod.default[first]);
  if (method) {
    if (typeof exported !== 'function') throw new TypeError(first + ' is not an exported class');
    const obj = new exported();
    fn = typeof obj[method] === 'function' ? obj[method].bind(obj) : undefined;
  } else {
    fn = exported;
  }
  if (typeof fn !== 'function') throw new TypeError(cfg.function + ' is not an exported function');
} catch (e) {
  fail('import', e);
}

// CPU time of this process (user + system, ms) is immune to other processes taking the cores; an async function's
// waits are invisible to it, so async code is always timed by the wall clock.
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let now = cfg.clock === 'cpu' ? cpuNow : () => performance.now();
let isAsync = false;
async function once(loops) {
  const t0 = now();
  if (isAsync) for (let i = 0; i < loops; i++) await fn(...args);
  else for (let i = 0; i < loops; i++) fn(...args);
  return now() - t0;
}
class ClockStalled extends Error {}
// A VM under heavy load can leave the process CPU clock unchanged over a short batch (its accounting catches up later
// in one jump). A zero is not a time: run the batch again, and give up with a clear error after 5 tries.
async function batch(loops) {
  for (let k = 0; k < 5; k++) {
    const dt = await once(loops);
    if (dt > 0) return dt;
  }
  throw new ClockStalled('the ' + cfg.clock + ' clock did not advance over ' + loops + ' calls');
}

let loops = 1;
try {
  const first = fn(...args);
  if (first && typeof first.then === 'function') {
    isAsync = true;
    now = () => performance.now();
    await first;
  }
  for (;;) {
    const dt = await once(loops);
    if (dt >= cfg.batchMs || loops >= 2 ** 30) break;
    // A batch the clock did not see at all only doubles.
    loops = dt <= 0 ? loops * 2 : Math.max(loops * 2, Math.min(loops * 64, Math.floor((loops * cfg.batchMs * 1.2) / dt)));
  }
} catch (e) {
  fail('call', e);
}

try {
  const bench = new Bench({
    time: 0,
    iterations: cfg.values,
    warmup: cfg.warmups > 0,
    warmupTime: 0,
    warmupIterations: Math.max(cfg.warmups, 1),
    throws: true,
    retainSamples: true,
  });
  bench.add(cfg.function, async () => {
    const dt = await batch(loops);
    return { overriddenDuration: dt / loops, overriddenIterationCost: dt };
  });
  await bench.run();
  const r = bench.tasks[0].result;
  if (r.state === 'errored' && r.error instanceof ClockStalled) fail('clock', r.error);
  if (r.state !== 'completed') throw r.state === 'errored' ? r.error : new Error('tinybench ended in state ' + r.state);
  emit({ ok: true, secPerCall: r.latency.p50 / 1000, values: r.latency.samples ? Array.from(r.latency.samples, (ms) => ms / 1000) : [],
    loops, clock: isAsync ? 'wall' : cfg.clock, tool: 'tinybench' });
} catch (e) {
  fail(e instanceof ClockStalled ? 'clock' : 'call', e);
}
`;
