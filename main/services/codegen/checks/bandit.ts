// Bandit on generated Python with our own config (written into the temp dir per run): no project `.bandit`,
// pyproject.toml or baseline is read, because only the generated files are in the directory it scans.
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CodeFile, Finding } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import type { PythonTools } from './python-tools';
import { toRel } from './python';
import { parseToolJson, runTool } from './run-tool';
import { banditSeverity } from './severity';
import { materialise } from './files';

/**
 * Our Bandit config: every plugin except B101 (assert_used — generated tests are made of asserts, and asserts are
 * not a security boundary in the code we generate). Kept as YAML text because that is Bandit's `-c` format.
 */
export const BANDIT_CONFIG = 'skips: ["B101"]\n';

const BanditOut = z.object({
  errors: z.array(z.object({ filename: z.string(), reason: z.string() })),
  results: z.array(
    z.object({
      filename: z.string(),
      test_id: z.string(),
      test_name: z.string(),
      issue_severity: z.string(),
      issue_confidence: z.string(),
      issue_text: z.string(),
      line_number: z.number(),
      col_offset: z.number().optional(),
    }),
  ),
});

export async function runBandit(
  files: CodeFile[],
  tools: PythonTools,
  run: { timeoutMs: number; signal?: AbortSignal },
): Promise<Finding[]> {
  const ws = await materialise(files);
  try {
    // The config lives outside the scanned tree's file list; its name cannot clash with a generated file's.
    const configDir = await fs.mkdtemp(path.join(ws.dir, '.evolve-bandit-'));
    const config = path.join(configDir, 'bandit.yaml');
    await fs.writeFile(config, BANDIT_CONFIG);
    const res = await runTool(tools.bandit, ['-q', '-f', 'json', '-c', config, '--', ...files.map((f) => f.path)], {
      cwd: ws.dir,
      ...run,
    });
    // Bandit: 0 = nothing found, 1 = findings; anything else is a failure to run.
    if (res.code > 1) throw new EvolveError('INTERNAL', `bandit failed (exit ${res.code}): ${res.stderr.slice(0, 400)}`);
    const out = BanditOut.parse(parseToolJson('bandit', res));
    const findings: Finding[] = out.results.map((r) => ({
      tool: 'bandit',
      ruleId: `${r.test_id}:${r.test_name}`,
      severity: banditSeverity(r.issue_severity, r.issue_confidence, r.test_id),
      file: toRel(ws.dir, r.filename),
      line: r.line_number,
      column: r.col_offset === undefined ? undefined : r.col_offset + 1,
      message: r.issue_text,
    }));
    // A file Bandit could not parse is reported, not dropped: the scan did not look at it.
    for (const e of out.errors) {
      findings.push({
        tool: 'bandit',
        ruleId: 'scan-error',
        severity: 'info',
        file: toRel(ws.dir, e.filename),
        line: 0,
        message: `Bandit could not scan this file: ${e.reason}`,
      });
    }
    return findings;
  } finally {
    await ws.dispose();
  }
}
