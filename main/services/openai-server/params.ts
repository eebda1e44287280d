// Parameter policy of the local server: what each request field does here (honoured, harmless no-op, or a 400), and
// the mapping of the honoured ones onto the engine's sampling settings. docs/local-server.md renders this table.
import type { SamplingSettings } from '../../../common/inference/engine';
import { EvolveError } from '../../../common/errors';

export type ParamPolicy = 'honoured' | 'no-op' | 'rejected';

export interface ParamRule {
  policy: ParamPolicy;
  /** What happens, in one line (shown in the docs and in 400 messages). */
  note: string;
  /** For 'no-op' rules with a condition: the value is only harmless when this holds; otherwise 400. */
  harmless?: (v: unknown) => boolean;
}

const isEmptyObject = (v: unknown) => v === null || v === undefined || (typeof v === 'object' && Object.keys(v).length === 0);
const falsy = (v: unknown) => v === null || v === undefined || v === false || v === 0;

/**
 * One table for the OpenAI and Ollama bodies (Ollama's `options.*` are listed with their prefix). Fields absent
 * from the table are ignored and named in the `x-evolve-ignored-params` response header, so nothing is dropped
 * silently; fields that would change the result in a way we cannot honour are 400s naming the parameter.
 */
export const PARAM_POLICY: Record<string, ParamRule> = {
  model: { policy: 'honoured', note: 'catalog id, file name or alias; loaded on first use (JIT)' },
  messages: { policy: 'honoured', note: 'system/developer/user/assistant (with tool_calls)/tool' },
  prompt: { policy: 'honoured', note: 'raw text, no chat template (a prompt in the model’s FIM format is served as FIM)' },
  suffix: { policy: 'honoured', note: 'fill-in-the-middle with the model’s own FIM tokens' },
  stream: { policy: 'honoured', note: 'server-sent events (OpenAI) or NDJSON (Ollama)' },
  stream_options: { policy: 'honoured', note: 'include_usage adds a final usage chunk' },
  max_tokens: { policy: 'honoured', note: 'completion length cap (≤ 32,768)' },
  max_completion_tokens: { policy: 'honoured', note: 'same as max_tokens; wins when both are given' },
  temperature: { policy: 'honoured', note: '0 is greedy' },
  top_p: { policy: 'honoured', note: 'nucleus sampling' },
  top_k: { policy: 'honoured', note: 'llama.cpp extension' },
  min_p: { policy: 'honoured', note: 'llama.cpp extension' },
  seed: { policy: 'honoured', note: 'reproducible sampling' },
  stop: { policy: 'honoured', note: 'up to 32 strings; the text before the stop is returned' },
  presence_penalty: { policy: 'honoured', note: 'mapped to the engine’s repeat penalty (see docs)' },
  frequency_penalty: { policy: 'honoured', note: 'mapped to the engine’s repeat penalty (see docs)' },
  repeat_penalty: { policy: 'honoured', note: 'llama.cpp repeat penalty' },
  tools: { policy: 'honoured', note: 'function calling (type "function")' },
  tool_choice: { policy: 'honoured', note: 'auto, none, required or a named function' },
  response_format: { policy: 'honoured', note: 'text, json_object, json_schema (grammar-constrained)' },
  user: { policy: 'honoured', note: 'keeps a separate KV cache per end user (and is otherwise opaque)' },
  // Harmless no-ops real clients send.
  n: { policy: 'no-op', note: 'only n = 1 (more choices would change the response shape)', harmless: (v) => v == null || v === 1 },
  parallel_tool_calls: { policy: 'no-op', note: 'accepted; the model may return one or several calls either way' },
  logit_bias: { policy: 'no-op', note: 'only empty ({}): biasing tokens is not supported', harmless: isEmptyObject },
  logprobs: { policy: 'no-op', note: 'only false/absent: log-probabilities are not returned', harmless: falsy },
  top_logprobs: { policy: 'no-op', note: 'only 0/absent: log-probabilities are not returned', harmless: falsy },
  echo: { policy: 'no-op', note: 'only false: echoing the prompt is not supported', harmless: falsy },
  best_of: { policy: 'no-op', note: 'only 1', harmless: (v) => v == null || v === 1 },
  metadata: { policy: 'no-op', note: 'stored nowhere' },
  store: { policy: 'no-op', note: 'only false: nothing is stored', harmless: falsy },
  service_tier: { policy: 'no-op', note: 'one tier: this computer' },
  prediction: { policy: 'no-op', note: 'predicted outputs are a speed hint only; ignored' },
  cache_prompt: { policy: 'no-op', note: 'llama.cpp flag; the KV cache is always reused' },
  keep_alive: { policy: 'no-op', note: 'Ollama; the idle unload timeout in Settings applies' },
  // Would change results in a way we cannot honour.
  functions: { policy: 'rejected', note: 'legacy function calling: use tools' },
  function_call: { policy: 'rejected', note: 'legacy function calling: use tool_choice' },
  modalities: { policy: 'rejected', note: 'text only' },
  audio: { policy: 'rejected', note: 'text only' },
  reasoning_effort: { policy: 'rejected', note: 'not a reasoning model' },
  web_search_options: { policy: 'rejected', note: 'no web search (offline)' },
  // Ollama
  'options.num_predict': { policy: 'honoured', note: 'completion length cap (-1 = server default)' },
  'options.temperature': { policy: 'honoured', note: '' },
  'options.top_p': { policy: 'honoured', note: '' },
  'options.top_k': { policy: 'honoured', note: '' },
  'options.min_p': { policy: 'honoured', note: '' },
  'options.seed': { policy: 'honoured', note: '' },
  'options.stop': { policy: 'honoured', note: '' },
  'options.repeat_penalty': { policy: 'honoured', note: '' },
  'options.presence_penalty': { policy: 'honoured', note: '' },
  'options.frequency_penalty': { policy: 'honoured', note: '' },
  'options.num_ctx': { policy: 'no-op', note: 'the loaded context size applies' },
  'options.num_thread': { policy: 'no-op', note: 'the measured thread count applies' },
  'options.num_gpu': { policy: 'no-op', note: 'GPU layers are chosen automatically' },
  'options.repeat_last_n': { policy: 'no-op', note: 'engine default window' },
  'options.num_keep': { policy: 'no-op', note: '' },
  format: { policy: 'honoured', note: 'Ollama: "json" or a JSON schema (grammar-constrained)' },
  system: { policy: 'honoured', note: 'Ollama /api/generate system prompt' },
  raw: { policy: 'honoured', note: 'Ollama /api/generate: true = no template (false with a system prompt uses the chat template)' },
  template: { policy: 'rejected', note: 'Ollama: the chat template comes from the GGUF' },
  images: { policy: 'rejected', note: 'text models only', harmless: (v) => v == null || (Array.isArray(v) && v.length === 0) },
  context: { policy: 'rejected', note: 'Ollama context arrays are deprecated; the KV cache is reused automatically' },
  think: { policy: 'no-op', note: 'only false: not a thinking model', harmless: falsy },
};

