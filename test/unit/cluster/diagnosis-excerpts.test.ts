// GPU-only failure classes (CUDA OOM, NCCL timeout, XID) classified on verbatim public log excerpts (no GPU here).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FailureClassSchema, FailureEvidenceSchema, type FailureClass } from '../../../common/cluster/diagnosis';
import { classifyFailure } from '../../../main/services/cluster/diagnosis/rules';
import { formatDiagnosisReport, type DiagnosisRow } from '../../support/cluster/diagnosis-report';

const DIR = path.resolve(__dirname, '../../fixtures/cluster/failure-logs');
const GPU_CLASSES: FailureClass[] = ['cuda-oom', 'nccl-timeout', 'gpu-xid'];

interface Excerpt {
  file: string;
  expected: FailureClass;
  source: string;
  lines: string[];
}

/** `<class>--<where>.txt` (not .log: git ignores those); the first line is `# source: <url> …`, the rest is the excerpt exactly as published. */
function loadExcerpts(): Excerpt[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((file) => {
      const [header = '', ...lines] = fs.readFileSync(path.join(DIR, file), 'utf8').replace(/\n$/, '').split('\n');
      return {
        file,
        expected: FailureClassSchema.parse(file.split('--')[0]),
        source: /^# source: (https:\/\/\S+)/.exec(header)?.[1] ?? '',
        lines,
      };
    });
}

const excerpts = loadExcerpts();
const evidence = (lines: string[]) => FailureEvidenceSchema.parse({ status: 'FAILED', logTail: lines });

describe('diagnosis on verbatim public GPU failure logs (excerpts, not reproduced here: no GPU)', () => {
  it('has at least two excerpts per GPU-only class, each with its public source URL', () => {
    for (const c of GPU_CLASSES) expect(excerpts.filter((e) => e.expected === c).length, c).toBeGreaterThanOrEqual(2);
    for (const e of excerpts) {
      expect(e.source, e.file).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/(issues|pull)\/\d+$/);
      expect(e.lines.length, e.file).toBeGreaterThan(0);
    }
  });

  it.each(excerpts.map((e) => [e.file, e.expected, e] as const))('%s → %s', (_file, expected, e) => {
    const d = classifyFailure(evidence(e.lines));
    expect(d.class).toBe(expected);
    // The deciding line is one of the excerpt's own lines, quoted with its index.
    const first = d.evidence.find((x) => x.line !== null);
    expect(first, JSON.stringify(d.evidence)).toBeDefined();
    expect(e.lines[first?.line ?? -1]).toContain(first?.text.slice(0, 40) ?? '\u0000');
  });

  it.each(excerpts.map((e) => [e.file, e.expected, e] as const))(
    '%s relayed from a second node (ray_launch\'s "[node 1] " prefix) → %s',
    (_f, expected, e) => {
      const d = classifyFailure(evidence(e.lines.map((l) => `[node 1] ${l}`)));
      expect(d.class).toBe(expected);
    },
  );

  it('prints the excerpt accuracy table', () => {
    const rows: DiagnosisRow[] = excerpts.map((e) => {
      const d = classifyFailure(evidence(e.lines));
      return { id: e.file.replace(/\.txt$/, ''), expected: e.expected, got: d.class, confidence: d.confidence, note: d.evidence[0]?.text };
    });
    const table = formatDiagnosisReport('GPU failure classes on verbatim public log excerpts', rows);
    console.log(table);
    expect(table).toContain(`accuracy ${rows.filter((r) => r.got === r.expected).length}/${rows.length}`);
  });
});
