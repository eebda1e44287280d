// runTests for TypeScript/JavaScript against the real sandbox and real `node --test`: TypeScript transpiled in process,
// extensionless imports, CommonJS candidates, a project's node_modules, failures trimmed, hangs, syntax errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTests, testEnvironment } from '../../../../main/services/codegen/tests';

const suite = (origin: 'user' | 'docstring' | 'model', name: string, content: string) => ({ origin, files: [{ path: name, content }] });
const TESTS = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { add } from './solution';",
  '',
  "test('small', () => {",
  '  assert.equal(add(1, 2), 3);',
  '});',
  '',
  "test('negative', () => {",
  '  assert.equal(add(-1, -2), -3);',
  '});',
  '',
].join('\n');
const GOOD = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('runTests (typescript/javascript, real sandbox + node --test)', () => {
  it('passes a correct TypeScript candidate; ids name the .ts files the model wrote', async () => {
    const run = await runTests({
      language: 'typescript',
      files: [{ path: 'solution.ts', content: GOOD }],
      suites: [suite('user', 'solution.test.ts', TESTS)],
    });
    expect(run).toMatchObject({ status: 'passed', runner: expect.stringMatching(/^node --test \(node v\d+/), output: '' });
    expect(run.cases).toEqual([
      { id: 'solution.test.ts::small', origin: 'user', passed: true },
      { id: 'solution.test.ts::negative', origin: 'user', passed: true },
    ]);
  });

  it('fails a wrong candidate with the assertion and source-mapped .ts frames only', async () => {
    const wrong =
      'export function add(a: number, b: number): number {\n  if (a < 0) throw new RangeError(`negative ${a}`);\n  return a + b + 1;\n}\n';
    const run = await runTests({
      language: 'typescript',
      files: [{ path: 'solution.ts', content: wrong }],
      suites: [suite('model', 'solution.test.ts', TESTS)],
    });
    expect(run.status).toBe('failed');
    const small = run.cases.find((c) => c.id === 'solution.test.ts::small');
    expect(small).toMatchObject({ origin: 'model', passed: false });
    expect(small?.message).toContain('4 !== 3');
    const neg = run.cases.find((c) => c.id === 'solution.test.ts::negative')?.message ?? '';
    expect(neg).toContain('RangeError: negative -1');
    expect(neg).toContain('at add (solution.ts:2:');
    expect(run.output).not.toMatch(/evolve-sbx-|node:internal|\.evolve-run|file:\/\//);
  });

  it('reports a TypeScript syntax error in the candidate as an error run without running anything', async () => {
    const run = await runTests({
      language: 'typescript',
      files: [{ path: 'solution.ts', content: 'export function add(a: number, b: number {\n  return a + b;\n}\n' }],
      suites: [suite('user', 'solution.test.ts', TESTS)],
    });
    expect(run.status).toBe('error');
    expect(run.cases).toEqual([expect.objectContaining({ id: 'solution.test.ts', passed: false })]);
    expect(run.output).toMatch(/solution\.ts:1:\d+ - error TS1005/);
  });

  it('runs a CommonJS JavaScript candidate from an ES module test', async () => {
    const cjs = 'function add(a, b) {\n  return a + b;\n}\nmodule.exports = { add };\n';
    const tests = TESTS.replace("'./solution'", "'./solution.js'");
    const run = await runTests({
      language: 'javascript',
      files: [{ path: 'solution.js', content: cjs }],
      suites: [suite('docstring', 'solution.test.mjs', tests)],
    });
    expect(run).toMatchObject({
      status: 'passed',
      cases: [
        { id: 'solution.test.mjs::small', origin: 'docstring', passed: true },
        { id: 'solution.test.mjs::negative', passed: true },
      ],
    });
  });

  it('kills a hang at the wall: earlier results kept, the unfinished file named', async () => {
    // An await that never settles (a forgotten resolve): the event loop stays free, so results stream until the kill.
    const code =
      'export async function add(a: number, b: number): Promise<number> {\n  if (a > 100) await new Promise(() => setInterval(() => {}, 1000));\n  return a + b;\n}\n';
    const tests = `${TESTS.replace(/assert\.equal\(add/g, 'assert.equal(await add').replace(/\(\) => \{/g, 'async () => {')}\ntest('big', async () => {\n  assert.equal(await add(1000, 1), 1001);\n});\n`;
    const run = await runTests({
      language: 'typescript',
      files: [{ path: 'solution.ts', content: code }],
      suites: [suite('user', 'solution.test.ts', tests)],
      limits: { wallMs: 5000 },
    });
    expect(run).toMatchObject({ status: 'failed', killedBy: 'wall' });
    expect(run.cases.find((c) => c.id === 'solution.test.ts::small')?.passed).toBe(true);
    expect(run.cases.find((c) => c.id === 'solution.test.ts')).toMatchObject({
      passed: false,
      message: expect.stringMatching(/did not finish \(after "negative", the last test that finished\)/),
    });
  });

  it('a synchronous endless loop is still a failed run killed at the wall', async () => {
    const code = 'export function add(a: number, b: number): number {\n  while (a > 100) {}\n  return a + b;\n}\n';
    const tests = `${TESTS}\ntest('big', () => {\n  assert.equal(add(1000, 1), 1001);\n});\n`;
    const run = await runTests({
      language: 'typescript',
      files: [{ path: 'solution.ts', content: code }],
      suites: [suite('user', 'solution.test.ts', tests)],
      limits: { wallMs: 4000 },
    });
    expect(run).toMatchObject({ status: 'failed', killedBy: 'wall' });
    expect(run.cases.some((c) => !c.passed)).toBe(true);
    expect(run.output).toMatch(/did not finish|killed/);
  });

  it("resolves bare imports from the project's node_modules, mounted read-only", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-proj-'));
    scratch.push(project);
    const pkg = path.join(project, 'node_modules', 'pad-it');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), '{ "name": "pad-it", "type": "module", "exports": "./index.js" }\n');
    fs.writeFileSync(path.join(pkg, 'index.js'), "export const pad = (s, n) => s.padStart(n, '0');\n");
    const code = "import { pad } from 'pad-it';\nexport const id = (n: number): string => pad(String(n), 4);\n";
    const tests =
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { id } from '../src/id';\ntest('pads', () => assert.equal(id(7), '0007'));\n";
    const env = await testEnvironment('typescript', project);
    expect(env).toMatchObject({ available: true, runner: expect.stringContaining('project node_modules') });
    const run = await runTests({
      language: 'typescript',
      files: [{ path: 'src/id.ts', content: code }],
      suites: [suite('user', 'test/id.test.ts', tests)],
      projectRoot: project,
    });
    expect(run).toMatchObject({ status: 'passed', cases: [{ id: 'test/id.test.ts::pads', passed: true }] });
  });

  it('is unavailable (not failed) without a sandbox or for a language without a runner', async () => {
    const noSandbox = async () => ({
      available: false,
      method: 'none' as const,
      platform: process.platform,
      runningAsRoot: false,
      tools: {},
      reasons: ['bubblewrap (bwrap) is not installed.'],
    });
    const run = await runTests(
      { language: 'typescript', files: [{ path: 'solution.ts', content: GOOD }], suites: [suite('user', 'solution.test.ts', TESTS)] },
      { support: noSandbox },
    );
    expect(run).toMatchObject({ status: 'unavailable', cases: [], unavailableReason: expect.stringContaining('bwrap') });
    const go = await runTests({
      language: 'go',
      files: [{ path: 'main.go', content: 'package main\n' }],
      suites: [suite('user', 'main_test.go', 'package main\n')],
    });
    expect(go).toMatchObject({ status: 'unavailable', unavailableReason: expect.stringContaining('No test runner for go') });
  });
});
