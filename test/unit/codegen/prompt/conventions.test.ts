// detectConventions on the fixture projects (FastAPI + pytest + ruff; React + vitest + eslint) and its parsers.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempTrees } from '../../../support/temp-tree';
import {
  detectConventions,
  measureIndent,
  measureNaming,
  parseJsonc,
  pythonRequirementNames,
  renderConventions,
} from '../../../../main/services/codegen/prompt/conventions';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/codegen/prompt');
const trees = tempTrees('evolve-conv-');
const tempProject = (files: Record<string, string>) => trees.make(files);
afterEach(() => trees.cleanup());

describe('detectConventions', () => {
  it('reads a FastAPI + SQLAlchemy + pytest + ruff project', async () => {
    const c = await detectConventions(path.join(FIXTURES, 'fastapi-ruff'));
    expect(c.pythonVersion).toBe('>=3.11');
    // The description mentions Flask and a keyword starts with django: neither is a dependency.
    expect(c.frameworks.sort()).toEqual(['FastAPI', 'Pydantic', 'SQLAlchemy']);
    expect(c.testRunners).toEqual({ python: 'pytest', javascript: null });
    expect(c.lint).toEqual(['ruff']);
    expect(c.format).toEqual(['ruff']);
    expect(c.naming.functions).toBe('snake_case');
    expect(c.naming.sampled).toBeGreaterThanOrEqual(2);
    expect(c.indent).toBe('    ');
    expect(c.typescript).toBeNull();
    expect(c.moduleType).toBeNull();
    expect(c.sources).toContain('pyproject.toml');
    const text = renderConventions(c);
    expect(text).toContain('Python >=3.11');
    expect(text).toContain('tests: pytest');
    expect(text).toContain('function names: snake_case');
  });

  it('reads a React + vitest + eslint + prettier TypeScript project', async () => {
    const c = await detectConventions(path.join(FIXTURES, 'react-vitest'));
    expect(c.frameworks).toEqual(['React']);
    expect(c.testRunners).toEqual({ python: null, javascript: 'vitest' });
    expect(c.lint).toEqual(['eslint']);
    expect(c.format).toEqual(['prettier']);
    expect(c.typescript).toEqual({ version: '5.6.2', strict: true });
    expect(c.moduleType).toBe('esm');
    expect(c.nodeVersion).toBe('>=20');
    expect(c.naming.functions).toBe('camelCase');
    expect(c.indent).toBe('  ');
    expect(c.pythonVersion).toBeNull();
    expect(renderConventions(c)).toContain('TypeScript 5.6.2 (strict mode');
  });

  it('gives nulls for an empty folder and survives malformed configs', async () => {
    const empty = await tempProject({});
    const c = await detectConventions(empty);
    expect(c).toMatchObject({ pythonVersion: null, typescript: null, frameworks: [], lint: [], format: [], naming: { functions: null } });
    expect(renderConventions(c)).toBe('');
    const broken = await tempProject({
      'package.json': '{ "dependencies": { "express": ',
      'tsconfig.json': 'not json',
      'pyproject.toml': '[project\nx',
    });
    const b = await detectConventions(broken);
    expect(b.frameworks).toEqual([]);
    expect(b.typescript).toEqual({ version: null, strict: null });
    expect(b.moduleType).toBe('commonjs');
  });

  it('finds node:test, Express + Prisma, biome, Poetry, .python-version, flake8 in setup.cfg, unittest', async () => {
    const js = await tempProject({
      'package.json': JSON.stringify({
        scripts: { test: 'node --experimental-strip-types --test' },
        dependencies: { express: '4', '@prisma/client': '5' },
      }),
      'biome.json': '{}',
    });
    const cj = await detectConventions(js);
    expect(cj.testRunners.javascript).toBe('node:test');
    expect(cj.frameworks.sort()).toEqual(['Express', 'Prisma']);
    expect(cj.lint).toEqual(['biome']);
    const py = await tempProject({
      'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.10"\nflask = "^3.0"\nFlask-SQLAlchemy = "*"\n',
      '.python-version': '3.12.4\n',
      'setup.cfg': '[flake8]\nmax-line-length = 100\n',
    });
    const cp = await detectConventions(py);
    expect(cp.pythonVersion).toBe('3.12.4');
    expect(cp.frameworks.sort()).toEqual(['Flask', 'SQLAlchemy']);
    expect(cp.lint).toEqual(['flake8']);
    expect(cp.testRunners.python).toBe('unittest');
  });

  it('does not follow a config symlink out of the project', async () => {
    const outside = await tempProject({ 'package.json': JSON.stringify({ dependencies: { react: '18' } }) });
    const project = await tempProject({});
    await fs.symlink(path.join(outside, 'package.json'), path.join(project, 'package.json'));
    const c = await detectConventions(project);
    expect(c.frameworks).toEqual([]);
    expect(c.sources).toEqual([]);
  });
});

describe('parsers', () => {
  it('parseJsonc drops comments and trailing commas but not // inside strings', () => {
    expect(parseJsonc('{\n // c\n "a": "http://x", /* b */ "b": [1,2,],\n}')).toEqual({ a: 'http://x', b: [1, 2] });
    expect(parseJsonc('{')).toBeNull();
  });

  it('pythonRequirementNames reads dependency arrays only (extras, markers, comments)', () => {
    const names = pythonRequirementNames({
      arrays: [
        {
          table: 'name = "flask-clone"\ndependencies = ["fastapi[all]>=0.1", \'Django ; python_version>"3"\', # x\n]\nkeywords = ["flask"]',
          keys: ['dependencies'],
        },
      ],
      requirements: ['# comment\n-r base.txt\nSQLAlchemy==2.0\n'],
    });
    expect([...names].sort()).toEqual(['django', 'fastapi', 'sqlalchemy']);
  });

  it('measureNaming and measureIndent decide only with a clear majority', () => {
    expect(measureNaming([{ file: 'a.py', text: 'def load_all():\n    pass\ndef loadAll():\n    pass\n' }]).functions).toBe('mixed');
    expect(measureNaming([{ file: 'a.ts', text: 'function run() {}\n' }]).functions).toBeNull();
    expect(measureIndent(['if x:\n\ty\n\tz\n'])).toBe('\t');
    expect(measureIndent(['a\n    b\n        c\n'])).toBe('    ');
  });
});
