// Speculative decoding per model: which mode a load uses, which registered model can draft for another, and the
// probe that measures plain vs input lookup vs draft model on an edit task on THIS machine. The rule is
// "on by default only where a measurement shows a win": 'auto' (the default) uses the probe's winner, and plain
// decoding when the model was never measured. On 2 CPU cores a draft model competes with the target for the same
// cores, so it often loses there while it wins on a GPU — hence a measurement, not a fixed default.
import { EvolveError } from '../../../common/errors';
import type { ChatMessage, LoadOptions } from '../../../common/inference/engine';
import type { RegistryEntry, SpeculationProbe } from '../../../common/inference/models';
import type { LocalInferenceClient } from '../chat/inference-client';

/** A mode must be this much faster than plain decoding to be chosen by 'auto' (noise on a shared machine). */
export const SPECULATION_WIN_MARGIN = 1.1;

type Mode = SpeculationProbe['winner'];

/**
 * A registered model that can draft for `target`: readable, same architecture and vocabulary size (the engine
 * re-checks the tokenizer on load), and at most half its parameters. The smallest such model drafts fastest.
 */
export function draftCandidate(target: RegistryEntry, entries: readonly RegistryEntry[]): RegistryEntry | undefined {
  const t = target.metadata;
  if (!t) return undefined;
  return entries
    .filter((e) => e.id !== target.id && !e.error && e.metadata)
    .filter((e) => e.metadata?.architecture === t.architecture && e.metadata.hasChatTemplate === t.hasChatTemplate)
    .filter((e) => (e.metadata?.parameterCount ?? Infinity) * 2 <= t.parameterCount)
    .sort((a, b) => (a.metadata?.parameterCount ?? 0) - (b.metadata?.parameterCount ?? 0))[0];
}

/** The decoding mode a load of `entry` uses: the explicit override, else the probe's winner, else plain. */
export function effectiveMode(entry: RegistryEntry): Mode {
  const chosen = entry.overrides?.speculation ?? 'auto';
  return chosen === 'auto' ? (entry.speculationProbe?.winner ?? 'off') : chosen;
}

/** Load options for the mode; a missing draft model fails an explicit 'draft' and quietly falls back under 'auto'. */
export function speculationLoadOptions(
  entry: RegistryEntry,
  lookup: (id: string) => RegistryEntry | undefined,
): Pick<LoadOptions, 'speculative' | 'draftPath' | 'draftModelId'> {
  const mode = effectiveMode(entry);
  if (mode === 'lookup') return { speculative: true };
  if (mode !== 'draft') return { speculative: false };
  const draftId = entry.overrides?.draftModelId ?? entry.speculationProbe?.draftModelId;
  const draft = draftId ? lookup(draftId) : undefined;
  if (draft && !draft.error) return { speculative: false, draftPath: draft.path, draftModelId: draft.id };
  if (entry.overrides?.speculation === 'draft')
    throw new EvolveError('UNAVAILABLE', `${entry.displayName}: the draft model ${draftId ?? '(none chosen)'} is not available`, {
      draftModelId: draftId,
    });
  return { speculative: false };
}

// An edit: the answer repeats most of the input, which is where speculation can pay off (what Continue's
// "edit" and Aider's whole-file format ask of the model).
/** The file the probe (and bench:inference) edits. */
export const PROBE_FILE = `def parse_config(path):
    with open(path) as f:
        data = f.read()
    result = {}
    for line in data.splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        key, _, value = line.partition('=')
        result[key.strip()] = value.strip()
    return result


def load_all(paths):
    config = {}
    for p in paths:
        config.update(parse_config(p))
    return config
`;
export const PROBE_MESSAGES: ChatMessage[] = [
  {
    role: 'user',
    content: `Here is a file:\n\`\`\`python\n${PROBE_FILE}\`\`\`\nRewrite the whole file with \`path\` renamed to \`file_path\`. Output only the code.`,
  },
];

export interface ProbeOptions {
  /** Tokens generated per mode (default 160: long enough that the first-token latency does not dominate). */
  maxTokens?: number;
  signal?: AbortSignal;
  onTrial?: (t: SpeculationProbe['trials'][number]) => void;
}

/**
 * Measures plain, input-lookup and (when a draft candidate is registered) draft-model decoding of `target`,
 * one after the other on a private copy loaded under a probe id, each unloaded before the next. Greedy sampling,
 * so every mode produces the same text and only the speed differs.
 */
export async function measureSpeculation(
  client: LocalInferenceClient,
  target: RegistryEntry,
  entries: readonly RegistryEntry[],
  opts: ProbeOptions = {},
  now: () => number = Date.now,
): Promise<SpeculationProbe> {
  if (target.error) throw new EvolveError('UNAVAILABLE', `${target.displayName} cannot be used: ${target.error.message}`);
  const draft = draftCandidate(target, entries);
  const modes: { mode: Mode; load: Pick<LoadOptions, 'speculative' | 'draftPath' | 'draftModelId'> }[] = [
    { mode: 'off', load: { speculative: false } },
    { mode: 'lookup', load: { speculative: true } },
    ...(draft ? [{ mode: 'draft' as const, load: { speculative: false, draftPath: draft.path, draftModelId: draft.id } }] : []),
  ];
  const trials: SpeculationProbe['trials'] = [];
  let draftSkipped = draft ? undefined : 'no smaller registered model with the same architecture';
  let plainTps = 0;
  for (const { mode, load } of modes) {
    opts.signal?.throwIfAborted();
    const modelId = `${target.id}#probe-${mode}`;
    try {
      await client.load(
        {
          path: target.path,
          modelId,
          contextSize: 2048,
          sequences: 1,
          completionSequences: 0,
          gpuLayers: target.overrides?.gpuLayers ?? 'auto',
          ...load,
        },
        opts.signal,
      );
    } catch (e) {
      if (mode !== 'draft') throw e;
      draftSkipped = `the draft model failed to load: ${e instanceof Error ? e.message : String(e)}`;
      continue;
    }
    try {
      const r = await client.generate(
        { modelId, threadId: 'probe', messages: PROBE_MESSAGES, sampling: { temperature: 0, maxTokens: opts.maxTokens ?? 160 } },
        opts.signal ? { signal: opts.signal } : {},
      );
      const tps = r.usage.generationTokensPerSecond;
      if (mode === 'off') plainTps = tps;
      const trial = {
        mode,
        generationTokensPerSecond: tps,
        completionTokens: r.usage.completionTokens,
        acceptedDraftTokens: r.usage.acceptedDraftTokens,
        ratio: plainTps > 0 ? tps / plainTps : 0,
      };
      trials.push(trial);
      opts.onTrial?.(trial);
    } finally {
      await client.unload(modelId).catch(() => false);
    }
  }
  const best = trials.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return {
    at: now(),
    trials,
    ...(draft && trials.some((t) => t.mode === 'draft') ? { draftModelId: draft.id } : {}),
    ...(draftSkipped ? { draftSkipped } : {}),
    winner: best.ratio >= SPECULATION_WIN_MARGIN ? best.mode : 'off',
  };
}
