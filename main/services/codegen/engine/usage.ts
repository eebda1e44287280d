// Model calls and tokens per stage of one generation (tests / generate / repair): the cost figures that do not depend
// on how busy the machine is, returned with the result and summed by the eval.
import type { StageUsage } from '../../../../common/codegen/engine';
import type { EngineModel, UsageStage } from './types';

export type UsageByStage = Partial<Record<UsageStage, StageUsage>>;

/** The same model, counting every completion under its `stage` (untagged calls count as 'generate'). */
export function meteredModel(model: EngineModel, usage: UsageByStage): EngineModel {
  return {
    ...model,
    async complete(messages, opts) {
      const c = await model.complete(messages, opts);
      const u = (usage[opts.stage ?? 'generate'] ??= { calls: 0, completionTokens: 0, promptTokens: 0, evaluatedPromptTokens: 0 });
      u.calls++;
      u.completionTokens += c.tokens;
      u.promptTokens += c.promptTokens ?? 0;
      u.evaluatedPromptTokens += c.evaluatedPromptTokens ?? c.promptTokens ?? 0;
      return c;
    },
  };
}
