// Type-checks the TypeScript problems (reference, support files, hidden and example tests) under strict settings,
// so a reference that only runs after type erasure, or a hidden test that misuses the API, is caught.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { exampleTestSource } from '../prompt';
import { SOLUTION_FILE, type CodegenProblem } from '../schema';

/** One line per diagnostic, prefixed with the problem id; empty when everything type-checks. */
export function typecheckTypeScriptProblems(problems: CodegenProblem[], repoRoot: string): string[] {
  const root = mkdtempSync(path.join(tmpdir(), 'evolve-eval-tsc-'));
  try {
    const files: string[] = [];
    const owner = new Map<string, string>();
    for (const p of problems.filter((x) => x.lang === 'typescript')) {
      const dir = path.join(root, p.id);
      mkdirSync(dir);
      const sources: Record<string, string> = { ...p.files, [SOLUTION_FILE.typescript]: p.reference, 'hidden.test.ts': p.hiddenTests };
      if (p.examples.length > 0) sources['examples.test.ts'] = exampleTestSource(p);
      for (const [name, content] of Object.entries(sources)) {
        const file = path.join(dir, name);
        writeFileSync(file, content);
        files.push(file);
        owner.set(file, p.id);
      }
    }
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      esModuleInterop: true,
      isolatedModules: true,
      skipLibCheck: true,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return `(global): ${text}`;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const file = path.normalize(d.file.fileName);
      return `${owner.get(file) ?? file}: ${path.basename(file)}:${line + 1}: ${text}`;
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
