// Line and branch coverage of the OLD TS/JS function from V8's precise block coverage: the branches are found in the
// emitted JavaScript's syntax tree (inside the function only) and each arm's execution count is read from V8's ranges.
import ts from 'typescript';
import { z } from 'zod';
import { figure, type CoverageFigures } from './coverage-figures';

/** [startOffset, endOffset, count] of every range V8 reported for the module (function ranges and block ranges). */
export const V8RangesSchema = z.array(
  z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().nonnegative()]),
);
export type V8Ranges = z.infer<typeof V8RangesSchema>;

/**
 * How many times the code at `offset` ran: the count of the innermost range containing it. V8 nests block ranges inside
 * function ranges and drops a block whose count equals its parent's, so the innermost range is always the right one.
 */
export function countAt(ranges: V8Ranges, offset: number): number {
  let best: [number, number, number] | undefined;
  for (const r of ranges) {
    if (r[0] <= offset && offset < r[1] && (!best || r[1] - r[0] < best[1] - best[0])) best = r;
  }
  return best ? best[2] : 0;
}

type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

const isFunctionLike = (n: ts.Node | undefined): n is ts.FunctionExpression | ts.ArrowFunction =>
  n !== undefined && (ts.isFunctionExpression(n) || ts.isArrowFunction(n));

/** `name` or `Class.method` declared at the module's top level (function, const = arrow/function, class, exports.x =). */
export function findFunction(source: ts.SourceFile, name: string): FunctionLike | undefined {
  const [head, method] = name.split('.');
  for (const st of source.statements) {
    if (method !== undefined) {
      if (ts.isClassDeclaration(st) && st.name?.text === head) {
        return st.members.find(
          (m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText(source) === method && !!m.body,
        );
      }
      continue;
    }
    if (ts.isFunctionDeclaration(st) && st.name?.text === head && st.body) return st;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === head && isFunctionLike(d.initializer)) return d.initializer;
      }
    }
    if (
      ts.isExpressionStatement(st) &&
      ts.isBinaryExpression(st.expression) &&
      st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const left = st.expression.left.getText(source);
      if ((left === `exports.${head}` || left === `module.exports.${head}`) && isFunctionLike(st.expression.right))
        return st.expression.right;
    }
  }
  return undefined;
}

const LOGICAL = new Set([ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken]);

/** Arms of each branch point of the function with their counts, and the statements with theirs. */
export function branchArms(
  source: ts.SourceFile,
  fn: FunctionLike,
  ranges: V8Ranges,
): { arms: number[]; statements: { line: number; count: number }[] } {
  const at = (n: ts.Node): number => countAt(ranges, n.getStart(source));
  const arms: number[] = [];
  const statements: { line: number; count: number }[] = [];
  const statement = (n: ts.Node): void => {
    if (ts.isBlock(n)) return;
    statements.push({ line: source.getLineAndCharacterOfPosition(n.getStart(source)).line + 1, count: at(n) });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isIfStatement(n)) {
      const then = at(n.thenStatement);
      // No else: the false arm ran as many times as the if was reached minus the times its then-arm ran.
      arms.push(then, n.elseStatement ? at(n.elseStatement) : Math.max(0, at(n) - then));
    } else if (ts.isConditionalExpression(n)) {
      arms.push(at(n.whenTrue), at(n.whenFalse));
    } else if (ts.isBinaryExpression(n) && LOGICAL.has(n.operatorToken.kind)) {
      const right = at(n.right);
      arms.push(right, Math.max(0, at(n) - right)); // right operand evaluated / short-circuited
    } else if (ts.isCaseClause(n) || ts.isDefaultClause(n)) {
      // An empty clause falls through to the next one: it is not an arm of its own.
      if (n.statements.length > 0) arms.push(at(n.statements[0]!));
    }
    if (ts.isBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) n.statements.forEach(statement);
    else if (ts.isIfStatement(n)) [n.thenStatement, n.elseStatement].forEach((s) => s && statement(s));
    else if (ts.isIterationStatement(n, false)) statement(n.statement);
    else if (ts.isArrowFunction(n) && !ts.isBlock(n.body)) statement(n.body);
    ts.forEachChild(n, visit);
  };
  if (fn.body && !ts.isBlock(fn.body)) statement(fn.body);
  if (fn.body) visit(fn.body);
  return { arms, statements };
}

/**
 * Coverage of `fn` (name or Class.method) in the emitted JavaScript `code`, from the module's V8 ranges. Undefined when
 * the function is not found at the module's top level (then no figure is better than a wrong one).
 */
export function v8CoverageFigures(code: string, fileName: string, fn: string, ranges: V8Ranges): CoverageFigures | undefined {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const node = findFunction(source, fn);
  if (!node) return undefined;
  const { arms, statements } = branchArms(source, node, ranges);
  const lines = new Map<number, boolean>();
  for (const s of statements) lines.set(s.line, (lines.get(s.line) ?? false) || s.count > 0);
  const coveredLines = [...lines.values()].filter(Boolean).length;
  return { branches: figure(arms.filter((c) => c > 0).length, arms.length), lines: figure(coveredLines, lines.size) };
}
