// The app's default local model at run time: the installed catalog default (the coding model) or the labelled fallback
// that chooseDefaultModel picks, loaded on demand — what the router's "local-default" route runs on.
import { chooseDefaultModel, type DefaultModelChoice } from '../../../common/inference/model-choice';
import type { Catalog } from '../../../common/inference/models';
import type { LoadedModel } from '../../../common/inference/engine';
import type { ModelManager } from './model-manager';
import type { ModelRegistry } from './registry';

/** What this needs from LocalAi (structural, so tests pass the real registry and a small fake worker). */
export interface DefaultModelSources {
  registry(): Promise<ModelRegistry>;
  catalog(): Promise<Catalog>;
  manager(): Promise<Pick<ModelManager, 'load'>>;
  client: { listLoaded(): Promise<LoadedModel[]> };
}

export class DefaultLocalModel {
  constructor(private readonly src: DefaultModelSources) {}

  /** The model the default would be now, or undefined when no usable model is installed at all. */
  async choose(): Promise<DefaultModelChoice | undefined> {
    const [registry, catalog, loaded] = await Promise.all([this.src.registry(), this.src.catalog(), this.src.client.listLoaded()]);
    return chooseDefaultModel(
      registry.list(),
      catalog,
      loaded.map((l) => l.modelId),
    );
  }

  /** Loads the default (a no-op when it is already loaded) and returns its registry id; undefined when none is installed. */
  async ensureLoaded(signal?: AbortSignal): Promise<string | undefined> {
    const choice = await this.choose();
    if (!choice) return undefined;
    await (await this.src.manager()).load(choice.entry.id, signal ? { signal } : {});
    return choice.entry.id;
  }
}
