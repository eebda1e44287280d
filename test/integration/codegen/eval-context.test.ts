// eval:codegen --context on one problem through the real path: a tiny context folder indexed by the real stack
// (store, index and embedding workers, ProjectService), runGeneration with the real stages and the eval's context
// deps, real sandboxed grading. The model port answers with the problem's reference: a real model on the shared
// 2-core machine (an eval runs beside the tests) does not fit in a minute, and the figures are not what this checks —
// the wiring is: the prompt carries a retrieved chunk of the folder, the budget says so and the record keeps it, and
// the problem is checked exactly as without --context (same engine input, same files, checks, tests and grade).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateInput, GenerateResult } from '../../../common/codegen/engine';
import { loadProblems } from '../../../eval/codegen/load';
import { contextVectors, openEvalContext, type EvalContext } from '../../../eval/codegen/run/context-index';
import { contextEngineDeps } from '../../../eval/codegen/run/context-prompt';
import { createGrader } from '../../../eval/codegen/run/grade';
import { ResultsFileSchema, type RunSettings } from '../../../eval/codegen/run/results';
import { runEval } from '../../../eval/codegen/run/runner';
import { formatSummary } from '../../../eval/codegen/run/summary';
import { runGeneration, type EngineDeps, type EngineModel } from '../../../main/services/codegen/engine';
import { sandboxSupport } from '../../../main/services/codegen/sandbox';

const REPO = path.resolve(import.meta.dirname, '../../..');
const support = await sandboxSupport();
const TS = loadProblems().find((p) => p.id === 'ts-kebab-case')!;
const SETTINGS: RunSettings = { model: 'reference-answer', samples: 1, maxRounds: 0, seed: 1 };
const MARKER = 'CTX_MARKER_KEBAB_7731';

