// Compile-only check for Go, Rust, Java and C++ (no linters or test runners for them here): the toolchain runs inside
// the sandbox on the generated files; null when the toolchain is not on PATH, so the result is labelled "unchecked".
import { execFile } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CheckResult, CodeFile, Finding, Language } from '../../../../common/codegen/types';
import { runInSandbox } from '../sandbox';
import type { SandboxResult } from '../sandbox';

const exec = promisify(execFile);

interface Toolchain {
  tool: string;
  version: string;
  argv: (files: string[]) => string[];
  /** Host folders the toolchain needs inside the sandbox (beyond /usr, /etc, /lib). */
  mounts: string[];
  extraFiles?: Record<string, string>;
  env?: Record<string, string>;
  /** Run in a folder below the sandbox's temp dir (go ignores a go.mod that sits in the system temp root). */
  subdir?: string;
}

/** Finds an executable on PATH (no shell). */
export function onPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const p = path.join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

const EXT: Partial<Record<Language, RegExp>> = {
  go: /\.go$/,
  rust: /\.rs$/,
  java: /\.java$/,
  cpp: /\.(?:cc|cpp|cxx|hpp|hh|h)$/,
};

async function version(bin: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await exec(bin, args, { timeout: 15_000 });
  return (stdout || stderr).trim().split('\n')[0] ?? 'unknown';
}

/** The install prefix of a binary (…/go for …/go/bin/go), mounted read-only when it lies outside /usr. */
function prefixOf(bin: string): string[] {
  const real = realpathSync(bin);
  const prefix = path.dirname(path.dirname(real));
  return prefix.startsWith('/usr/') || prefix === '/usr' ? [] : [prefix];
}

async function toolchainFor(lang: Language): Promise<Toolchain | null> {
  switch (lang) {
    case 'go': {
      // Syntax only: go vet/build type-checks against the standard library's export data, which the sandbox (a fresh
      // HOME, so a cold GOCACHE every run) rebuilds from source — about 2 minutes on 2 cores, too slow for a round.
      const gofmt = onPath('gofmt');
      if (!gofmt) return null;
      const go = onPath('go');
      return {
        tool: 'gofmt -e',
        version: go ? (await version(go, ['version'])).replace(/^go version /, '') : 'unknown',
        argv: (files) => [realpathSync(gofmt), '-e', '-l', ...files],
        mounts: prefixOf(gofmt),
      };
    }
    case 'rust': {
      const rustc = onPath('rustc');
      if (!rustc) return null;
      // rustup's shim needs RUSTUP_HOME; the real compiler in the sysroot does not.
      const sysroot = (await exec(rustc, ['--print', 'sysroot'], { timeout: 15_000 })).stdout.trim();
      const bin = path.join(sysroot, 'bin', 'rustc');
      return {
        tool: 'rustc',
        version: (await version(bin, ['--version'])).replace(/^rustc /, ''),
        argv: (files) => [bin, '--edition', '2021', '--crate-type', 'lib', '--emit=metadata', '-o', 'out.rmeta', files[0]!],
        mounts: sysroot.startsWith('/usr/') ? [] : [sysroot],
      };
    }
    case 'java': {
      const javac = onPath('javac');
      if (!javac) return null;
      return {
        tool: 'javac',
        version: (await version(javac, ['-version'])).replace(/^javac /, ''),
        argv: (files) => [realpathSync(javac), '-d', 'classes', ...files],
        mounts: prefixOf(javac),
      };
    }
    case 'cpp': {
      const gpp = onPath('g++');
      if (!gpp) return null;
      return {
        tool: 'g++',
        version: (await version(gpp, ['--version'])).replace(/^g\+\+ (\(.*?\) )?/, ''),
        argv: (files) => [gpp, '-fsyntax-only', '-std=c++17', '-Wall', ...files.filter((f) => !/\.(?:h|hh|hpp)$/.test(f))],
        mounts: [],
      };
    }
    default:
      return null;
  }
}

