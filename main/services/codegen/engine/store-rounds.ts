// The engine's view of the codegen store: create / addRound / finish, sized to the store's limits, and a no-op when
// the caller stores nothing (the eval), so the loop has one code path either way.
import type { Json } from '../../../../common/store/rows';
import { CODEGEN_LIMITS, type GenerationType } from '../../../../common/store/codegen-requests';
import type { Finding, Language, FileDiff } from '../../../../common/codegen/types';
import type { StoredRoundDetail } from '../../../../common/codegen/engine';
import type { CandidateRound, EngineDeps } from './types';

export interface EngineStore {
  create(p: { projectId: string | null; request: string; type: GenerationType; lang: Language; model: string }): Promise<string | null>;
  addRound(candidate: number, round: CandidateRound, promptTokens: number): Promise<void>;
  finish(p: {
    status: 'done' | 'failed' | 'cancelled';
    code?: string | null;
    diff?: FileDiff[];
    score?: number | null;
    breakdown?: { signal: string; measured: boolean; value: number; weight: number; points: number; detail: string }[] | null;
    findings?: Finding[];
    error?: string | null;
  }): Promise<void>;
}

const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const json = (v: unknown): Json => JSON.parse(JSON.stringify(v)) as Json;

function storedDetail(round: CandidateRound): StoredRoundDetail {
  const tests = round.tests ? (({ output: _stored, ...rest }) => rest)(round.tests) : null;
  return {
    checks: round.checks,
    tests,
    ...(round.error ? { error: round.error } : {}),
    ...(round.feedback ? { feedback: cap(round.feedback, 8000) } : {}),
    files: round.files.map((f) => f.path),
  };
}

export function storeAdapter(store: EngineDeps['store']): EngineStore {
  let id: string | null = null;
  return {
    async create(p) {
      if (!store) return null;
      id = (await store.create({ ...p, request: cap(p.request, CODEGEN_LIMITS.request) })).id;
      return id;
    },
    async addRound(candidate, round, promptTokens) {
      if (!store || !id) return;
      await store.addRound({
        generationId: id,
        candidate,
        round: round.round,
        code: cap(round.code, CODEGEN_LIMITS.code),
        // What the review shows of the round besides the code: the checks, the test cases, the error and the feedback.
        checks: json(storedDetail(round)),
        testOutput: cap(round.tests?.output ?? round.error ?? '', CODEGEN_LIMITS.testOutput),
        promptTokens: Math.max(0, Math.round(promptTokens)),
        completionTokens: round.tokens,
        ms: Math.round(round.ms),
      });
    },
    async finish(p) {
      if (!store || !id) return;
      await store.finish({
        generationId: id,
        status: p.status,
        code: p.code === undefined || p.code === null ? null : cap(p.code, CODEGEN_LIMITS.code),
        diff: p.diff ? p.diff.slice(0, CODEGEN_LIMITS.diffFiles) : null,
        score: p.score ?? null,
        breakdown: p.breakdown ?? null,
        findings: (p.findings ?? []).slice(0, CODEGEN_LIMITS.findings),
        error: p.error ? cap(p.error, 4000) : null,
      });
    },
  };
}
