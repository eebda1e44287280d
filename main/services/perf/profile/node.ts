// Profiles a TypeScript/JavaScript target with `node --cpu-prof` in the sandbox: TypeScript is transpiled with inline
// source maps (codegen's node runner), and the profile's positions are mapped back to the .ts lines.
import { SourceMap, type SourceMapPayload } from 'node:module';
import { EvolveError } from '../../../../common/errors';
import type { ProfileResult } from '../../../../common/perf/types';
import { findNodeRunner } from '../../codegen/tests/environment';
import { emittedPath, prepareNodeFiles } from '../../codegen/tests/node-runner';
import { cpuProfileToProfile, type PositionMapper } from './cpuprofile';
import { hotFunctions } from './hot';
import { gcPeaksBetween, heapToMemory } from './heap';
import {
  CPU_PROF_DIR,
  NODE_COLLECT,
  NODE_COLLECT_PATH,
  NODE_DRIVER,
  NODE_DRIVER_PATH,
  NODE_MEM_HOOK,
  NODE_MEM_HOOK_PATH,
  NODE_SPEC_PATH,
} from './node-driver';
import { framePath } from './paths';
import { makeNonce, runStep, type DriverEvent } from './sandboxed';
import type { ProfileRequest } from './types';

/** Sampling interval: finer than V8's 1 ms default so a short test run still yields a usable profile. */
const INTERVAL_US = 250;

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Inline source map of a transpiled file, by its emitted path. */
function sourceMaps(files: Record<string, string>, renames: ReadonlyMap<string, string>): Map<string, SourceMap> {
  const out = new Map<string, SourceMap>();
  for (const emitted of renames.keys()) {
    const m = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(files[emitted] ?? '');
    if (!m) continue;
    try {
      out.set(emitted, new SourceMap(JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as SourceMapPayload));
    } catch {
      /* no mapping: the emitted line is shown */
    }
  }
  return out;
}

/** Emitted positions → the source the user wrote (TypeScript lines through the source map). */
export function nodeMapper(root: string, renames: ReadonlyMap<string, string>, maps: ReadonlyMap<string, SourceMap>): PositionMapper {
  return (url, line0, column0) => {
    // The inspector session of the function driver (starting/stopping the profiler) is not the user's time.
    if (url === 'node:inspector') return { driver: true, drop: true };
    const p = framePath(url, root);
    if (p.file === undefined || p.driver || !p.own)
      return { file: p.file, line: p.own && line0 >= 0 ? line0 + 1 : undefined, driver: p.driver };
    const original = renames.get(p.file);
    const map = maps.get(p.file);
    if (original && map && line0 >= 0) {
      const entry = map.findEntry(line0, Math.max(0, column0));
      const line = 'originalLine' in entry && typeof entry.originalLine === 'number' ? entry.originalLine + 1 : undefined;
      return { file: original, line, driver: false };
    }
    return { file: original ?? p.file, line: line0 >= 0 ? line0 + 1 : undefined, driver: false };
  };
}

