// Profiles a Python target: pyinstrument (flame graph), cProfile (hot table with exact calls) and tracemalloc (memory),
// each in its own fresh sandboxed process, because the two profilers cannot share sys.setprofile and tracemalloc
// would slow the timed runs down.
import { EvolveError } from '../../../../common/errors';
import type { HotFunction, MemoryPeak, ProfileFrame, ProfileResult } from '../../../../common/perf/types';
import { findPythonRunner } from '../../codegen/tests/environment';
import { cprofileHot } from './cprofile';
import { framePath } from './paths';
import { pyinstrumentToProfile } from './pyinstrument';
import { PY_DRIVER, PY_DRIVER_PATH, PY_INPUT_PATH, PY_SPEC_PATH } from './python-driver';
import { makeNonce, runStep, type DriverEvent } from './sandboxed';
import type { ProfileRequest } from './types';

function spec(req: ProfileRequest): Record<string, unknown> {
  const t = req.target;
  if (t.kind === 'function')
    return { kind: 'function', module: t.code.module, function: t.code.function, n: t.n, seed: t.seed, calls: t.calls };
  if (t.kind === 'script') return { kind: 'script', path: t.path, args: t.args };
  return { kind: 'test', test: t.test };
}

export async function profilePython(
  req: ProfileRequest,
  toolsDir: string | undefined,
  signal?: AbortSignal,
): Promise<Omit<ProfileResult, 'durationMs'>> {
  const found = findPythonRunner(req.projectRoot, toolsDir);
  if (!found.ok || found.runner.kind !== 'python') throw new EvolveError('UNAVAILABLE', found.ok ? 'No Python runner' : found.reason);
  const runner = found.runner;
  const t = req.target;
  const files: Record<string, string> = {
    ...(t.kind === 'function' ? t.code.files : t.files),
    [PY_DRIVER_PATH]: PY_DRIVER,
    [PY_SPEC_PATH]: JSON.stringify(spec(req)),
  };
  if (t.kind === 'function') files[PY_INPUT_PATH] = t.input.source;
  const env = { PYTHONDONTWRITEBYTECODE: '1', PYTHONHASHSEED: '0', PYTHONNOUSERSITE: '1', PYTHONUNBUFFERED: '1' };
  const step = async (mode: string, expect: string): Promise<DriverEvent> => {
    if (signal?.aborted) throw new EvolveError('CANCELLED', 'Profiling cancelled');
    const nonce = makeNonce();
    const argv = [runner.python, PY_DRIVER_PATH, nonce, mode];
    const { events } = await runStep(
      { files, argv, env, readOnlyPaths: runner.readOnlyPaths, wallMs: req.wallMs, signal },
      nonce,
      expect,
      mode,
    );
    return events.find((e) => e.event === expect)!;
  };

  const sampled = await step('sample', 'pyinstrument');
  const profile = pyinstrumentToProfile(sampled.data, String(sampled.root ?? ''));
  const counted = await step('count', 'cprofile');
  const hot = qualify(cprofileHot(counted.rows, String(counted.root ?? ''), req.limit), profile.frames);
  let memory: MemoryPeak | undefined;
  if (req.memory) memory = toMemory(await step('memory', 'memory'));
  return memory ? { profile, hot, memory } : { profile, hot };
}

function toMemory(e: DriverEvent): MemoryPeak {
  const root = String(e.root ?? '');
  const top = Array.isArray(e.top) ? (e.top as { file?: unknown; line?: unknown; bytes?: unknown }[]) : [];
  return {
    tool: 'tracemalloc',
    peakBytes: Math.max(0, Math.round(Number(e.peak) || 0)),
    top: top.map((s) => ({
      file: framePath(String(s.file ?? ''), root).file ?? '?',
      line: Math.max(0, Math.round(Number(s.line) || 0)),
      bytes: Math.max(0, Math.round(Number(s.bytes) || 0)),
    })),
  };
}

/** cProfile names a method by its bare name; pyinstrument knows its class: use 'Class.method' in both views. */
function qualify(hot: HotFunction[], frames: ProfileFrame[]): HotFunction[] {
  const byPlace = new Map(frames.filter((f) => f.file && f.line).map((f) => [`${f.file}:${f.line}`, f.name]));
  return hot.map((h) => {
    const q = h.file && h.line ? byPlace.get(`${h.file}:${h.line}`) : undefined;
    return q && q !== h.name && q.endsWith(`.${h.name}`) ? { ...h, name: q } : h;
  });
}
