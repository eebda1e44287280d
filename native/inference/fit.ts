// Estimates whether a GGUF fits this machine and picks GPU layers + context size (node-llama-cpp's GgufInsights),
// honouring manual overrides and explaining what to change when it does not fit.
import os from 'node:os';
import type { GgufInsights, Llama } from 'node-llama-cpp';
import type { FitEstimate } from '../../common/inference/models';

export interface FitRequest {
  gpuLayers: 'auto' | 'max' | number;
  contextSize: 'auto' | number;
  /** Cap for 'auto' context (KV memory grows linearly with it). */
  maxAutoContext: number;
}

export async function estimateFit(insights: GgufInsights, llama: Llama, req: FitRequest): Promise<FitEstimate> {
  const train = insights.trainContextSize ?? req.maxAutoContext;
  const targetContextSize = req.contextSize === 'auto' ? Math.min(req.maxAutoContext, train) : req.contextSize;
  const targetGpuLayers = req.gpuLayers === 'auto' ? undefined : req.gpuLayers;
  const resolver = insights.configurationResolver;
  let base: FitEstimate;
  const hopeless =
    req.contextSize === 'auto'
      ? undefined
      : closedFormHopeless(insights, req.contextSize, typeof req.gpuLayers === 'number' ? req.gpuLayers : 0);
  if (hopeless) {
    // The resolver searches for a fit and takes tens of seconds on absurd sizes; the closed form is instant.
    base = {
      gpuLayers: typeof req.gpuLayers === 'number' ? req.gpuLayers : 0,
      totalLayers: insights.totalLayers,
      contextSize: targetContextSize,
      ramBytes: hopeless.cpuRam,
      vramBytes: hopeless.gpuVram,
      fits: false,
    };
  } else {
    const scored = await resolver.resolveAndScoreConfig({ targetGpuLayers, targetContextSize }, resourceGetters(llama));
    const v = scored.resolvedValues;
    const fits = scored.compatibilityScore > 0 && (req.contextSize === 'auto' || v.contextSize >= req.contextSize);
    base = {
      gpuLayers: v.gpuLayers,
      totalLayers: insights.totalLayers,
      contextSize: v.contextSize,
      ramBytes: v.totalRamUsage,
      vramBytes: v.totalVramUsage,
      fits,
    };
  }
  const fits = base.fits;
  if (fits) return base;
  // What would fit with everything on auto: that is the concrete suggestion.
  const auto = await resolver.resolveAndScoreConfig({}, resourceGetters(llama)).catch(() => undefined);
  const parts: string[] = [];
  if (auto && auto.compatibilityScore > 0) {
    if (req.contextSize !== 'auto' && auto.resolvedValues.contextSize < req.contextSize)
      parts.push(`use a context size of ${auto.resolvedValues.contextSize} or less`);
    if (typeof req.gpuLayers === 'number' && auto.resolvedValues.gpuLayers < req.gpuLayers)
      parts.push(`offload at most ${auto.resolvedValues.gpuLayers} GPU layers`);
    if (req.gpuLayers === 'max' && auto.resolvedValues.gpuLayers < insights.totalLayers)
      parts.push(`offload ${auto.resolvedValues.gpuLayers} GPU layers instead of all`);
  }
  parts.push('or pick a smaller quantization or a smaller model');
  return { ...base, suggestion: `Does not fit in memory: ${parts.join(', ')}.` };
}

function closedFormHopeless(insights: GgufInsights, contextSize: number, gpuLayers: number) {
  const est = insights.estimateContextResourceRequirements({ contextSize, modelGpuLayers: gpuLayers });
  return est.cpuRam + insights.modelSize > os.totalmem() ? est : undefined;
}

function resourceGetters(llama: Llama) {
  return {
    getVramState: () => llama.getVramState(),
    llamaGpu: llama.gpu,
    llamaSupportsGpuOffloading: llama.supportsGpuOffloading,
  };
}
