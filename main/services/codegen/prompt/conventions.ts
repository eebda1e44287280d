// detectConventions(root): language versions, frameworks, test runner, lint/format tools, naming — from small config
// files and a sample of sources. Reads only; never runs anything of the project (no tool, no plugin, no script).
import path from 'node:path';
import type { Conventions } from './types';
import { listDir, rootedReader, type SmallFileReader } from './project-files';

const CONFIG_MAX_BYTES = 256 * 1024;
const SAMPLE_MAX_BYTES = 64 * 1024;
const SAMPLE_FILES = 24;
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.venv',
  'venv',
  'env',
  '__pycache__',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  'target',
  '.tox',
  '.mypy_cache',
  '.ruff_cache',
]);

/** Package names (Python distributions, npm packages) → the framework name shown in the prompt. */
const PY_FRAMEWORKS: Record<string, string> = {
  fastapi: 'FastAPI',
  flask: 'Flask',
  django: 'Django',
  sqlalchemy: 'SQLAlchemy',
  pydantic: 'Pydantic',
  'flask-sqlalchemy': 'SQLAlchemy',
  sqlmodel: 'SQLModel',
  starlette: 'Starlette',
};
const JS_FRAMEWORKS: Record<string, string> = {
  express: 'Express',
  react: 'React',
  next: 'Next.js',
  prisma: 'Prisma',
  '@prisma/client': 'Prisma',
  vue: 'Vue',
  svelte: 'Svelte',
  fastify: 'Fastify',
  '@nestjs/core': 'NestJS',
  'drizzle-orm': 'Drizzle',
  zod: 'zod',
};

/** tsconfig.json and package.json are JSON with comments and trailing commas in practice (JSONC). */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1')) as unknown;
  } catch {
    return null;
  }
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The lines of one TOML table (`[tool.ruff]` → its body up to the next table header). Enough for the keys read here. */
export function tomlTable(toml: string, name: string): string | null {
  const lines = toml.split(/\r?\n/);
  const head = lines.findIndex((l) => l.trim() === `[${name}]`);
  if (head < 0) return null;
  const body: string[] = [];
  for (const l of lines.slice(head + 1)) {
    if (/^\s*\[/.test(l)) break;
    body.push(l);
  }
  return body.join('\n');
}

function tomlString(table: string | null, key: string): string | null {
  if (!table) return null;
  const m = new RegExp(`^\\s*["']?${key.replace(/[-.]/g, '\\$&')}["']?\\s*=\\s*["']([^"'\\n]*)["']`, 'm').exec(table);
  return m ? m[1]! : null;
}

/** The string items of a TOML array starting at `open` (the `[`), up to its closing bracket outside quotes. */
function tomlArrayStrings(text: string, open: number): string[] {
  const out: string[] = [];
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === ']') break;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) break;
      out.push(text.slice(i + 1, end));
      i = end;
    }
  }
  return out;
}

const distName = (spec: string): string | null => {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
  return m ? m[1]!.toLowerCase().replace(/[_.]/g, '-') : null;
};

/**
 * Distribution names a Python project depends on, lowercased: PEP 621 `dependencies` and optional-dependencies /
 * dependency-groups arrays (`pep621`: their tables' text), Poetry dependency tables (keys) and requirements files.
 */
