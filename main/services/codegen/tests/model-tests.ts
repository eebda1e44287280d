// Tests a model wrote in its separate test-writing generation → a suite (origin 'model'): the code is taken from the
// answer (fenced or not), only tests and what they need are kept — never the model's own copy of the function under
// test — and the candidate is imported by its module name. Jest/Vitest-style `expect` gets a small node:assert shim.
import ts from 'typescript';
import type { Language } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import { extractCode } from '../edits/extract-code';
import { findFencedBlocks } from '../edits/fences';
import { languageOfTag } from '../edits/languages';
import { checkEntry, nodeTestHeader, pythonModule, testFileName } from './entry';
import { pythonIncomplete, pythonTopLevel } from './python-source';
import { pythonTestCases } from './python-test-cases';
import { isAssertion, isTestCall, nodeTestCases, syntaxErrorsAt } from './node-test-cases';
import type { TestEntry, TestSuite } from './types';

/**
 * Cases kept from a model's test answer, in the order written. A small model's first asserts come from the task; the
 * later ones drift into near-copies with made-up values (`parse_duration("1d2h3m4s5s6") == 93045`). Against the
 * eval's reference solutions, the 1.5B's first 4 cases held 72 % of the time (52 of 72, 19 Python problems), all of
 * them 45 % (93 of 207); a wrong case only adds noise to the agreement.
 */
export const MODEL_TEST_CASES = 4;

interface ParsedTests {
  suite: TestSuite;
  /** Test cases kept (at most MODEL_TEST_CASES). */
  cases: number;
}