export async function profileNode(req: ProfileRequest, signal?: AbortSignal): Promise<Omit<ProfileResult, 'durationMs'>> {
  const found = await findNodeRunner(req.projectRoot);
  if (!found.ok || found.runner.kind !== 'node') throw new EvolveError('UNAVAILABLE', found.ok ? 'No Node runner' : found.reason);
  const runner = found.runner;
  const t = req.target;
  const language = t.kind === 'function' ? t.code.language : t.language;
  const source = { ...(t.kind === 'function' ? t.code.files : t.files) };
  const inputFile = language === 'typescript' ? '__evolve_input__.ts' : '__evolve_input__.js';
  if (t.kind === 'function') source[inputFile] = t.input.source;
  const prepared = prepareNodeFiles(Object.entries(source).map(([path, content]) => ({ path, content })));
  const broken = [...prepared.syntaxErrors.values()];
  if (broken.length > 0) throw new EvolveError('INVALID_ARGUMENT', `The code does not parse: ${broken.join('\n').slice(0, 3000)}`);

  const files: Record<string, string> = { ...prepared.files, [NODE_COLLECT_PATH]: NODE_COLLECT };
  let entry: string[];
  if (t.kind === 'function') {
    files[NODE_DRIVER_PATH] = NODE_DRIVER;
    files[NODE_SPEC_PATH] = JSON.stringify({
      module: emittedPath(t.code.module),
      shownModule: t.code.module,
      input: emittedPath(inputFile),
      function: t.code.function,
      n: t.n,
      seed: t.seed,
      calls: t.calls,
      intervalUs: INTERVAL_US,
    });
    entry = [`./${NODE_DRIVER_PATH}`];
  } else if (t.kind === 'script') {
    entry = [`./${emittedPath(t.path)}`, ...t.args];
  } else {
    const [file, name] = splitTestId(t.test);
    entry = [...(name ? [`--test-name-pattern=^${escapeRegex(name)}$`] : []), `./${emittedPath(file)}`];
  }
  // The project's node_modules is linked into the root so bare imports resolve (as codegen's node runner does).
  const env: Record<string, string> = {
    NODE_OPTIONS: '--disable-wasm-trap-handler --enable-source-maps --experimental-detect-module --disable-warning=ExperimentalWarning',
    NO_COLOR: '1',
  };
  if (runner.nodeModules) env.EVOLVE_NODE_MODULES = runner.nodeModules;
  if (t.kind === 'function') env.EVOLVE_PERF_DRIVER = '1';
  // The project's node_modules is linked into the root so bare imports resolve (as codegen's node runner does).
  const run = (flags: string, extraEnv: Record<string, string>, label: string) => {
    if (signal?.aborted) throw new EvolveError('CANCELLED', 'Profiling cancelled');
    const script =
      'if [ -n "$EVOLVE_NODE_MODULES" ]; then ln -s "$EVOLVE_NODE_MODULES" node_modules; fi; ' +
      `"$0" ${flags}"$@"; ` +
      `exec "$0" ./${NODE_COLLECT_PATH} "$?"`;
    const nonce = makeNonce();
    const argv = ['/bin/sh', '-c', script, runner.node, ...entry];
    return runStep(
      { files, argv, env: { ...env, ...extraEnv }, readOnlyPaths: runner.readOnlyPaths, wallMs: req.wallMs, signal },
      nonce,
      'exit',
      label,
    ).then((r) => ({ ...r, nonce }));
  };
  // Scripts and tests are profiled as a whole process; a function target by its driver, around the calls only.
  const cpuProf = t.kind === 'function' ? '' : `--cpu-prof --cpu-prof-dir=${CPU_PROF_DIR} --cpu-prof-interval=${INTERVAL_US} `;
  const { events, result } = await run(cpuProf, {}, 'cpu-prof');
  const exit = events.find((e) => e.event === 'exit')!;
  const code = Number(exit.code);
  const stderr = result.stderr.text.trim().slice(-1500);
  if (t.kind === 'script' && code !== 0) {
    throw new EvolveError('INVALID_ARGUMENT', `The script failed with exit code ${code}: ${stderr}`, { exitCode: code });
  }
  // A test file run directly prints node:test's TAP summary; without it the file did not load or run its tests.
  if (t.kind === 'test' && !/^# tests \d+/m.test(result.stdout.text)) {
    throw new EvolveError('INVALID_ARGUMENT', `The test could not run (exit code ${code}): ${stderr}`, { exitCode: code });
  }
  if (t.kind === 'function' && !events.some((e) => e.event === 'done')) {
    throw new EvolveError('INTERNAL', `The function run ended without finishing (exit code ${code}): ${stderr}`);
  }
  const profiles = events.filter((e) => e.event === 'cpuprofile').map((e) => e.data);
  if (profiles.length === 0) throw new EvolveError('INTERNAL', `node wrote no .cpuprofile (exit code ${code}): ${stderr}`);
  const maps = sourceMaps(prepared.files, prepared.renames);
  // Each run has its own temp dir, so each maps positions against its own root.
  const mapperOf = (e: DriverEvent): PositionMapper => nodeMapper(String(e.root ?? ''), prepared.renames, maps);
  const profile = cpuProfileToProfile(profiles, mapperOf(exit), language);
  const hot = hotFunctions(profile, req.limit);
  if (!req.memory) return { profile, hot };

  files[NODE_MEM_HOOK_PATH] = NODE_MEM_HOOK;
  const mem = await run(`--expose-gc --trace-gc --import=./${NODE_MEM_HOOK_PATH} `, { EVOLVE_PERF_MODE: 'memory' }, 'memory');
  const began = mem.events.find((e) => e.event === 'heap-start');
  const ended = mem.events.find((e) => e.event === 'heap-stop');
  if (!began || !ended)
    throw new EvolveError('INTERNAL', `The memory run ended without its heap figures: ${mem.result.stderr.text.trim().slice(-800)}`);
  const gcPeaks = gcPeaksBetween(mem.result.stdout.text, `${mem.nonce}{"event":"heap-start"`, `${mem.nonce}{"event":"heap-stop"`);
  const memExit = mem.events.find((e) => e.event === 'exit')!;
  const input = { base: Number(began.base) || 0, gcPeaks, maxUsed: Number(ended.maxUsed) || 0, profile: ended.profile };
  const memory = heapToMemory(input, mapperOf(memExit));
  return { profile, hot, memory };
}

/** 'dir/x.test.ts::name' → ['dir/x.test.ts', 'name']; a bare file runs all its tests. */
export function splitTestId(id: string): [string, string | undefined] {
  const i = id.indexOf('::');
  return i < 0 ? [id, undefined] : [id.slice(0, i), id.slice(i + 2) || undefined];
}