export function pythonRequirementNames(src: {
  arrays?: { table: string; keys?: string[] }[];
  poetry?: string[];
  requirements?: string[];
}): Set<string> {
  const names = new Set<string>();
  const add = (n: string | null): void => {
    if (n) names.add(n);
  };
  for (const { table, keys } of src.arrays ?? []) {
    for (const m of table.matchAll(/^\s*["']?([\w.-]+)["']?\s*=\s*\[/gm)) {
      if (keys && !keys.includes(m[1]!)) continue;
      for (const spec of tomlArrayStrings(table, m.index + m[0].length - 1)) add(distName(spec));
    }
  }
  for (const table of src.poetry ?? []) for (const m of table.matchAll(/^\s*([A-Za-z][\w.-]*)\s*=/gm)) add(distName(m[1]!));
  for (const text of src.requirements ?? []) {
    for (const line of text.split(/\r?\n/)) if (!/^\s*(?:#|-)/.test(line)) add(distName(line));
  }
  return names;
}

/** Function-name style of a sample: snake_case, camelCase, or mixed; null when nothing decides it. */
export function measureNaming(sources: readonly { file: string; text: string }[]): Conventions['naming'] {
  let snake = 0;
  let camel = 0;
  for (const { file, text } of sources) {
    const re = file.endsWith('.py')
      ? /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)/gm
      : /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)|\b(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>/g;
    for (const m of text.matchAll(re)) {
      const name = (m[1] ?? m[2] ?? '').replace(/^_+|_+$/g, '');
      if (/^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(name)) snake++;
      else if (/^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/.test(name)) camel++;
    }
  }
  const total = snake + camel;
  const functions = total === 0 ? null : snake / total >= 0.8 ? 'snake_case' : camel / total >= 0.8 ? 'camelCase' : 'mixed';
  return { functions, sampled: sources.length };
}

/** The indentation most indented lines start with: '\t', or n spaces (the smallest common step). */
export function measureIndent(texts: readonly string[]): string | null {
  const steps = new Map<string, number>();
  for (const text of texts) {
    for (const m of text.matchAll(/^(\t+|( +))\S/gm)) {
      const key = m[1]!.startsWith('\t') ? '\t' : m[1]!.length % 4 === 0 ? '    ' : m[1]!.length % 2 === 0 ? '  ' : null;
      if (key) steps.set(key, (steps.get(key) ?? 0) + 1);
    }
  }
  if (steps.size === 0) return null;
  // 2-space files also have lines indented by 4, 8...: prefer 2 when it has a fair share of its own.
  const four = steps.get('    ') ?? 0;
  const two = steps.get('  ') ?? 0;
  const tab = steps.get('\t') ?? 0;
  if (tab > two + four) return '\t';
  return two > 0 && two * 4 >= four ? '  ' : '    ';
}

async function sampleSources(root: string, read: SmallFileReader): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  const queue: { rel: string; depth: number }[] = [{ rel: '', depth: 0 }];
  while (queue.length && out.length < SAMPLE_FILES) {
    const { rel, depth } = queue.shift()!;
    for (const e of await listDir(root, rel)) {
      if (out.length >= SAMPLE_FILES) break;
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.dir) {
        if (depth < 4 && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) queue.push({ rel: child, depth: depth + 1 });
      } else if (/\.(py|ts|tsx|js|jsx|mjs)$/.test(e.name) && !/\.d\.ts$|\.min\.js$/.test(e.name)) {
        const text = await read(path.join(root, child), SAMPLE_MAX_BYTES);
        if (text) out.push({ file: child, text });
      }
    }
  }
  return out;
}

/**
 * The project's conventions. Missing or malformed config files give nulls, never an error: a project without any
 * config is a valid project. `sources` lists the config files that were found and read.
 */
export async function detectConventions(root: string, readFile?: SmallFileReader): Promise<Conventions> {
  const read = readFile ?? rootedReader(root);
  const sources: string[] = [];
  const load = async (rel: string): Promise<string | null> => {
    const text = await read(path.join(root, rel), CONFIG_MAX_BYTES);
    if (text !== null) sources.push(rel);
    return text;
  };
  const [
    pyproject,
    pyVersionFile,
    setupCfg,
    reqs,
    reqsDev,
    pytestIni,
    toxIni,
    ruffToml,
    dotRuffToml,
    flake8,
    pkgText,
    tsconfigText,
    nvmrc,
    nodeVersionFile,
    biome,
    biomeC,
  ] = await Promise.all(
    [
      'pyproject.toml',
      '.python-version',
      'setup.cfg',
      'requirements.txt',
      'requirements-dev.txt',
      'pytest.ini',
      'tox.ini',
      'ruff.toml',
      '.ruff.toml',
      '.flake8',
      'package.json',
      'tsconfig.json',
      '.nvmrc',
      '.node-version',
      'biome.json',
      'biome.jsonc',
    ].map(load),
  );
  const lint = new Set<string>();
  const format = new Set<string>();
  const frameworks = new Set<string>();

  // Python.
  const table = (name: string): string | null => (pyproject ? tomlTable(pyproject, name) : null);
  const project = table('project');
  const poetryDeps = table('tool.poetry.dependencies');
  const pythonVersion =
    pyVersionFile?.trim().split(/\s+/)[0] || tomlString(project, 'requires-python') || tomlString(poetryDeps, 'python') || null;
  const pyNames = pythonRequirementNames({
    // Only [project].dependencies there (keywords/classifiers arrays are not dependencies), every array of the others.
    arrays: [
      ...(project ? [{ table: project, keys: ['dependencies'] }] : []),
      ...[table('project.optional-dependencies'), table('dependency-groups')]
        .filter((t): t is string => t !== null)
        .map((t) => ({ table: t })),
    ],
    poetry: [poetryDeps, table('tool.poetry.group.dev.dependencies'), table('tool.poetry.dev-dependencies')].filter(
      (t): t is string => t !== null,
    ),
    requirements: [reqs, reqsDev].filter((t): t is string => t !== null),
  });
  for (const [dist, name] of Object.entries(PY_FRAMEWORKS)) if (pyNames.has(dist)) frameworks.add(name);
  const has = (name: string): boolean => table(name) !== null;
  if (ruffToml !== null || dotRuffToml !== null || has('tool.ruff') || pyNames.has('ruff')) {
    lint.add('ruff');
    if (has('tool.ruff.format') || /\[format\]/.test(ruffToml ?? dotRuffToml ?? '')) format.add('ruff');
  }
  if (has('tool.black') || pyNames.has('black')) format.add('black');
  if (flake8 !== null || /^\[flake8\]/m.test(setupCfg ?? '') || /^\[flake8\]/m.test(toxIni ?? '') || pyNames.has('flake8'))
    lint.add('flake8');
  if (has('tool.isort') || pyNames.has('isort')) format.add('isort');
  if (has('tool.mypy') || pyNames.has('mypy')) lint.add('mypy');
  const hasPyproject = pyproject !== null || reqs !== null || setupCfg !== null || pyVersionFile !== null;
  let pythonRunner: Conventions['testRunners']['python'] = null;
  if (
    pytestIni !== null ||
    has('tool.pytest.ini_options') ||
    /^\[tool:pytest\]/m.test(setupCfg ?? '') ||
    /^\[pytest\]/m.test(toxIni ?? '') ||
    pyNames.has('pytest')
  )
    pythonRunner = 'pytest';
  else if ((await read(path.join(root, 'conftest.py'), 1)) !== null) pythonRunner = 'pytest';
  else if (hasPyproject) pythonRunner = 'unittest';

  // JavaScript / TypeScript.
  const pkg = pkgText ? obj(parseJsonc(pkgText)) : null;
  const deps = pkg ? { ...obj(pkg.dependencies), ...obj(pkg.devDependencies), ...obj(pkg.peerDependencies) } : {};
  const depNames = new Set(Object.keys(deps));
  for (const [dep, name] of Object.entries(JS_FRAMEWORKS)) if (depNames.has(dep)) frameworks.add(name);
  const scripts = pkg
    ? Object.values(obj(pkg.scripts))
        .filter((s): s is string => typeof s === 'string')
        .join('\n')
    : '';
  let jsRunner: Conventions['testRunners']['javascript'] = null;
  if (depNames.has('vitest') || /\bvitest\b/.test(scripts)) jsRunner = 'vitest';
  else if (depNames.has('jest') || /\bjest\b/.test(scripts)) jsRunner = 'jest';
  else if (depNames.has('mocha') || /\bmocha\b/.test(scripts)) jsRunner = 'mocha';
  else if (/node\s+(?:--\S+\s+)*--test\b/.test(scripts)) jsRunner = 'node:test';
  const rootNames = new Set((await listDir(root, '')).map((e) => e.name));
  const anyRoot = (re: RegExp): boolean => [...rootNames].some((n) => re.test(n));
  if (depNames.has('eslint') || anyRoot(/^(?:eslint\.config\.[cm]?[jt]s|\.eslintrc(?:\.\w+)?)$/) || (pkg && 'eslintConfig' in pkg))
    lint.add('eslint');
  if (depNames.has('prettier') || anyRoot(/^(?:\.prettierrc(?:\.\w+)?|prettier\.config\.[cm]?js)$/) || (pkg && 'prettier' in pkg))
    format.add('prettier');
  if (depNames.has('@biomejs/biome') || biome !== null || biomeC !== null) {
    lint.add('biome');
    format.add('biome');
  }
  const tsconfig = tsconfigText ? obj(parseJsonc(tsconfigText)) : null;
  const strictValue = tsconfig ? obj(tsconfig.compilerOptions).strict : undefined;
  const typescript =
    tsconfig || depNames.has('typescript')
      ? { version: str(deps.typescript), strict: typeof strictValue === 'boolean' ? strictValue : null }
      : null;
  const moduleType: Conventions['moduleType'] = pkg ? (pkg.type === 'module' ? 'esm' : 'commonjs') : null;
  const nodeVersion = str(obj(pkg?.engines).node) ?? (nvmrc?.trim() || nodeVersionFile?.trim() || null);

  const sample = await sampleSources(root, read);
  return {
    pythonVersion,
    nodeVersion,
    typescript,
    moduleType,
    frameworks: [...frameworks],
    testRunners: { python: pythonRunner, javascript: jsRunner },
    lint: [...lint],
    format: [...format],
    naming: measureNaming(sample),
    indent: measureIndent(sample.map((s) => s.text)),
    sources,
  };
}

/** One compact paragraph for the prompt (only what was found; '' when nothing was). */
export function renderConventions(c: Conventions): string {
  const lines: string[] = [];
  if (c.pythonVersion) lines.push(`Python ${c.pythonVersion}`);
  if (c.typescript)
    lines.push(
      `TypeScript${c.typescript.version ? ` ${c.typescript.version}` : ''}${c.typescript.strict ? ' (strict mode: no implicit any, null checks)' : ''}`,
    );
  if (c.nodeVersion) lines.push(`Node ${c.nodeVersion}`);
  if (c.moduleType) lines.push(c.moduleType === 'esm' ? 'ES modules (import/export)' : 'CommonJS modules');
  if (c.frameworks.length) lines.push(`uses ${c.frameworks.join(', ')}`);
  const runners = [c.testRunners.python, c.testRunners.javascript].filter((r): r is NonNullable<typeof r> => r !== null);
  if (runners.length) lines.push(`tests: ${runners.join(', ')}`);
  if (c.lint.length) lines.push(`lint: ${c.lint.join(', ')}`);
  if (c.format.length) lines.push(`format: ${c.format.join(', ')}`);
  if (c.naming.functions) lines.push(`function names: ${c.naming.functions}`);
  if (c.indent) lines.push(`indent: ${c.indent === '\t' ? 'tabs' : `${c.indent.length} spaces`}`);
  return lines.length ? `- ${lines.join('\n- ')}` : '';
}
