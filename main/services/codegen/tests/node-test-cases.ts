// Model-written node:test / Jest-style tests → one top-level test per check (the runner reports top-level tests,
// and CodeT counts agreement test by test): `test('x', () => { setup; expect(a)…; expect(b)…; })` becomes one test
// per expect with the setup replayed, and a `describe` holding only tests is flattened into `describe > test`.
// Statements the token cap cut off (an unclosed call or block) are dropped instead of breaking the file.
import ts from 'typescript';
import { dropRepeatedChecks } from './repeated-checks';

const NODE_TEST_CALLEES = new Set(['test', 'it', 'describe', 'suite']);

function calleeRoot(expr: ts.Expression): string | undefined {
  let e: ts.Expression = expr;
  while (ts.isPropertyAccessExpression(e) || ts.isCallExpression(e)) e = ts.isCallExpression(e) ? e.expression : e.expression;
  return ts.isIdentifier(e) ? e.text : undefined;
}

function callOf(s: ts.Statement): ts.CallExpression | null {
  if (!ts.isExpressionStatement(s)) return null;
  const e = ts.isAwaitExpression(s.expression) ? s.expression.expression : s.expression;
  return ts.isCallExpression(e) ? e : null;
}

export function isTestCall(s: ts.Statement): boolean {
  const call = callOf(s);
  return call !== null && NODE_TEST_CALLEES.has(calleeRoot(call.expression) ?? '');
}

export function isAssertion(s: ts.Statement): boolean {
  const call = callOf(s);
  return call !== null && ['assert', 'expect'].includes(calleeRoot(call.expression) ?? '');
}

/** The statement calls assert/expect somewhere (a loop of expects is one check). */
function holdsCheck(node: ts.Node): boolean {
  if (ts.isCallExpression(node) && ['assert', 'expect'].includes(calleeRoot(node.expression) ?? '')) return true;
  return ts.forEachChild(node, holdsCheck) ?? false;
}

/** Positions of the syntax errors in a model's test code (a cut answer leaves an unclosed call or block). */
export function syntaxErrorsAt(code: string, fileName: string): number[] {
  const out = ts.transpileModule(code, { fileName, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  return (out.diagnostics ?? []).flatMap((d) => (d.start === undefined ? [] : [d.start]));
}

interface Source {
  sf: ts.SourceFile;
  code: string;
  errorsAt: readonly number[];
}

const text = (src: Source, n: ts.Node): string => src.code.slice(n.getStart(src.sf), n.getEnd());
/**
 * A syntax error inside the node, or at its very end when it does not end like a finished statement: the error an
 * unclosed enclosing call reports at the end of the text falls on its last inner statement's end too.
 */
const broken = (src: Source, n: ts.Node): boolean =>
  src.errorsAt.some((p) => p >= n.getStart(src.sf) && (p < n.getEnd() || (p === n.getEnd() && !/[;})\]]$/.test(text(src, n)))));

/** `test('name', (async) () => { … })` with a plain string name and a block body; anything else stays as written. */
function simpleTest(s: ts.Statement): { kind: string; name: string; fn: ts.ArrowFunction | ts.FunctionExpression; body: ts.Block } | null {
  const call = callOf(s);
  if (!call || !ts.isIdentifier(call.expression) || call.arguments.length !== 2) return null;
  const [name, fn] = call.arguments;
  if (!name || !ts.isStringLiteralLike(name) || !fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return null;
  if (fn.parameters.length > 0 || !ts.isBlock(fn.body)) return null;
  return { kind: call.expression.text, name: name.text, fn, body: fn.body };
}

function renderTest(name: string, async: boolean, body: string[]): string {
  const lines = body.flatMap((b) => b.split('\n')).map((l) => (l ? `  ${l}` : l));
  return `test(${JSON.stringify(name)}, ${async ? 'async ' : ''}() => {\n${lines.join('\n')}\n});`;
}

function testCases(src: Source, s: ts.Statement, prefix: string): string[] {
  const t = simpleTest(s);
  if (!t || t.kind === 'describe' || t.kind === 'suite') return broken(src, s) ? [] : [text(src, s)];
  const written = [...t.body.statements];
  // Only the last statement can be cut (an unclosed call swallows the rest of the answer).
  const last = written[written.length - 1];
  const cut = last !== undefined && broken(src, last);
  if (cut) written.pop();
  const isCheck = (x: ts.Statement): boolean => holdsCheck(x);
  const statements = dropRepeatedChecks(written, isCheck, (x) => text(src, x));
  const checks = statements.filter(isCheck);
  if (statements.length === 0 || (cut && checks.length === 0)) return [];
  const name = `${prefix}${t.name}`;
  const async = (ts.getCombinedModifierFlags(t.fn) & ts.ModifierFlags.Async) !== 0;
  const firstCheck = statements.findIndex(isCheck);
  const interleaved = firstCheck >= 0 && statements.slice(firstCheck).some((x) => !isCheck(x));
  if (interleaved || checks.length < 2)
    return [
      renderTest(
        name,
        async,
        statements.map((x) => text(src, x)),
      ),
    ];
  const setup = statements.slice(0, firstCheck).map((x) => text(src, x));
  return checks.map((c, i) => renderTest(`${name} #${i + 1}`, async, [...setup, text(src, c)]));
}

/**
 * A top-level test call → its test cases. A `describe` whose body is only simple tests is flattened (its name becomes
 * the prefix); one with hooks or shared state stays whole, as does anything else, unless it was cut off: then [].
 */
export function nodeTestCases(sf: ts.SourceFile, code: string, errorsAt: readonly number[], s: ts.Statement): string[] {
  const src: Source = { sf, code, errorsAt };
  const t = simpleTest(s);
  if (t && (t.kind === 'describe' || t.kind === 'suite')) {
    const inner = [...t.body.statements];
    const last = inner[inner.length - 1];
    if (last !== undefined && broken(src, last)) inner.pop();
    if (inner.length > 0 && inner.every((x) => isTestCall(x) && simpleTest(x) !== null)) {
      return inner.flatMap((x) => testCases(src, x, `${t.name} > `));
    }
  }
  return testCases(src, s, '');
}