/** Top-level (and Ollama `options.*`) fields checked against the table; known body fields pass untouched. */
export function checkParams(body: Record<string, unknown>, known: readonly string[]): { ignored: string[] } {
  const ignored: string[] = [];
  const visit = (key: string, value: unknown) => {
    const rule = PARAM_POLICY[key];
    if (!rule) {
      if (!known.includes(key) && value !== undefined && value !== null) ignored.push(key);
      return;
    }
    if (rule.policy === 'rejected' && !(rule.harmless?.(value) ?? value == null))
      throw new EvolveError('INVALID_ARGUMENT', `Unsupported parameter '${key}': ${rule.note}`, { param: key });
    if (rule.policy === 'no-op' && rule.harmless && !rule.harmless(value))
      throw new EvolveError('INVALID_ARGUMENT', `Unsupported value for '${key}': ${rule.note}`, { param: key });
  };
  for (const [k, v] of Object.entries(body)) {
    if (k === 'options' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [ok, ov] of Object.entries(v as Record<string, unknown>)) visit(`options.${ok}`, ov);
    } else visit(k, v);
  }
  return { ignored };
}

/** Sampling fields in OpenAI spelling (Ollama's options are converted to these first). */
export interface SamplingInput {
  max_tokens?: number | null | undefined;
  max_completion_tokens?: number | null | undefined;
  temperature?: number | null | undefined;
  top_p?: number | null | undefined;
  top_k?: number | null | undefined;
  min_p?: number | null | undefined;
  seed?: number | null | undefined;
  presence_penalty?: number | null | undefined;
  frequency_penalty?: number | null | undefined;
  repeat_penalty?: number | null | undefined;
  stop?: string[] | undefined;
}

/** The engine takes at most 16 stop strings; the server checks all of them itself (see stop-matcher.ts). */
export const ENGINE_MAX_STOPS = 16;

/**
 * OpenAI sampling → engine sampling. The engine has one repeat penalty; OpenAI's presence/frequency penalties
 * (additive, −2…2) are mapped onto it as 1 + max(presence, frequency)/2 (clamped to 1…2): 0 means off in both.
 */
export function toSampling(b: SamplingInput, defaults: { temperature: number; maxTokens: number }): SamplingSettings {
  const maxTokens = b.max_completion_tokens ?? b.max_tokens ?? defaults.maxTokens;
  const additive = Math.max(b.presence_penalty ?? 0, b.frequency_penalty ?? 0);
  const repeat = b.repeat_penalty ?? (additive > 0 ? Math.min(2, 1 + additive / 2) : undefined);
  const stops = (b.stop ?? []).filter((s) => s.length > 0 && s.length <= 200).slice(0, ENGINE_MAX_STOPS);
  return {
    temperature: b.temperature ?? defaults.temperature,
    maxTokens: Math.min(maxTokens, 32_768),
    ...(b.top_p != null ? { topP: b.top_p } : {}),
    ...(b.top_k != null ? { topK: b.top_k } : {}),
    ...(b.min_p != null ? { minP: b.min_p } : {}),
    ...(b.seed != null ? { seed: b.seed } : {}),
    ...(repeat !== undefined && repeat !== 1 ? { repeatPenalty: repeat } : {}),
    ...(stops.length ? { stop: stops } : {}),
  };
}
