// Main-side API of the codegen store: generations, rounds, decisions, experience retrieval and the apply gate,
// all through the DB worker (the one writer; generation.* audit rows commit with their writes).
import type { StoreMethod, StoreParams, StoreResult } from '../../../common/store/requests';
import type { CodegenGeneration, CodegenGenerationDetail, ExperienceHit } from '../../../common/store/codegen-requests';
import { assertApplicable, type GateResult } from './gate';

/** The part of StoreClient this needs (a fake-free seam: tests pass the real client). */
export interface StoreCaller {
  call<M extends Exclude<StoreMethod, 'open'>>(method: M, params: StoreParams<M>): Promise<StoreResult<M>>;
}

export class CodegenStore {
  constructor(private readonly store: StoreCaller) {}

  create(p: StoreParams<'codegen.create'>): Promise<CodegenGeneration> {
    return this.store.call('codegen.create', p);
  }
  addRound(p: StoreParams<'codegen.addRound'>): Promise<StoreResult<'codegen.addRound'>> {
    return this.store.call('codegen.addRound', p);
  }
  finish(p: StoreParams<'codegen.finish'>): Promise<CodegenGeneration> {
    return this.store.call('codegen.finish', p);
  }
  get(generationId: string): Promise<CodegenGenerationDetail> {
    return this.store.call('codegen.get', { generationId });
  }
  list(projectId?: string | null, limit?: number): Promise<CodegenGeneration[]> {
    return this.store.call('codegen.list', { ...(projectId === undefined ? {} : { projectId }), ...(limit ? { limit } : {}) });
  }
  accept(generationId: string, reason = '', userEdits: string | null = null): Promise<CodegenGeneration> {
    return this.store.call('codegen.decide', { generationId, decision: 'accepted', reason, userEdits });
  }
  reject(generationId: string, reason: string): Promise<CodegenGeneration> {
    return this.store.call('codegen.decide', { generationId, decision: 'rejected', reason });
  }
  /** The user's edits after accepting, as a unified diff (what experience learning reads). */
  recordUserEdits(generationId: string, userEdits: string): Promise<CodegenGeneration> {
    return this.store.call('codegen.userEdits', { generationId, userEdits });
  }

  /** Past accepted examples and rejection reasons for requests like `text` in this project (null: no project). */
  async similarDecisions(projectId: string | null, text: string, k = 5): Promise<{ accepted: ExperienceHit[]; rejected: ExperienceHit[] }> {
    const hits = await this.store.call('codegen.similar', { projectId, text, k });
    return { accepted: hits.filter((h) => h.decision === 'accepted'), rejected: hits.filter((h) => h.decision === 'rejected') };
  }

  /** The gate on the stored generation (its stored findings, not a caller's copy); every apply path calls this. */
  async assertApplicable(generationId: string, opts: { override?: { reason: string } } = {}): Promise<GateResult> {
    const g = await this.get(generationId);
    return assertApplicable(g, { ...opts, audit: { record: (ev) => this.store.call('audit.append', ev) } });
  }
}
