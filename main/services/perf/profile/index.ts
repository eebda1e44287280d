// profileCode: profiles a function on generated input, a script or a test inside the sandbox and returns the flame
// graph (a sampled Profile), the hot-functions table and, for Python, the memory peak (see README.md).
import { EvolveError } from '../../../../common/errors';
import type { ProfileResult } from '../../../../common/perf/types';
import { profileNode, splitTestId } from './node';
import { profilePython } from './python';
import { ProfileRequestSchema, targetFiles, targetLanguage, type ProfileRequestInput, type ProfileTarget } from './types';

export { hotFunctions } from './hot';
export { pyinstrumentToProfile } from './pyinstrument';
export { cprofileHot } from './cprofile';
export { cpuProfileToProfile, plainMapper } from './cpuprofile';
export { ProfileRequestSchema, type ProfileRequest, type ProfileRequestInput, type ProfileTarget } from './types';

export interface ProfileDeps {
  signal?: AbortSignal;
  /** The Python tools venv (default: the app's); tests point it elsewhere to see the missing-tool path. */
  toolsDir?: string;
}

/** The file a target names, which must be one of its files (a path outside them is refused before anything runs). */
function namedFile(t: ProfileTarget): string {
  if (t.kind === 'function') return t.code.module;
  if (t.kind === 'script') return t.path;
  return targetLanguage(t) === 'python' ? (t.test.split('::')[0] ?? t.test) : splitTestId(t.test)[0];
}

export async function profileCode(req: ProfileRequestInput, deps: ProfileDeps = {}): Promise<ProfileResult> {
  const parsed = ProfileRequestSchema.safeParse(req);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
    throw new EvolveError('INVALID_ARGUMENT', `Invalid profile request: ${why}`);
  }
  const r = parsed.data;
  const file = namedFile(r.target);
  if (!(file in targetFiles(r.target))) {
    throw new EvolveError(
      'INVALID_ARGUMENT',
      `${file} is not one of the files given (${Object.keys(targetFiles(r.target)).slice(0, 8).join(', ')})`,
    );
  }
  if (deps.signal?.aborted) throw new EvolveError('CANCELLED', 'Profiling cancelled');
  const started = performance.now();
  const out =
    targetLanguage(r.target) === 'python' ? await profilePython(r, deps.toolsDir, deps.signal) : await profileNode(r, deps.signal);
  return { ...out, durationMs: Math.round(performance.now() - started) };
}
