// Binds the lab's loop to its real parts: profileCode (profile/), proveEquivalent (equivalence/), benchmark (bench/)
// and the codegen engine's generate; the project's venv / node_modules are mounted read-only by each of them.
import type { BenchProgress } from '../bench';
import { benchmark } from '../bench';
import { proveEquivalent } from '../equivalence/prove';
import { profileCode } from '../profile';
import type { GeneratePort } from '../propose/propose';
import type { LabPorts } from './optimize';

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
    profile: (req, signal) =>
      profileCode({ target: { kind: 'function', code: req.version, input: req.inputs, n: req.n }, ...root }, signal ? { signal } : {}),
    prove: (req, signal) => {
      const files = (req.tests ?? []).flatMap((s) => s.files);
      return proveEquivalent(
        { before: req.before, after: req.after, inputs: req.inputs, ...(files.length > 0 ? { projectTests: { files } } : {}), ...root },
        signal ? { signal } : {},
      );
    },
    bench: (req, signal) =>
      benchmark(
        { before: req.before, after: req.after, inputs: req.inputs },
        { ...(signal ? { signal } : {}), ...(o.onBenchProgress ? { onProgress: o.onBenchProgress } : {}) },
      ),
    ...(o.audit ? { audit: o.audit } : {}),
  };
}
