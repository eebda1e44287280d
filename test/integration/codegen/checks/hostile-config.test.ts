// Nothing of a project is loaded or run by the checks: a hostile eslint.config.js (writes a canary, turns every rule
// off), ruff/Bandit configs in the folders above the temp dir (ignore everything), a tsconfig naming a language-service
// plugin, and generated code with side effects at import. Each hostile piece is first shown to WORK when loaded the
// ordinary way (the control), so its absence from our results proves it was not loaded.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPython, checkTypeScript, locatePythonTools, scanSecurity } from '../../../../main/services/codegen/checks';
import { eslintVirtualRoot } from '../../../../main/services/codegen/checks/eslint';
import { HOSTILE_PY, HOSTILE_TS } from './snippets';

let hostile: string; // a project with every kind of hostile config
let canaryDir: string;
const canary = (name: string) => path.join(canaryDir, name);

/** An ESLint flat config that proves it ran (a canary file) and would switch every finding off. */
const hostileEslintConfig = (name: string) =>
  `require('node:fs').writeFileSync(${JSON.stringify(canary(name))}, 'loaded');\nmodule.exports = [{ linterOptions: { reportUnusedDisableDirectives: 'off' }, rules: {} }];\n`;

/** ruff and Bandit configs that would hide every finding (per-file-ignores survives a command-line --select). */
const RUFF_IGNORE_ALL = '[tool.ruff.lint]\nper-file-ignores = { "*.py" = ["ALL"] }\n\n[tool.bandit]\nskips = ["B602", "B307", "B404"]\n';

beforeAll(async () => {
  canaryDir = await fs.mkdtemp(path.join(os.tmpdir(), 'evolve-canaries-'));
  hostile = await fs.mkdtemp(path.join(os.tmpdir(), 'evolve-hostile-project-'));
  await fs.writeFile(path.join(hostile, 'eslint.config.js'), hostileEslintConfig('project-eslint'));
  await fs.writeFile(path.join(hostile, 'pyproject.toml'), RUFF_IGNORE_ALL);
  await fs.writeFile(path.join(hostile, 'ruff.toml'), '[lint]\nper-file-ignores = { "*.py" = ["ALL"] }\n');
  await fs.writeFile(path.join(hostile, '.bandit'), '[bandit]\nskips = B602,B307,B404\n');
  // A tsconfig that names a tsserver plugin (which would write a canary if anything loaded it) and sets an option.
  await fs.mkdir(path.join(hostile, 'node_modules', 'evil-ts-plugin'), { recursive: true });
  await fs.writeFile(
    path.join(hostile, 'node_modules', 'evil-ts-plugin', 'package.json'),
    '{ "name": "evil-ts-plugin", "main": "index.js" }',
  );
  await fs.writeFile(
    path.join(hostile, 'node_modules', 'evil-ts-plugin', 'index.js'),
    `require('node:fs').writeFileSync(${JSON.stringify(canary('ts-plugin'))}, 'loaded');\nmodule.exports = () => ({ create: (i) => i.languageService });\n`,
  );
  await fs.writeFile(
    path.join(hostile, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, plugins: [{ name: 'evil-ts-plugin' }], outDir: 'should-not-exist', noEmit: false } }),
  );
  // ESLint's own lint root: a config right where our in-process ESLint lints.
  await fs.mkdir(eslintVirtualRoot(), { recursive: true });
  await fs.writeFile(path.join(eslintVirtualRoot(), 'eslint.config.js'), hostileEslintConfig('virtual-root-eslint'));
});

afterAll(async () => {
  await fs.rm(hostile, { recursive: true, force: true });
  await fs.rm(canaryDir, { recursive: true, force: true });
  await fs.rm(path.join(eslintVirtualRoot(), 'eslint.config.js'), { force: true });
});

describe('controls: the hostile configs work when loaded the ordinary way', () => {
  it('ESLint with config lookup loads the project eslint.config.js (canary written)', async () => {
    const eslint = new ESLint({ cwd: hostile });
    await eslint.lintText('eval(x);\n', { filePath: path.join(hostile, 'a.js') });
    expect(existsSync(canary('project-eslint'))).toBe(true);
    await fs.rm(canary('project-eslint'));
  });

  it('ruff with our rule selection but without --isolated picks up ruff.toml and reports nothing', async () => {
    const tools = await locatePythonTools();
    await fs.writeFile(path.join(hostile, 'm.py'), 'def f():\n    unused = 1\n');
    let out = '';
    try {
      out = execFileSync(tools.ruff, ['check', '--no-cache', '--output-format', 'json', '--select', 'E4,E7,E9,F,B,PLE,ASYNC', 'm.py'], {
        cwd: hostile,
        encoding: 'utf8',
      });
    } finally {
      await fs.rm(path.join(hostile, 'm.py'));
    }
    expect(JSON.parse(out)).toEqual([]);
  });
});

describe('the checks load none of it', () => {
  it('checkPython: ruff configs in the folders above its temp dir are not read (F841 still reported)', async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = hostile; // our temp dir is created inside the hostile project, under its configs
    try {
      const r = await checkPython([{ path: 'm.py', content: 'def f():\n    unused = 1\n' }]);
      expect(r.findings.map((f) => f.ruleId)).toEqual(['F841']);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('scanSecurity (Bandit): .bandit / pyproject.toml skips above the temp dir, or among the files, are ignored', async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = hostile;
    try {
      const r = await scanSecurity(
        [
          { path: 'tool.py', content: HOSTILE_PY },
          { path: '.bandit', content: '[bandit]\nskips = B602,B307,B404\n' },
          { path: 'pyproject.toml', content: RUFF_IGNORE_ALL },
        ],
        'python',
      );
      expect(r.findings.filter((f) => f.tool === 'bandit').map((f) => f.ruleId.split(':')[0])).toEqual(['B404', 'B602', 'B307']);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('checkPython never runs the generated code (a module that writes a canary at import)', async () => {
    const code = `open(${JSON.stringify(canary('py-import'))}, "w").write("ran")\n`;
    const r = await checkPython([
      { path: 'side_effect.py', content: code },
      { path: 'sitecustomize.py', content: code },
    ]);
    expect(r.ok).toBe(true);
    expect(existsSync(canary('py-import'))).toBe(false);
  });

  it('ESLint in-process (lint and scan) never loads an eslint.config.js, even one in its own lint root', async () => {
    const lint = await checkTypeScript([{ path: 'src/r.ts', content: HOSTILE_TS }], { tsconfig: path.join(hostile, 'tsconfig.json') });
    const scan = await scanSecurity([{ path: 'src/r.ts', content: HOSTILE_TS }], 'typescript');
    expect(existsSync(canary('project-eslint'))).toBe(false);
    expect(existsSync(canary('virtual-root-eslint'))).toBe(false);
    // Our rules still ran (the hostile config would have left none).
    expect(scan.findings.filter((f) => f.severity === 'high')).toHaveLength(4);
    expect(lint.tools.map((t) => t.name)).toEqual(['typescript', 'eslint']);
  });

  it("the project's tsconfig is data: its plugin is not loaded and nothing is emitted", async () => {
    const r = await checkTypeScript([{ path: 'src/ok.ts', content: 'export const n: number = 1;\n' }], {
      tsconfig: path.join(hostile, 'tsconfig.json'),
    });
    expect(r.findings).toEqual([]);
    expect(existsSync(canary('ts-plugin'))).toBe(false);
    expect(existsSync(path.join(hostile, 'should-not-exist'))).toBe(false);
  });
});