/** A context folder whose one TypeScript file is about the same thing as the problem (name cases), so BM25 finds it. */
function writeContext(root: string): void {
  const files: Record<string, string> = {
    'src/naming/case-convert.ts':
      `// Name-case helpers (${MARKER}): camelCase and PascalCase names to snake_case, the opposite of kebab-case.\n` +
      `export function toSnakeCase(name: string): string {\n` +
      `  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[\\s-]+/g, '_').toLowerCase();\n}\n`,
    'tools/ledger.py': 'def ledger_total(rows):\n    """Sum of the amounts."""\n    return sum(r.amount for r in rows)\n',
    'README.md': '# Context fixture\n\nA tiny project for the eval --context test.\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

/** The model port: the problem's reference as the answer, and every prompt kept. */
function referenceModel(prompts: string[]): EngineModel {
  return {
    id: 'reference-answer',
    contextTokens: 8192,
    countTokens: (t) => Math.ceil(t.length / 4),
    complete: (messages) => {
      prompts.push(messages.map((m) => m.content).join('\n'));
      const text = `\`\`\`typescript\n${TS.reference}\`\`\``;
      return Promise.resolve({ text, tokens: Math.ceil(text.length / 4) });
    },
  };
}

describe.skipIf(!support.available)('eval:codegen --context (real index, real engine stages, real grading)', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'evolve-eval-ctx-'));
  const ctxDir = path.join(tmp, 'context');
  const logs: string[] = [];
  let ctx: EvalContext;

  beforeAll(async () => {
    writeContext(ctxDir);
    ctx = await openEvalContext(ctxDir, (l) => logs.push(l));
  }, 180_000);
  afterAll(async () => {
    await ctx?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('indexes the folder once and says how many files and whether vectors are on', () => {
    expect(ctx.setting).toEqual({ dir: ctxDir, files: 3, vectors: contextVectors() });
    expect(logs.join('\n')).toMatch(/indexed 3 files, \d+ chunks/);
  });

  it('puts a retrieved chunk of the folder into the prompt and checks the problem exactly as without --context', async () => {
    const grader = createGrader({ repoRoot: REPO });
    const run = async (out: string, settings: RunSettings, extra: Partial<EngineDeps>) => {
      const prompts: string[] = [];
      const inputs: GenerateInput[] = [];
      const results: GenerateResult[] = [];
      const outcome = await runEval(
        { problems: [TS], out, resume: false, settings },
        {
          grader,
          log: () => undefined,
          generate: async (input, signal) => {
            inputs.push(input);
            const r = await runGeneration(
              input,
              { model: () => Promise.resolve(referenceModel(prompts)), ...extra },
              () => undefined,
              signal,
            );
            results.push(r);
            return r;
          },
        },
      );
      return { outcome, prompt: prompts[0]!, input: inputs[0]!, result: results[0]! };
    };
    const ctxOut = path.join(tmp, 'with.json');
    const withCtx = await run(ctxOut, { ...SETTINGS, context: ctx.setting }, contextEngineDeps(ctx));
    const plain = await run(path.join(tmp, 'without.json'), SETTINGS, {});

    // The prompt: the folder's chunk under the app's section title, only with --context.
    expect(withCtx.prompt).toContain('## Related code from the project (read-only)');
    expect(withCtx.prompt).toContain(MARKER);
    expect(withCtx.prompt).toContain('src/naming/case-convert.ts');
    expect(plain.prompt).not.toContain('Related code from the project');
    expect(plain.prompt).not.toContain(MARKER);

    // The budget split says so, and the record and the summary keep it.
    const retrievedPart = withCtx.result.budget.parts.find((p) => p.name === 'retrieved')!;
    expect(retrievedPart.tokens).toBeGreaterThan(0);
    expect(retrievedPart.items.some((i) => i.startsWith('src/naming/case-convert.ts:'))).toBe(true);
    const record = withCtx.outcome.results.problems[TS.id]!;
    expect(record.retrieved?.tokens).toBe(retrievedPart.tokens);
    expect(record.retrieved?.chunks).toBe(retrievedPart.items.length);
    expect(withCtx.outcome.summary.retrieved?.meanTokens).toBe(retrievedPart.tokens);
    expect(plain.outcome.results.problems[TS.id]!.retrieved).toBeUndefined();
    const label = `context: ${ctxDir} (3 files indexed, vectors ${ctx.setting.vectors ? 'on' : 'off'})`;
    expect(formatSummary(withCtx.outcome.summary, { ...SETTINGS, context: ctx.setting })).toContain(label);
    const saved = ResultsFileSchema.parse(JSON.parse(await readFile(ctxOut, 'utf8')));
    expect(saved.settings.context).toEqual(ctx.setting);

    // Checking: the same engine input (no project id), and the same files, checks, visible tests and hidden grade.
    expect(withCtx.input).toEqual(plain.input);
    expect(withCtx.input.projectId).toBeUndefined();
    const shot = (r: GenerateResult) => {
      const round = r.candidates[0]!.rounds[0]!;
      return {
        files: round.files,
        checks: round.checks.map((c) => ({ name: c.name, ok: c.ok, findings: c.findings })),
        tests: round.tests && { status: round.tests.status, runner: round.tests.runner, cases: round.tests.cases.length },
        error: round.error,
      };
    };
    expect(shot(withCtx.result)).toEqual(shot(plain.result));
    expect(shot(withCtx.result).tests?.status).toBe('passed');
    expect(withCtx.outcome.results.problems[TS.id]!.answers).toEqual(plain.outcome.results.problems[TS.id]!.answers);
    expect(withCtx.outcome.results.problems[TS.id]!.answers.singleShot.passed).toBe(true);

    // The file made with --context is not resumed without it.
    await expect(
      runEval(
        { problems: [TS], out: ctxOut, resume: true, settings: SETTINGS },
        { grader, log: () => undefined, generate: () => Promise.reject(new Error('not called')) },
      ),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/context .* → none/),
    });
  }, 240_000);
});
