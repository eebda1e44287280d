// The doctor's sandbox check: generated code and its tests only run inside the codegen sandbox, so say whether this
// machine has one (bubblewrap + namespaces) and how to get it when not.
import { sandboxSupport } from '../codegen/sandbox';
import type { SandboxSupport } from '../codegen/sandbox';
import type { CheckDef, CheckOutcome } from './checks';

const METHOD_TEXT: Record<string, string> = {
  'bwrap-userns': 'bubblewrap, user namespace (no network, own pid namespace, allow-listed files)',
  'bwrap-root-setpriv': 'bubblewrap as root, dropped to a per-run uid (no network, own pid namespace, allow-listed files)',
};

/** Verdict from a support report (pure, so both outcomes are testable on one machine). */
export function sandboxVerdict(s: SandboxSupport): CheckOutcome {
  if (s.available) return { status: 'ok', detail: METHOD_TEXT[s.method] ?? s.method };
  return {
    status: 'warn',
    detail: 'no sandbox: generated code and its tests will not run (unless you allow unsandboxed runs)',
    hint: s.reasons.join(' '),
  };
}

export const sandboxCheck: CheckDef = {
  id: 'sandbox',
  label: 'Sandbox for generated code',
  async run() {
    return sandboxVerdict(await sandboxSupport({ refresh: true }));
  },
};
