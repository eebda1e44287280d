// The TS/JS side of the proof: an ES module driver run by node in the sandbox that imports both (transpiled) versions
// from before/ and after/, draws (n, seed) with fast-check, compares results / thrown error types / arguments after the
// call, and takes V8's precise block coverage of the old module. It prints one JSON line (nonce-prefixed) at the end.
import { FLOAT_ABS_TOL, FLOAT_REL_TOL } from './python-driver';

export const NODE_EQ_DRIVER_PATH = '.evolve-eq/driver.mjs';
export const NODE_EQ_CONFIG_PATH = '.evolve-eq/config.json';

export interface NodeDriverConfig {
  /** Absolute path of fast-check's ES module entry (the app's copy, mounted read-only). */
  fastCheck: string;
  /** Paths relative to the run's root of the emitted (JavaScript) modules. */
  before: string;
  after: string;
  generator: string;
  function: string;
  nMax: number;
  maxExamples: number;
  seed: number;
  relTol: number;
  absTol: number;
}

const DRIVER = String.raw`// Compares two versions of one function on generated inputs (fast-check) and reports one JSON line.
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect, isDeepStrictEqual } from 'node:util';

// The nonce comes on stdin (not argv or the environment, which the code under study could read back and forge).
const NONCE = readFileSync(0, 'utf8').trim();
const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const SHOW = 2000;
const realWrite = process.stdout.write.bind(process.stdout);
// What the code prints goes nowhere: it cannot push the report past the output cap or interleave with it.
process.stdout.write = (_chunk, enc, cb) => {
  const done = typeof enc === 'function' ? enc : cb;
  if (typeof done === 'function') done();
  return true;
};
const write = (o) => new Promise((resolve) => realWrite(NONCE + JSON.stringify(o) + '\n', resolve));
async function finish(status, rest = {}) {
  await write({ status, ...rest });
  process.exit(0);
}
const short = (t) => (t.length <= SHOW ? t : t.slice(0, SHOW - 1) + '…');
const show = (v) => {
  try {
    return short(inspect(v, { depth: 6, maxArrayLength: 100, maxStringLength: 500, breakLength: Infinity }));
  } catch (e) {
    return '<unrepresentable: ' + String(e) + '>';
  }
};
const errorText = (e) => short(e instanceof Error ? (e.stack ?? String(e)).split('\n').slice(0, 4).join('\n') : show(e));
const url = (rel) => pathToFileURL(path.resolve(rel)).href;

let fc;
try {
  const mod = await import(pathToFileURL(cfg.fastCheck).href);
  fc = mod.default ?? mod;
} catch (e) {
  await finish('unavailable', { message: 'fast-check does not load in the sandbox: ' + errorText(e) });
}

// Coverage starts before the old module is compiled, so its functions get block counters from the first call.
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });

function resolve(mod, name) {
  const pick = (key) => (key in mod ? mod[key] : mod.default && typeof mod.default === 'object' ? mod.default[key] : undefined);
  const dot = name.indexOf('.');
  if (dot > 0) {
    const Cls = pick(name.slice(0, dot));
    const method = name.slice(dot + 1);
    if (typeof Cls !== 'function') throw new TypeError(name.slice(0, dot) + ' is not an exported class');
    if (typeof Cls.prototype?.[method] !== 'function') throw new TypeError(name + ' is not a method');
    // A fresh instance per call: state kept on the instance never leaks from one example into the next.
    return (args) => new Cls()[method](...args);
  }
  const fn = pick(name);
  if (typeof fn !== 'function') throw new TypeError(name + ' is not an exported function');
  return (args) => fn(...args);
}

const fns = {};
for (const version of ['before', 'after']) {
  try {
    fns[version] = resolve(await import(url(cfg[version])), cfg.function);
  } catch (e) {
    await finish('error', { message: 'The ' + version + ' version does not load: ' + errorText(e) });
  }
}
let makeInput;
try {
  const gen = await import(url(cfg.generator));
  makeInput = gen.makeInput ?? gen.default?.makeInput;
  if (typeof makeInput !== 'function') throw new TypeError('the generator does not export makeInput(n, seed)');
} catch (e) {
  await finish('error', { message: 'The input generator does not load: ' + errorText(e) });
}

class GeneratorError extends Error {}

async function outcome(fn, args) {
  try {
    let value = fn(args);
    if (value && typeof value.then === 'function') value = await value;
    // A generator / iterator is compared by what it yields (consumed here, so a throw midway counts as thrown).
    if (value && typeof value === 'object' && typeof value.next === 'function' && typeof value[Symbol.iterator] === 'function') {
      value = { iterator: Array.from(value) };
    }
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error };
  }
}

// Equality for comparing the two versions: isDeepStrictEqual, except numbers within relTol / absTol (NaN equals NaN,
// 0 equals -0), functions by source text, and objects by constructor name and own keys (two loadings of one class are
// distinct classes).
function same(a, b, depth = 0) {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
    return Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= Math.max(cfg.absTol, cfg.relTol * Math.max(Math.abs(a), Math.abs(b)));
  }
  // Two closures (a fake repository's methods, a callback) can only be compared by their source text.
  if (typeof a === 'function' && typeof b === 'function') return a === b || String(a) === String(b);
  if (depth > 100 || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return isDeepStrictEqual(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i], depth + 1));
  }
  if (a instanceof Map || a instanceof Set || a instanceof Date || a instanceof RegExp || ArrayBuffer.isView(a)) return isDeepStrictEqual(a, b);
  if (a.constructor?.name !== b.constructor?.name) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k], depth + 1));
}

const errorType = (e) => (e instanceof Error || (e && typeof e === 'object' && typeof e.constructor === 'function') ? e.constructor.name : typeof e);
const describe = (r) => (r.ok ? 'returns ' + show(r.value) : 'throws ' + errorType(r.error) + ': ' + short(String(r.error?.message ?? r.error)));

function compare(rb, ra, argsB, argsA) {
  if (rb.ok !== ra.ok) return [describe(rb), describe(ra)];
  if (!rb.ok) {
    const tb = errorType(rb.error);
    if (tb !== errorType(ra.error) || (tb === typeof rb.error && !same(rb.error, ra.error))) return [describe(rb), describe(ra)];
  } else if (!same(rb.value, ra.value)) return [describe(rb), describe(ra)];
  for (let i = 0; i < Math.max(argsB.length, argsA.length); i++) {
    if (!same(argsB[i], argsA[i])) {
      return ['argument ' + i + ' after the call: ' + show(argsB[i]), 'argument ' + i + ' after the call: ' + show(argsA[i])];
    }
  }
  return undefined;
}

let examples = 0;
let last;

async function example(n, seed) {
  let argsB;
  let argsA;
  try {
    // Two calls of a deterministic generator give two equal, unshared argument lists (structuredClone would drop
    // class prototypes and functions).
    argsB = await makeInput(n, seed);
    argsA = await makeInput(n, seed);
  } catch {
    return 'skip';
  }
  if (!Array.isArray(argsB)) throw new GeneratorError('makeInput(n, seed) must return the argument list (an array), got ' + show(argsB));
  if (!same(argsB, argsA)) throw new GeneratorError('makeInput(' + n + ', ' + seed + ') is not deterministic: two calls gave different inputs');
  const input = 'makeInput(n=' + n + ', seed=' + seed + ') = ' + show(argsB);
  const rb = await outcome(fns.before, argsB);
  const ra = await outcome(fns.after, argsA);
  examples++;
  const diff = compare(rb, ra, argsB, argsA);
  if (diff) last = { input: short(input), before: short(diff[0]), after: short(diff[1]) };
  return diff ? 'different' : 'same';
}

const property = fc.asyncProperty(fc.integer({ min: 0, max: cfg.nMax }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (n, seed) => {
  const r = await example(n, seed);
  fc.pre(r !== 'skip'); // the generator does not take this size: not an example
  return r === 'same';
});
const details = await fc.check(property, { numRuns: cfg.maxExamples, seed: cfg.seed, endOnFailure: false });

let result;
if (!details.failed) {
  result = examples === 0
    ? { status: 'error', message: 'makeInput raised for every (n, seed) tried: no example could be built' }
    : { status: 'equivalent' };
} else if (details.errorInstance instanceof GeneratorError) {
  result = { status: 'error', message: details.errorInstance.message };
} else if (details.counterexample) {
  // Replays the shrunk counterexample so the reported difference is the one of the smallest input.
  const [n, seed] = details.counterexample;
  last = undefined;
  await example(n, seed);
  result = last
    ? { status: 'different', counterexample: last }
    : { status: 'error', message: 'The property failed but the difference did not reproduce on replay: ' + short(String(details.errorInstance ?? '')) };
} else {
  result = { status: 'error', message: 'The property run failed: ' + short(String(details.errorInstance ?? 'no counterexample')) };
}

const taken = await session.post('Profiler.takePreciseCoverage');
const script = taken.result.find((s) => s.url === url(cfg.before));
const ranges = script ? script.functions.flatMap((f) => f.ranges.map((r) => [r.startOffset, r.endOffset, r.count])) : [];
await finish(result.status, { ...result, examples, coverage: { ranges } });
`;

export function nodeDriverFiles(config: NodeDriverConfig): Record<string, string> {
  return { [NODE_EQ_DRIVER_PATH]: DRIVER, [NODE_EQ_CONFIG_PATH]: JSON.stringify(config) };
}

export const NODE_FLOAT_TOLERANCE = { relTol: FLOAT_REL_TOL, absTol: FLOAT_ABS_TOL } as const;
