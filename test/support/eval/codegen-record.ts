// A codegen eval record of one easy Python problem that passed in all three modes, for summary tests; `extra`
// overrides or adds fields (usage, stops, retrieved…).
import type { AnswerGrade, ProblemRecord } from '../../../eval/codegen/run/results';

export const PASSED: AnswerGrade = { passed: true, passedTests: 1, totalTests: 1, failures: [] };

export function passingRecord(id: string, extra: Partial<ProblemRecord> = {}): ProblemRecord {
  return {
    id,
    lang: 'python',
    type: 'function',
    difficulty: 'easy',
    status: 'done',
    pipelineMs: 1000,
    singleShotMs: 500,
    answers: { singleShot: PASSED, repair: PASSED, selected: PASSED },
    candidates: [{ index: 0, score: 90, rounds: 1, hidden: PASSED }],
    gradeMs: 1,
    finishedAt: '2026-12-02T00:00:00.000Z',
    ...extra,
  };
}
