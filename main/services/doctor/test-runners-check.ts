// The doctor's check of the runners for generated code's tests (pytest in a venv, node --test), both inside the
// sandbox: without them tests are reported as unavailable (never as failed rounds), so say which and how to fix it.
import { defaultPythonToolsDir, PYTHON_TOOLS_SETUP_COMMAND } from '../codegen/checks/python-tools';
import type { SandboxSupport } from '../codegen/sandbox';
import { testEnvironment } from '../codegen/tests/environment'; // not the index: it pulls in typescript (startup cost)
import type { CheckDef, CheckOutcome } from './checks';

/** Verdict for the two runners (injectable sandbox report and tools dir, so both outcomes are testable here). */
export async function testRunnersVerdict(env: NodeJS.ProcessEnv, support?: () => Promise<SandboxSupport>): Promise<CheckOutcome> {
  const deps = { toolsDir: defaultPythonToolsDir(env), ...(support ? { support } : {}) };
  const [py, node] = await Promise.all([testEnvironment('python', undefined, deps), testEnvironment('typescript', undefined, deps)]);
  const line = (lang: string, e: typeof py): string => `${lang}: ${e.available ? e.runner : `unavailable (${e.reason ?? e.runner})`}`;
  const detail = `${line('Python', py)}; ${line('TypeScript/JavaScript', node)}`;
  if (py.available && node.available) return { status: 'ok', detail };
  const hints: string[] = [];
  if (!py.available && /pytest/i.test(py.reason ?? '')) {
    hints.push(`Python: run ${PYTHON_TOOLS_SETUP_COMMAND} (a project's own .venv with pytest is used when it has one).`);
  }
  if (!node.available && /Node\.js/.test(node.reason ?? '')) hints.push('TypeScript/JavaScript: install Node.js 20.19 or newer.');
  if (/sandbox/i.test(`${py.reason ?? ''} ${node.reason ?? ''}`)) hints.push('Install bubblewrap (see the sandbox check).');
  return { status: 'warn', detail, ...(hints.length > 0 ? { hint: hints.join(' ') } : {}) };
}

export const testRunnersCheck: CheckDef = {
  id: 'codegen-test-runners',
  label: 'Test runners for generated code (pytest, node --test)',
  run: (ctx) => testRunnersVerdict(ctx.env),
};