// file:line:col: error: message (gcc, go vet), File.java:3: error: message (javac), and rustc's "error…" + "--> file:l:c".
const LINE_ERR = /^(?:vet: )?(?:\.\/)?([^\s:][^:]*):(\d+)(?::(\d+))?:\s*(?:(fatal error|error|warning):\s*)?(.*)$/;

export function parseCompilerOutput(tool: string, output: string, known: Set<string>): Finding[] {
  const out: Finding[] = [];
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const rust = /^(error|warning)(?:\[(\w+)\])?: (.*)$/.exec(l);
    if (rust) {
      const loc = /-->\s*([^:]+):(\d+):(\d+)/.exec(lines[i + 1] ?? '');
      if (rust[3]!.startsWith('aborting due to') || /^\d+ warnings? emitted/.test(rust[3]!)) continue;
      out.push({
        tool,
        ruleId: rust[1] === 'error' ? 'compile-error' : (rust[2] ?? 'warning'),
        severity: rust[1] === 'error' ? 'high' : 'low',
        file: loc?.[1] ?? '',
        line: Number(loc?.[2] ?? 0),
        ...(loc ? { column: Number(loc[3]) } : {}),
        message: rust[3]!,
      });
      continue;
    }
    const m = LINE_ERR.exec(l);
    if (!m || !known.has(m[1]!)) continue;
    const isWarning = m[4] === 'warning';
    out.push({
      tool,
      ruleId: isWarning ? 'warning' : 'compile-error',
      // go vet reports problems without an "error:" word: they fail the build check all the same.
      severity: isWarning ? 'low' : 'high',
      file: m[1]!,
      line: Number(m[2]),
      ...(m[3] ? { column: Number(m[3]) } : {}),
      message: m[5]!.trim(),
    });
  }
  return out;
}

/**
 * Runs the language's compiler on the files in the sandbox. Findings with ruleId 'compile-error' are high (they
 * decide `compiles` in the score). null: no toolchain on PATH (or the language is fully checked elsewhere).
 */
export async function compileCheck(files: CodeFile[], lang: Language, signal?: AbortSignal): Promise<CheckResult | null> {
  const started = performance.now();
  const ext = EXT[lang];
  if (!ext) return null;
  const tc = await toolchainFor(lang);
  if (!tc) return null;
  const sources = files.filter((f) => ext.test(f.path)).map((f) => f.path);
  if (sources.length === 0) return { ok: true, findings: [], tools: [{ name: tc.tool, version: tc.version }], durationMs: 0 };
  const under = (p: string) => (tc.subdir ? `${tc.subdir}/${p}` : p);
  const all = { ...tc.extraFiles, ...Object.fromEntries(files.map((f) => [f.path, f.content])) };
  const res: SandboxResult = await runInSandbox({
    files: Object.fromEntries(Object.entries(all).map(([p, c]) => [under(p), c])),
    argv: tc.argv(sources),
    ...(tc.subdir ? { cwd: tc.subdir } : {}),
    readOnlyPaths: tc.mounts,
    env: tc.env ?? {},
    limits: { wallMs: 60_000, cpuSeconds: 60 },
    ...(signal ? { signal } : {}),
  });
  const text = `${res.stderr.text}\n${res.stdout.text}`;
  const findings = parseCompilerOutput(tc.tool, text, new Set(sources));
  if (res.exitCode !== 0 && !findings.some((f) => f.severity === 'high')) {
    findings.push({
      tool: tc.tool,
      ruleId: 'compile-error',
      severity: 'high',
      file: sources[0]!,
      line: 0,
      message: (res.killedBy ? `killed (${res.killedBy}) ` : '') + text.trim().slice(0, 500),
    });
  }
  return {
    ok: !findings.some((f) => f.severity === 'high'),
    findings,
    tools: [{ name: tc.tool, version: tc.version }],
    durationMs: performance.now() - started,
  };
}
