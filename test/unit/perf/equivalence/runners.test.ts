// Which Python runs the proof, by looking at venv files only: the project's venv when it has Hypothesis and
// coverage.py, else the tools venv with the project's site-packages appended (same Python version only), else none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fastCheckLocation, findPythonProofRunner } from '../../../../main/services/perf/equivalence/runners';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-eq-runners-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A venv as environment.ts recognises it: pyvenv.cfg, bin/python and packages as folders in site-packages. */
function venv(dir: string, pyDir: string, packages: string[]): string {
  const site = path.join(dir, 'lib', pyDir, 'site-packages');
  fs.mkdirSync(site, { recursive: true });
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'pyvenv.cfg'), 'home = /usr/bin\n');
  fs.writeFileSync(path.join(dir, 'bin', 'python'), '');
  for (const p of packages) fs.mkdirSync(path.join(site, p));
  if (packages.includes('pytest')) fs.mkdirSync(path.join(site, 'pytest-9.2.0.dist-info'));
  return fs.realpathSync(site);
}

describe('findPythonProofRunner', () => {
  const tools = path.join(root, 'tools');
  venv(tools, 'python3.11', ['pytest', 'hypothesis', 'coverage']);

  it('uses the tools venv and appends the project site-packages of the same Python version', () => {
    const project = path.join(root, 'p1');
    const site = venv(path.join(project, '.venv'), 'python3.11', ['pytest', 'numpy']);
    const r = findPythonProofRunner(project, tools);
    expect(r.ok && r.found.kind === 'python' && r.found.runner.python).toBe(path.join(fs.realpathSync(tools), 'bin', 'python'));
    expect(r.ok && r.found.kind === 'python' && r.found.extraSitePackages).toEqual([site]);
    expect(r.ok && r.found.runner.readOnlyPaths).toContain(fs.realpathSync(path.join(project, '.venv')));
  });

  it('does not append a project venv of another Python version', () => {
    const project = path.join(root, 'p2');
    venv(path.join(project, '.venv'), 'python3.9', ['pytest']);
    const r = findPythonProofRunner(project, tools);
    expect(r.ok && r.found.kind === 'python' && r.found.extraSitePackages).toEqual([]);
  });

  it('prefers the project venv when it has Hypothesis and coverage.py itself', () => {
    const project = path.join(root, 'p3');
    venv(path.join(project, '.venv'), 'python3.12', ['pytest', 'hypothesis', 'coverage']);
    const r = findPythonProofRunner(project, tools);
    expect(r.ok && r.found.runner.label).toContain('project .venv');
  });

  it('is not ok (with the setup command) when no venv has Hypothesis and coverage.py', () => {
    const bare = path.join(root, 'bare');
    venv(bare, 'python3.11', ['pytest', 'hypothesis']);
    const r = findPythonProofRunner(undefined, bare);
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('setup_python_tools') });
  });
});

describe('fastCheckLocation', () => {
  it("finds the app's fast-check ES module entry and pure-rand beside it", () => {
    const fc = fastCheckLocation();
    expect(fc?.entry).toMatch(/fast-check\/lib\/fast-check\.js$/);
    expect(fs.existsSync(fc!.entry)).toBe(true);
    expect(fc?.mounts.some((m) => m.endsWith('pure-rand'))).toBe(true);
  });
});