const PY_TEST_DEF = /^(?:async\s+)?def\s+test\w*\s*\(/;
const PY_TEST_CLASS = /^class\s+(?:Test\w*|\w+\s*\([^)]*TestCase[^)]*\))\s*[:(]/;

/** The answer's code block with the most tests (a model often shows the implementation and the tests separately). */
function answerCode(language: Language, answer: string, countTests: (code: string) => number): string | null {
  const blocks = findFencedBlocks(answer).filter((b) => b.code.trim() && (!b.tag || languageOfTag(b.tag) === language));
  const best = blocks.map((b) => ({ code: b.code, n: countTests(b.code) })).sort((a, b) => b.n - a.n)[0];
  if (best && best.n > 0) return best.code;
  try {
    return extractCode(answer, language).code;
  } catch (e) {
    if (e instanceof EvolveError && e.code === 'INVALID_ARGUMENT') return null;
    throw e;
  }
}

const countPyTests = (code: string): number => pythonTopLevel(code).filter((b) => isPyTestBlock(b) || /^assert[\s(]/.test(b)).length;

function defLine(block: string): string {
  return block.split('\n').find((l) => !l.startsWith('@')) ?? '';
}

function isPyTestBlock(block: string): boolean {
  const head = defLine(block);
  return PY_TEST_DEF.test(head) || PY_TEST_CLASS.test(head);
}

function pythonModelSuite(answer: string, entry: TestEntry): ParsedTests | null {
  const code = answerCode('python', answer, countPyTests);
  if (!code) return null;
  const mod = pythonModule(entry.file);
  const modBase = mod.split('.').pop()!;
  const exported = new Set(entry.exports);
  const kept: string[] = [];
  let tests = 0;
  let asserts = 0;
  for (const block of pythonTopLevel(code)) {
    const head = defLine(block);
    if (isPyTestBlock(block)) {
      const cases = pythonTestCases(block).slice(0, MODEL_TEST_CASES - tests - asserts);
      kept.push(...cases);
      tests += cases.length;
      continue;
    }
    // Cut off by the answer's token cap: as written it would make the whole file a SyntaxError.
    if (pythonIncomplete(block)) continue;
    if (/^assert[\s(]/.test(block)) {
      if (tests + asserts >= MODEL_TEST_CASES) continue;
      asserts += 1;
      kept.push(
        `def test_model_assert_${asserts}():\n${block
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n')}`,
      );
      continue;
    }
    const imp = /^(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))/.exec(head);
    if (imp) {
      const from = imp[1] ?? imp[2] ?? '';
      // The candidate is imported below by its real module name; the model's guess of it is dropped.
      const names = /\bimport\s+(.+)$/s.exec(block)?.[1]?.split(/[\s,()]+/) ?? [];
      if (from === mod || from === modBase || from.endsWith(`.${modBase}`) || names.some((n) => exported.has(n))) continue;
      kept.push(block);
      continue;
    }
    const def = /^(?:async\s+)?(?:def|class)\s+(\w+)/.exec(head);
    // Helpers and fixtures stay; the model's own version of a function under test never does.
    if (def) {
      if (!exported.has(def[1]!)) kept.push(block);
      continue;
    }
    const assign = /^([A-Za-z_]\w*)\s*(?::[^=]+)?=[^=]/.exec(head);
    if (assign && !exported.has(assign[1]!)) kept.push(block);
    // Anything else (calls to the tests, unittest.main(), prints, `if __name__ == ...`) is not a test: dropped.
  }
  if (tests + asserts === 0) return null;
  const header = [`from ${mod} import *  # noqa: F401,F403`];
  if (entry.exports.length > 0) header.push(`from ${mod} import ${entry.exports.join(', ')}  # noqa: F401`);
  if (/\bpytest\./.test(kept.join('\n')) && !kept.some((b) => /^import pytest\b/m.test(b))) header.unshift('import pytest');
  const content = `# Tests written by the model for this request (generated by Evolve Studio).\n${header.join('\n')}\n\n\n${kept.join('\n\n\n')}\n`;
  return { suite: { origin: 'model', files: [{ path: testFileName('python', entry.file, 'model'), content }] }, cases: tests + asserts };
}

/** Jest/Vitest `expect` on node:assert (small models write it often); only the common matchers. */
const EXPECT_SHIM = `const expect = (actual) => {
  const make = (neg) => {
    const check = (ok, msg) => { if (ok === neg) throw new assert.AssertionError({ message: (neg ? 'not: ' : '') + msg, actual }); };
    const eq = (a, b) => { try { assert.deepStrictEqual(a, b); return true; } catch { return false; } };
    const m = {
      toBe: (v) => check(Object.is(actual, v), \`expected \${String(actual)} to be \${String(v)}\`),
      toEqual: (v) => check(eq(actual, v), \`expected \${JSON.stringify(actual)} to equal \${JSON.stringify(v)}\`),
      toStrictEqual: (v) => m.toEqual(v),
      toBeTruthy: () => check(!!actual, \`expected \${String(actual)} to be truthy\`),
      toBeFalsy: () => check(!actual, \`expected \${String(actual)} to be falsy\`),
      toBeNull: () => check(actual === null, \`expected \${String(actual)} to be null\`),
      toBeUndefined: () => check(actual === undefined, \`expected \${String(actual)} to be undefined\`),
      toBeDefined: () => check(actual !== undefined, 'expected a defined value'),
      toContain: (v) => check(actual != null && actual.includes(v), \`expected \${JSON.stringify(actual)} to contain \${JSON.stringify(v)}\`),
      toHaveLength: (n) => check(actual != null && actual.length === n, \`expected length \${actual?.length} to be \${n}\`),
      toBeGreaterThan: (n) => check(actual > n, \`expected \${actual} > \${n}\`),
      toBeGreaterThanOrEqual: (n) => check(actual >= n, \`expected \${actual} >= \${n}\`),
      toBeLessThan: (n) => check(actual < n, \`expected \${actual} < \${n}\`),
      toBeLessThanOrEqual: (n) => check(actual <= n, \`expected \${actual} <= \${n}\`),
      toBeCloseTo: (n, d = 2) => check(Math.abs(actual - n) < 10 ** -d / 2, \`expected \${actual} to be close to \${n}\`),
      toMatch: (re) => check(new RegExp(re).test(actual), \`expected \${JSON.stringify(actual)} to match \${re}\`),
      toThrow: (want) => {
        let threw = false, err;
        try { actual(); } catch (e) { threw = true; err = e; }
        const msg = String(err?.message ?? err);
        const fits = threw && (want === undefined || (typeof want === 'string' ? msg.includes(want) : want instanceof RegExp ? want.test(msg) : err instanceof want));
        check(fits, threw ? \`threw \${msg}, expected \${String(want)}\` : 'expected the function to throw');
      },
    };
    return m;
  };
  const api = make(false);
  api.not = make(true);
  api.rejects = { toThrow: async (want) => { await assert.rejects(actual, want === undefined ? undefined : (e) => (typeof want === 'string' ? String(e?.message).includes(want) : want instanceof RegExp ? want.test(String(e?.message)) : e instanceof want)); } };
  api.resolves = new Proxy({}, { get: (_t, k) => async (...args) => expect(await actual)[k](...args) });
  return api;
};
`;

const FRAMEWORK_MODULES = /^(?:node:test|node:assert(?:\/strict)?|assert(?:\/strict)?|vitest|@jest\/globals|jest|chai|mocha)$/;

function parseTs(code: string, language: Language): ts.SourceFile {
  return ts.createSourceFile(
    language === 'typescript' ? 'answer.ts' : 'answer.js',
    code,
    ts.ScriptTarget.Latest,
    true,
    language === 'typescript' ? ts.ScriptKind.TS : ts.ScriptKind.JS,
  );
}

const countNodeTests =
  (language: Language) =>
  (code: string): number =>
    parseTs(code, language).statements.filter((s) => isTestCall(s) || isAssertion(s)).length;

function declaredNames(s: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) return [s.name.text];
  if (ts.isVariableStatement(s)) return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  return [];
}

function nodeModelSuite(language: Language, answer: string, entry: TestEntry): ParsedTests | null {
  const code = answerCode(language, answer, countNodeTests(language));
  if (!code) return null;
  const sf = parseTs(code, language);
  const errorsAt = syntaxErrorsAt(code, sf.fileName);
  const exported = new Set(entry.exports);
  const kept: string[] = [];
  let tests = 0;
  let asserts = 0;
  const text = (s: ts.Statement): string => code.slice(s.getStart(sf), s.getEnd());
  for (const s of sf.statements) {
    if (isTestCall(s)) {
      const cases = nodeTestCases(sf, code, errorsAt, s).slice(0, MODEL_TEST_CASES - tests - asserts);
      kept.push(...cases);
      tests += cases.length;
    } else if (errorsAt.some((p) => p >= s.getStart(sf) && p <= s.getEnd())) {
      // Cut off by the answer's token cap (or not code at all): as written it would not parse.
      continue;
    } else if (isAssertion(s)) {
      if (tests + asserts >= MODEL_TEST_CASES) continue;
      asserts += 1;
      kept.push(`test('model assertion ${asserts}', async () => {\n  ${text(s)}\n});`);
    } else if (ts.isImportDeclaration(s)) {
      const spec = ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : '';
      // Relative imports are the model's guess of the candidate's path; test frameworks are replaced by ours.
      const bindings = s.importClause?.namedBindings;
      const names = bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text) : [];
      if (s.importClause?.name) names.push(s.importClause.name.text);
      if (!spec.startsWith('.') && !FRAMEWORK_MODULES.test(spec) && !names.some((n) => exported.has(n))) kept.push(text(s));
    } else if (
      ts.isFunctionDeclaration(s) ||
      ts.isClassDeclaration(s) ||
      ts.isVariableStatement(s) ||
      ts.isInterfaceDeclaration(s) ||
      ts.isTypeAliasDeclaration(s)
    ) {
      const names = declaredNames(s);
      const requires = ts.isVariableStatement(s) && /\brequire\s*\(/.test(text(s));
      if (!names.some((n) => exported.has(n)) && !requires) kept.push(text(s).replace(/^export\s+(?:default\s+)?/, ''));
    }
    // Anything else (console.log, calls to run the tests) is not a test: dropped.
  }
  if (tests + asserts === 0) return null;
  const body = kept.join('\n\n');
  const shim = /\bexpect\s*\(/.test(body) ? `\n${EXPECT_SHIM}` : '';
  const content = `// Tests written by the model for this request (generated by Evolve Studio).\n${nodeTestHeader(entry)}\n${shim}\n${body}\n`;
  return { suite: { origin: 'model', files: [{ path: testFileName(language, entry.file, 'model'), content }] }, cases: tests + asserts };
}

/**
 * A model's test answer → a suite of origin 'model', or null when it holds no test. Keeps test functions/classes
 * (pytest, unittest, node:test, Jest/Vitest style), fixtures, helpers and constants; drops the model's own
 * implementation of an export, its guessed import of the candidate and any top-level calls; wraps top-level asserts
 * into tests.
 */
export function parseModelTests(language: Language, answer: string, entry: TestEntry): TestSuite | null {
  return parsed(language, answer, entry)?.suite ?? null;
}

function parsed(language: Language, answer: string, entry: TestEntry): ParsedTests | null {
  checkEntry(language, entry);
  if (language === 'python') return pythonModelSuite(answer, entry);
  if (language === 'typescript' || language === 'javascript') return nodeModelSuite(language, answer, entry);
  return null;
}

/**
 * Where a test answer being streamed can end: its last line break, once the text before it holds MODEL_TEST_CASES
 * complete cases (a statement still open there is not counted). The rest would be dropped by parseModelTests anyway,
 * so the model is stopped instead of writing up to its token cap.
 */
export function modelTestsEnd(language: Language, text: string, entry: TestEntry): number | undefined {
  const at = text.lastIndexOf('\n');
  if (at < 0) return undefined;
  return (parsed(language, text.slice(0, at), entry)?.cases ?? 0) >= MODEL_TEST_CASES ? at : undefined;
}
