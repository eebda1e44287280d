// Scores diagnoses against expected failure classes: accuracy, per-class hits, confusion, and a printable table.
import { FailureClassSchema, type FailureClass } from '../../../common/cluster/diagnosis';

export interface DiagnosisRow {
  id: string;
  expected: FailureClass;
  /** The class the classifier named; null when the scenario did not reproduce (the job did not fail). */
  got: FailureClass | null;
  confidence?: number;
  /** A short note (the deciding evidence line, or why it was not reproduced). */
  note?: string;
  seconds?: number;
}

export interface DiagnosisScore {
  /** Rows whose failure was reproduced (the denominator of accuracy). */
  scored: number;
  hits: number;
  accuracy: number;
  notReproduced: string[];
  perClass: { class: FailureClass; n: number; hits: number }[];
  /** confusion[expected][got] = count, for reproduced rows. */
  confusion: Partial<Record<FailureClass, Partial<Record<FailureClass, number>>>>;
}

export function scoreDiagnoses(rows: DiagnosisRow[]): DiagnosisScore {
  const confusion: DiagnosisScore['confusion'] = {};
  const per = new Map<FailureClass, { n: number; hits: number }>();
  let hits = 0;
  let scored = 0;
  for (const r of rows) {
    if (r.got === null) continue;
    scored++;
    const hit = r.got === r.expected;
    if (hit) hits++;
    const c = per.get(r.expected) ?? { n: 0, hits: 0 };
    per.set(r.expected, { n: c.n + 1, hits: c.hits + (hit ? 1 : 0) });
    const row = (confusion[r.expected] ??= {});
    row[r.got] = (row[r.got] ?? 0) + 1;
  }
  const order = FailureClassSchema.options;
  return {
    scored,
    hits,
    accuracy: scored === 0 ? 0 : hits / scored,
    notReproduced: rows.filter((r) => r.got === null).map((r) => r.id),
    perClass: [...per.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([k, v]) => ({ class: k, ...v })),
    confusion,
  };
}

/** Ray colours some lines (`\x1b[33m(raylet)\x1b[0m`); a table is read as plain text. */
const ANSI_SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
export const stripAnsi = (s: string): string => s.replace(ANSI_SGR, '');
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The table the test and `npm run eval:diagnosis` print: one line per scenario, then per class, then confusion. */
export function formatDiagnosisReport(title: string, rows: DiagnosisRow[], score = scoreDiagnoses(rows)): string {
  const w = Math.max(8, ...rows.map((r) => r.id.length));
  const out = [title, ''];
  out.push(`${pad('scenario', w)}  ${pad('expected', 16)}  ${pad('got', 16)}  conf  secs  note`);
  for (const r of rows) {
    const mark = r.got === null ? 'NOT REPRODUCED' : r.got === r.expected ? 'ok' : 'MISS';
    out.push(
      `${pad(r.id, w)}  ${pad(r.expected, 16)}  ${pad(r.got ?? '-', 16)}  ${pad(r.confidence?.toFixed(2) ?? '-', 4)}  ${pad(
        r.seconds?.toFixed(0) ?? '-',
        4,
      )}  ${mark}${r.note ? ` · ${stripAnsi(r.note).slice(0, 110)}` : ''}`,
    );
  }
  out.push(
    '',
    `accuracy ${score.hits}/${score.scored} = ${(100 * score.accuracy).toFixed(1)}%` +
      (score.notReproduced.length ? ` (not reproduced: ${score.notReproduced.join(', ')})` : ''),
  );
  out.push('per class: ' + score.perClass.map((c) => `${c.class} ${c.hits}/${c.n}`).join(' · '));
  const misses = Object.entries(score.confusion).flatMap(([exp, row]) =>
    Object.entries(row ?? {})
      .filter(([got]) => got !== exp)
      .map(([got, n]) => `${exp} → ${got} ×${n}`),
  );
  out.push(`confusion (off-diagonal): ${misses.length ? misses.join(' · ') : 'none'}`);
  return out.join('\n');
}
