// Maps node-llama-cpp load failures to typed errors: CORRUPT for bad files, RESOURCE_EXHAUSTED with a
// concrete suggestion (context size that fits, fewer GPU layers, smaller quant) when memory runs out.
import type { GgufInsights } from 'node-llama-cpp';
import type { z } from 'zod';
import { EvolveError } from '../../common/errors';

export function parseParams<S extends z.ZodType>(schema: S, raw: unknown, method: string): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new EvolveError('INVALID_ARGUMENT', `Invalid ${method} request: ${issues}`, { issues: r.error.issues });
  }
  return r.data;
}

interface FailureContext {
  stage: 'model' | 'context';
  path: string;
  insights: GgufInsights;
  requested: { gpuLayers: unknown; contextSize: unknown };
  gpuLayers?: number;
}

function isMemoryError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  return (
    e.name === 'InsufficientMemoryError' ||
    e.constructor.name === 'InsufficientMemoryError' ||
    /too large for the available|out of memory|failed to allocate|insufficient memory/i.test(e.message)
  );
}

export async function loadFailure(e: unknown, ctx: FailureContext): Promise<EvolveError> {
  if (e instanceof EvolveError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (isMemoryError(e)) {
    const fit = await ctx.insights.configurationResolver
      .resolveAndScoreConfig({ targetGpuLayers: ctx.gpuLayers })
      .then((r) => r.resolvedValues)
      .catch(() => undefined);
    const parts: string[] = [];
    if (ctx.stage === 'context') {
      if (fit && fit.contextSize > 0) parts.push(`use a context size of ${fit.contextSize} or less (that is what fits now)`);
      else parts.push('use a smaller context size');
    }
    if ((ctx.gpuLayers ?? 0) > 0 || ctx.requested.gpuLayers === 'max' || typeof ctx.requested.gpuLayers === 'number')
      parts.push('offload fewer GPU layers');
    parts.push('or pick a smaller quantization (e.g. Q4_K_M instead of Q8_0) or a smaller model');
    const what = ctx.stage === 'context' ? `A context of ${String(ctx.requested.contextSize)} tokens` : 'The model';
    return new EvolveError('RESOURCE_EXHAUSTED', `${what} does not fit in the available memory: ${parts.join(', ')}.`, {
      stage: ctx.stage,
      cause: msg,
      suggestedContextSize: fit?.contextSize,
      suggestedGpuLayers: fit?.gpuLayers,
    });
  }
  if (ctx.stage === 'model') {
    // The header already parsed (inspectGguf ran first), so llama.cpp rejecting the file means its body is bad.
    return new EvolveError('CORRUPT', `Model file ${ctx.path} could not be loaded; it is corrupt or incomplete (${msg})`, {
      path: ctx.path,
      cause: msg,
    });
  }
  return new EvolveError('INTERNAL', `Could not create a context for ${ctx.path}: ${msg}`, { cause: msg });
}
