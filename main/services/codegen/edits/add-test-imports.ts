// Adds the test-framework imports a test answer uses but never imports. The sandbox runs TS/JS tests with node --test
// and Python tests with pytest, so those are the frameworks added. The 1.5B wrote node:test files that call `test(...)`
// and `assert.strictEqual(...)` with no import at all (the eval's ts-test-cart-total and ts-test-slugify). Every test
// then failed to load with "Cannot find name 'test'", and the repair resent the file as it was, or imported `assert`
// from 'node:test', which has no such export on Node 20.
import type { Language } from '../../../../common/codegen/types';

const NODE_TEST_NAMES = ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach'] as const;

/** Another framework's file is left alone: its globals or imports are not node:test's. */
const OTHER_FRAMEWORK = /(?:\bfrom\s*|\brequire\(\s*)['"](?:vitest|@jest\/globals|jest|mocha|chai)['"]/;
const NODE_TEST_IMPORT = /^[ \t]*import\s*\{([^}]*)\}\s*from\s*['"]node:test['"];?[ \t]*$/m;
const ANY_NODE_TEST = /(?:\bfrom\s*|\brequire\(\s*)['"]node:test['"]/;
/** `assert` bound by an import (other than from node:test) or a declaration. */
const ASSERT_BOUND =
  /^[ \t]*import\s+(?:\*\s+as\s+)?assert\b|^[ \t]*import\s*\{[^}]*\bassert\b[^}]*\}\s*from\s*['"](?!node:test['"])|\b(?:const|let|var)\s+assert\s*=/m;

/** Calls of `name(` or `name.x(` that are not a property access (`obj.test(`) or part of a longer name. */
function calls(code: string, name: string): boolean {
  return new RegExp(`(?:^|[^.\\w$])${name}\\s*(?:\\(|\\.\\w+\\s*\\()`, 'm').test(code);
}

function specifiers(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface AddedTestImports {
  code: string;
  /** The import lines added or rewritten (as addMissingExports reports its names; the engine keeps only `code`). */
  added: string[];
}

function nodeTestImports(code: string): AddedTestImports {
  if (OTHER_FRAMEWORK.test(code)) return { code, added: [] };
  let out = code;
  const added: string[] = [];
  const used = NODE_TEST_NAMES.filter((n) => calls(out, n));
  const existing = NODE_TEST_IMPORT.exec(out);
  let assertFromNodeTest = false;
  if (existing) {
    const names = specifiers(existing[1]!);
    assertFromNodeTest = names.includes('assert');
    const kept = names.filter((n) => n !== 'assert');
    const wanted = [...kept, ...used.filter((n) => !kept.includes(n))];
    if (wanted.length !== names.length || assertFromNodeTest) {
      const line = `import { ${wanted.join(', ')} } from 'node:test';`;
      out = out.slice(0, existing.index) + line + out.slice(existing.index + existing[0].length);
      added.push(line);
    }
  } else if (used.length > 0 && !ANY_NODE_TEST.test(out)) {
    const line = `import { ${used.join(', ')} } from 'node:test';`;
    out = `${line}\n${out}`;
    added.push(line);
  }
  if ((assertFromNodeTest || calls(out, 'assert')) && !ASSERT_BOUND.test(out)) {
    const line = "import assert from 'node:assert/strict';";
    out = `${line}\n${out}`;
    added.push(line);
  }
  return { code: out, added };
}

function pytestImport(code: string): AddedTestImports {
  if (!/\bpytest\./.test(code) || /^[ \t]*(?:import\s+pytest\b|from\s+pytest\s+import\b)/m.test(code)) return { code, added: [] };
  return { code: `import pytest\n${code}`, added: ['import pytest'] };
}

/**
 * The answer to a test request with the runner's imports it uses and lacks: node:test's `test`/`describe`/`it`/hooks and
 * node:assert/strict's `assert` for TS/JS (an `assert` wrongly imported from node:test is moved), `import pytest` for
 * Python. Files written for another framework, and other languages, are returned as they are.
 */
export function addMissingTestImports(code: string, language: Language): AddedTestImports {
  if (language === 'typescript' || language === 'javascript') return nodeTestImports(code);
  if (language === 'python') return pytestImport(code);
  return { code, added: [] };
}
