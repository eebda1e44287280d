// Unit: which registered model can draft for another, and which speculative mode a load uses (explicit choice,
// else the measured winner, else none; a missing draft fails only an explicit choice).
import { describe, expect, it } from 'vitest';
import type { RegistryEntry, SpeculationProbe } from '../../../common/inference/models';
import { draftCandidate, effectiveMode, speculationLoadOptions } from '../../../main/services/models/speculation';

function entry(id: string, params: number, over: Partial<RegistryEntry> = {}, arch = 'qwen2'): RegistryEntry {
  return {
    id,
    path: `/m/${id}.gguf`,
    displayName: id,
    source: 'cache',
    sizeBytes: params,
    mtimeMs: 0,
    addedAt: 0,
    metadata: {
      path: `/m/${id}.gguf`,
      sizeBytes: params,
      ggufVersion: 3,
      architecture: arch,
      parameterCount: params,
      quantization: 'Q4_K_M',
      layerCount: 24,
      tensorCount: 300,
      hasChatTemplate: true,
    },
    ...over,
  };
}

const probe = (winner: SpeculationProbe['winner'], draftModelId?: string): SpeculationProbe => ({
  at: 1,
  trials: [{ mode: 'off', generationTokensPerSecond: 10, completionTokens: 100, acceptedDraftTokens: 0, ratio: 1 }],
  winner,
  ...(draftModelId ? { draftModelId } : {}),
});

describe('draftCandidate', () => {
  const big = entry('coder-1.5b', 1_500_000_000);
  it('picks the smallest model of the same architecture with at most half the parameters', () => {
    const all = [big, entry('coder-0.5b', 500_000_000), entry('coder-0.3b', 300_000_000), entry('coder-1b', 1_000_000_000)];
    expect(draftCandidate(big, all)?.id).toBe('coder-0.3b');
  });
  it('skips other architectures, broken files, base models for a chat model, and itself', () => {
    const all = [
      big,
      entry('gemma', 270_000_000, {}, 'gemma3'),
      entry('broken', 400_000_000, { error: { code: 'CORRUPT', message: 'x' } }),
      {
        ...entry('base', 400_000_000),
        metadata: { ...(entry('base', 400_000_000).metadata as NonNullable<RegistryEntry['metadata']>), hasChatTemplate: false },
      },
    ];
    expect(draftCandidate(big, all)).toBeUndefined();
  });
});

describe('speculation mode of a load', () => {
  const draft = entry('coder-0.5b', 500_000_000);
  const lookup = (id: string) => (id === draft.id ? draft : undefined);
  it('is plain when never measured, and follows the measured winner under auto', () => {
    expect(effectiveMode(entry('a', 1))).toBe('off');
    expect(speculationLoadOptions(entry('a', 1, { speculationProbe: probe('lookup') }), lookup)).toEqual({ speculative: true });
    expect(speculationLoadOptions(entry('a', 1, { speculationProbe: probe('draft', draft.id) }), lookup)).toEqual({
      speculative: false,
      draftPath: draft.path,
      draftModelId: draft.id,
    });
  });
  it('lets an explicit choice override the measurement', () => {
    const e = entry('a', 1, { overrides: { speculation: 'off' }, speculationProbe: probe('lookup') });
    expect(speculationLoadOptions(e, lookup)).toEqual({ speculative: false });
    const d = entry('a', 1, { overrides: { speculation: 'draft', draftModelId: draft.id } });
    expect(speculationLoadOptions(d, lookup).draftPath).toBe(draft.path);
  });
  it('falls back to plain under auto when the measured draft is gone, but fails an explicit draft choice', () => {
    expect(speculationLoadOptions(entry('a', 1, { speculationProbe: probe('draft', 'gone') }), lookup)).toEqual({ speculative: false });
    const e = entry('a', 1, { overrides: { speculation: 'draft', draftModelId: 'gone' } });
    expect(() => speculationLoadOptions(e, lookup)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
  });
});
