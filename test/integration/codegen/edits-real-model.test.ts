// Real answers of Qwen2.5-Coder 0.5B (the real inference worker) through extractCode, keepSignature and the
// SEARCH/REPLACE path: the extracted Python compiles and runs, the TypeScript parses, an edit answer either applies or
// yields a typed failure with feedback for the model — never a crash or a silently wrong file.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerateEventSchema, GenerateResultSchema, LoadedModelSchema } from '../../../common/inference/engine';
import { isEvolveError } from '../../../common/errors';
import { applyEditBlocks, extractCode, keepSignature, parseEditBlocks } from '../../../main/services/codegen/edits';
import type { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { CODER_0_5B } from '../../fixtures/models/coding-models';
import { startInferenceWorker } from '../inference/worker-harness';

const Q = 'q';

describe.skipIf(!CODER_0_5B.present)(
  `edits on real model answers${CODER_0_5B.present ? '' : ` (skipped: ${CODER_0_5B.skipReason})`}`,
  () => {
    let sup: WorkerSupervisor;
    let dir: string;

    type Message = { role: 'user' | 'assistant'; content: string };
    async function ask(content: string | Message[], maxTokens: number): Promise<string> {
      let text = '';
      const messages = typeof content === 'string' ? [{ role: 'user', content }] : content;
      const raw = await sup.request(
        'generate',
        { modelId: Q, threadId: `t-${Math.random()}`, messages, sampling: { temperature: 0, maxTokens } },
        {
          onEvent: (d) => {
            const e = GenerateEventSchema.parse(d);
            if (e.type === 'token') text += e.text;
          },
        },
      );
      GenerateResultSchema.parse(raw);
      return text;
    }

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'evolve-edits-real-'));
      sup = startInferenceWorker({ EVOLVE_INFERENCE_THREADS: '1' });
      await sup.start();
      LoadedModelSchema.parse(await sup.request('load', { path: CODER_0_5B.path, modelId: Q, contextSize: 2048, sequences: 1 }));
    }, 600_000);
    afterAll(async () => {
      await sup?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('Python: a signature + docstring prompt gives code that keeps the signature, compiles and runs', async () => {
      const prompt =
        'def count_vowels(text: str) -> int:\n    """Return how many of the letters a, e, i, o, u (any case) are in text."""\n';
      const answer = await ask(`Complete this Python function. Reply with the code only.\n\n${prompt}`, 160);
      const extracted = extractCode(answer, 'python');
      const kept = keepSignature(prompt, extracted.code, 'python');
      expect(['kept', 'restored', 'completed'], `answer was:\n${answer}`).toContain(kept.status);
      expect(kept.code).toContain('def count_vowels(text: str) -> int:');
      const file = join(dir, 'cv.py');
      await writeFile(file, `${kept.code}\nprint(type(count_vowels("Hello World")).__name__)\n`);
      expect(execFileSync('python3', [file], { encoding: 'utf8', timeout: 30_000 }).trim()).toBe('int');
    }, 600_000);

    it('TypeScript: the extracted code parses without syntax errors', async () => {
      const answer = await ask(
        'Write a TypeScript function `clamp(n: number, lo: number, hi: number): number`. Reply with the code only.',
        160,
      );
      const { code } = extractCode(answer, 'typescript');
      const sf = ts.createSourceFile('x.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
      const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
      expect(
        diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
        `code was:\n${code}`,
      ).toEqual([]);
      expect(code).toMatch(/clamp/);
    }, 600_000);

    it('Edit: a SEARCH/REPLACE answer applies or fails with feedback, and never writes a wrong match', async () => {
      const file = 'def greet(name):\n    return "Hello " + name\n';
      // Aider-style prompt: the format shown on an example, then the file and the task.
      const example =
        'Example: to make add() in calc.py subtract, answer:\n\ncalc.py\n```python\n<<<<<<< SEARCH\ndef add(a, b):\n    return a + b\n=======\n' +
        'def add(a, b):\n    return a - b\n>>>>>>> REPLACE\n```\n\n';
      const request =
        `Edit files with SEARCH/REPLACE blocks. The SEARCH part must copy the existing lines exactly.\n\n${example}` +
        `Now the real file, app.py:\n\`\`\`python\n${file}\`\`\`\n\nChange greet in app.py so it returns "Hi " + name instead. Answer with the SEARCH/REPLACE block only.`;
      const history: Message[] = [{ role: 'user', content: request }];
      let current = file;
      const log: string[] = [];
      // Up to two rounds: a failed or malformed block goes back to the model with the engine's feedback.
      for (let round = 0; round < 2; round++) {
        const answer = await ask(history, 160);
        history.push({ role: 'assistant', content: answer });
        let feedback: string | undefined;
        try {
          const blocks = parseEditBlocks(answer, { defaultPath: 'app.py' });
          const r = applyEditBlocks({ 'app.py': current }, blocks);
          for (const a of r.applied) {
            // Whatever was applied matched the file: its SEARCH lines (modulo indentation) were really there.
            const b = blocks[a.index]!;
            if (b.search.trim()) for (const l of b.search.split('\n').filter((x) => x.trim())) expect(current).toContain(l.trim());
          }
          if (r.failed.length) expect(r.feedback).toMatch(/failed to match/);
          feedback = r.feedback;
          current = r.files['app.py'] ?? current;
          log.push(`round ${round}: blocks=${blocks.length} applied=${r.applied.length} failed=${r.failed.map((f) => f.reason).join(',')}`);
        } catch (e) {
          expect(isEvolveError(e) && e.code, `answer was:\n${answer}`).toBe('INVALID_ARGUMENT');
          feedback = (e as Error).message;
          log.push(`round ${round}: malformed`);
        }
        if (!feedback) break;
        history.push({ role: 'user', content: feedback });
      }
      console.log(`[edits-real-model] ${log.join(' | ')} | final: ${JSON.stringify(current)}`);
      // The file is either unchanged or a real edit of greet (never a block applied somewhere else).
      expect(current === file || /def greet\(name\):/.test(current)).toBe(true);
    }, 600_000);
  },
);
