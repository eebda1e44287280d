// addMissingTestImports: a test answer gets the node:test / node:assert / pytest imports it uses and lacks, and nothing
// else: files of another framework, names it already imports, and property calls (`obj.test(`) are left alone.
import { describe, expect, it } from 'vitest';
import { addMissingTestImports } from '../../../../main/services/codegen/edits';

// The 1.5B's answer to the eval's ts-test-cart-total, as it came back (no framework import at all).
const CART = [
  "import { cartTotal } from './cart.js';",
  '',
  "test('no discount', () => {",
  '  assert.strictEqual(cartTotal([{ priceCents: 100, qty: 2 }]), 200);',
  '});',
].join('\n');

describe('addMissingTestImports', () => {
  it('adds node:test and node:assert/strict imports to a TS answer that uses test() and assert without them', () => {
    const r = addMissingTestImports(CART, 'typescript');
    expect(r.code).toBe(`import assert from 'node:assert/strict';\nimport { test } from 'node:test';\n${CART}`);
    expect(r.added).toHaveLength(2);
  });

  it("moves an assert imported from node:test (no such export on Node 20) and completes the existing import's names", () => {
    const code = "import { test, assert } from 'node:test';\ndescribe('x', () => { it('y', () => { assert.ok(true); }); });\n";
    const r = addMissingTestImports(code, 'javascript');
    expect(r.code).toBe(
      "import assert from 'node:assert/strict';\nimport { test, describe, it } from 'node:test';\ndescribe('x', () => { it('y', () => { assert.ok(true); }); });\n",
    );
  });

  it('leaves complete files, other frameworks, property calls and other languages unchanged', () => {
    const complete = `import { test } from 'node:test';\nimport * as assert from 'node:assert';\n${CART}`;
    expect(addMissingTestImports(complete, 'typescript')).toEqual({ code: complete, added: [] });
    const vitest = "import { test, expect } from 'vitest';\ntest('a', () => { expect(1).toBe(1); });\n";
    expect(addMissingTestImports(vitest, 'typescript').code).toBe(vitest);
    const notTests = 'const re = /a/;\nre.test("a");\nconsole.assert(true);\n';
    expect(addMissingTestImports(notTests, 'typescript').code).toBe(notTests);
    const required = "const assert = require('assert');\nconst { test } = require('node:test');\ntest('a', () => assert.ok(1));\n";
    expect(addMissingTestImports(required, 'javascript').code).toBe(required);
    expect(addMissingTestImports(CART, 'go').code).toBe(CART);
  });

  it('adds `import pytest` to a Python answer that uses pytest.raises without it, and only then', () => {
    const code = 'from ranges import clamp\n\ndef test_bad():\n    with pytest.raises(ValueError):\n        clamp(1, 5, 0)\n';
    expect(addMissingTestImports(code, 'python').code).toBe(`import pytest\n${code}`);
    const has = `import pytest\n${code}`;
    expect(addMissingTestImports(has, 'python').code).toBe(has);
    const plain = 'def test_a():\n    assert 1 == 1\n';
    expect(addMissingTestImports(plain, 'python').code).toBe(plain);
  });
});
