// Cyclomatic complexity per function from the tree-sitter syntax tree (the grammars native/index already loads):
// 1 + decision points in the function's own body; nested functions are counted on their own.
import type { Node } from 'web-tree-sitter';
import type { Language } from '../../../common/codegen/types';
import { parserFor } from '../../../native/index/grammars';

export interface FunctionComplexity {
  name: string;
  line: number;
  complexity: number;
}
export interface ComplexityMeasure {
  functions: FunctionComplexity[];
  mean: number;
  max: number;
}

interface Rules {
  functions: ReadonlySet<string>;
  decisions: ReadonlySet<string>;
  /** Binary nodes that are decisions only for these operators (short-circuit boolean operators). */
  booleanNode: string;
  booleanOps: ReadonlySet<string>;
}

// Decision points as radon (Python) and ESLint's `complexity` rule (JS/TS) count them: branches, loops, handlers,
// case arms, conditional expressions, short-circuit operators and comprehension clauses.
const JS: Rules = {
  functions: new Set([
    'function_declaration',
    'function_expression',
    'function',
    'arrow_function',
    'method_definition',
    'generator_function_declaration',
    'generator_function',
  ]),
  decisions: new Set([
    'if_statement',
    'for_statement',
    'for_in_statement',
    'while_statement',
    'do_statement',
    'switch_case',
    'catch_clause',
    'ternary_expression',
  ]),
  booleanNode: 'binary_expression',
  booleanOps: new Set(['&&', '||', '??']),
};
const RULES: Partial<Record<Language, Rules>> = {
  python: {
    functions: new Set(['function_definition', 'lambda']),
    decisions: new Set([
      'if_statement',
      'elif_clause',
      'for_statement',
      'while_statement',
      'except_clause',
      'conditional_expression',
      'case_clause',
      'for_in_clause',
      'if_clause',
    ]),
    booleanNode: 'boolean_operator',
    booleanOps: new Set(['and', 'or']),
  },
  typescript: JS,
  javascript: JS,
};

/** Languages measured here; others fall back to the score's token-based approximation. */
export const COMPLEXITY_LANGUAGES = Object.keys(RULES) as Language[];

function isDecision(n: Node, r: Rules): boolean {
  if (r.decisions.has(n.type)) return true;
  return n.type === r.booleanNode && r.booleanOps.has(n.childForFieldName('operator')?.type ?? '');
}

/**
 * Per-function cyclomatic complexity of `code`; undefined for a language without rules here (or no grammar).
 * Module-level code with decisions counts as one more unit ("<module>"), as does a file with no function at all.
 */
export async function measureComplexity(code: string, language: Language): Promise<ComplexityMeasure | undefined> {
  const rules = RULES[language];
  if (!rules) return undefined;
  const parser = await parserFor(language === 'python' ? 'python' : language === 'typescript' ? 'typescript' : 'javascript');
  const tree = parser.parse(code);
  if (!tree) return undefined;
  try {
    const out: FunctionComplexity[] = [];
    // Iterative walk: each function gets its own counter; decisions add to the innermost enclosing one.
    const moduleUnit: FunctionComplexity = { name: '<module>', line: 1, complexity: 1 };
    const stack: { node: Node; unit: FunctionComplexity }[] = [{ node: tree.rootNode, unit: moduleUnit }];
    let moduleDecisions = 0;
    while (stack.length > 0) {
      const { node, unit } = stack.pop() as { node: Node; unit: FunctionComplexity };
      let current = unit;
      if (rules.functions.has(node.type) && node !== tree.rootNode) {
        current = { name: node.childForFieldName('name')?.text ?? `<${node.type}>`, line: node.startPosition.row + 1, complexity: 1 };
        out.push(current);
      } else if (isDecision(node, rules)) {
        unit.complexity++;
        if (unit === moduleUnit) moduleDecisions++;
      }
      for (const child of node.namedChildren) if (child) stack.push({ node: child, unit: current });
    }
    if (moduleDecisions > 0 || out.length === 0) out.push(moduleUnit);
    out.sort((a, b) => a.line - b.line);
    const total = out.reduce((s, f) => s + f.complexity, 0);
    return { functions: out, mean: total / out.length, max: Math.max(...out.map((f) => f.complexity)) };
  } finally {
    tree.delete();
  }
}
