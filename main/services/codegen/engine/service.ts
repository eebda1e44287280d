// The codegen feature as the app builds it: runGeneration bound to the app's models (local or routed), projects
// (root, retrieval), the encrypted store (rounds, decisions, experience) and the work scheduler (interactive work).
import type { GenerateInput, GenerateResult } from '../../../../common/codegen/engine';
import type { CodegenGeneration, CodegenGenerationDetail } from '../../../../common/store/codegen-requests';
import type { Retrieval } from '../../../../common/contracts/projects';
import { CodegenStore, type StoreCaller } from '../codegen-store';
import { localModel, routedModel, ROUTE_PREFIX, type LocalModelSources } from './models';
import { assertTrusted } from '../../workspace/trust';
import type { EngineDeps, Emit, Stages } from './types';
import type { AppProviders } from '../../providers/app-providers';
import { lazyLoad } from '../../../../common/base/lazy-load';

/** The engine and its checkers (typescript, eslint, secretlint: over a second to require) load on the first generation, not at startup. */
export const loadEngine = lazyLoad(() => import('./run-generation'));

export interface CodegenServiceOptions {
  store: StoreCaller & { assertReady(): void };
  local: LocalModelSources;
  providers: Pick<AppProviders, 'send'>;
  projects: {
    get(projectId: string): Promise<{ id: string; rootPath: string }>;
    retrieve(projectId: string, query: string, tokenBudget: number): Promise<Retrieval>;
  };
  /** Generations are interactive work: background indexing and embeddings wait while they run. */
  interactive?: <T>(label: string, fn: () => Promise<T>) => Promise<T>;
  /** Stage replacements (tests only). */
  stages?: Partial<Stages>;
}

export class CodegenService {
  readonly store: CodegenStore;
  private readonly caller: StoreCaller;

  constructor(private readonly o: CodegenServiceOptions) {
    // Every store call checks the store is unlocked first (a locked store is UNAVAILABLE, not a hang).
    this.caller = {
      call: (method, params) => {
        o.store.assertReady();
        return o.store.call(method, params);
      },
    };
    this.store = new CodegenStore(this.caller);
  }

  async generate(input: GenerateInput, emit: Emit, signal?: AbortSignal): Promise<GenerateResult> {
    // Workspace trust: nothing of a project (its tests, conftest.py, node_modules) runs until the user trusts it.
    if (input.projectId) {
      await this.o.projects.get(input.projectId); // an unknown project is NOT_FOUND, not "untrusted"
      await assertTrusted(this.caller, input.projectId);
    }
    const run = async () => (await loadEngine()).runGeneration(input, this.deps(input.projectId ?? null), emit, signal);
    return this.o.interactive ? this.o.interactive('generate', run) : run();
  }

  private deps(projectId: string | null): EngineDeps {
    return {
      model: async (modelId, signal) =>
        modelId?.startsWith(ROUTE_PREFIX) ? routedModel(this.o.providers, modelId, projectId) : localModel(this.o.local, modelId, signal),
      store: this.store,
      project: async (id) => {
        const p = await this.o.projects.get(id);
        return { id: p.id, root: p.rootPath };
      },
      retrieve: (id, query, budget) => this.o.projects.retrieve(id, query, budget),
      experience: (id, text) => this.store.similarDecisions(id, text.slice(0, 10_000)),
      audit: (ev) => this.caller.call('audit.append', ev),
      ...(this.o.stages ? { stages: this.o.stages } : {}),
    };
  }

  list(projectId?: string | null, limit?: number): Promise<CodegenGeneration[]> {
    return this.store.list(projectId, limit);
  }
  get(generationId: string): Promise<CodegenGenerationDetail> {
    return this.store.get(generationId);
  }
  accept(generationId: string, reason?: string): Promise<CodegenGeneration> {
    return this.store.accept(generationId, reason ?? '');
  }
  reject(generationId: string, reason: string): Promise<CodegenGeneration> {
    return this.store.reject(generationId, reason);
  }
}
