// Binds the lab's loop to its real parts: profileCode (profile/), proveEquivalent (equivalence/), benchmark (bench/)
// and the codegen engine's generate; the project's venv / node_modules are mounted read-only by each of them.
import { lazyLoad } from '../../../../common/base/lazy-load';
import type { BenchProgress } from '../bench';
import type { GeneratePort } from '../propose/propose';
import type { LabPorts } from './optimize';

// The parts load on first use, not at app start: each reaches the `typescript` compiler (TS source maps, transpiling
// the benchmarked and proven code, reading V8 coverage), which the cold-start test keeps out of the start-up path.
export const loadProfiler = lazyLoad(() => import('../profile'));
const loadBench = lazyLoad(() => import('../bench'));
const loadProve = lazyLoad(() => import('../equivalence/prove'));

export interface LabPortsOptions {
  generate: GeneratePort;
  /** The project whose environment the sandboxed runs mount (absent: the app's tools venv, no node_modules). */
  projectRoot?: string;
  audit?: LabPorts['audit'];
  onBenchProgress?: (p: BenchProgress) => void;
}

export function labPorts(o: LabPortsOptions): LabPorts {
  const root = o.projectRoot ? { projectRoot: o.projectRoot } : {};
  return {
    generate: o.generate,
    profile: async (req, signal) => {
      const { profileCode } = await loadProfiler();
      return profileCode(
        { target: { kind: 'function', code: req.version, input: req.inputs, n: req.n }, ...root },
        signal ? { signal } : {},
      );
    },
    prove: async (req, signal) => {
      const files = (req.tests ?? []).flatMap((s) => s.files);
      const { proveEquivalent } = await loadProve();
      return proveEquivalent(
        { before: req.before, after: req.after, inputs: req.inputs, ...(files.length > 0 ? { projectTests: { files } } : {}), ...root },
        signal ? { signal } : {},
      );
    },
    bench: async (req, signal) => {
      const { benchmark } = await loadBench();
      return benchmark(
        { before: req.before, after: req.after, inputs: req.inputs },
        { ...(signal ? { signal } : {}), ...(o.onBenchProgress ? { onProgress: o.onBenchProgress } : {}) },
      );
    },
    ...(o.audit ? { audit: o.audit } : {}),
  };
}
