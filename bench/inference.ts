// Benchmark: bare node-llama-cpp loop vs the app path (WorkerSupervisor + inference worker + streamed events), same
// model/prompts/run; prints prompt tok/s, generation tok/s, TTFT cold vs warm, and input-lookup speculative decoding.
// Run: npx tsx bench/inference.ts   (needs the default model: bash scripts/models/setup-default-model.sh)
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import type { ChatHistoryItem, LlamaChat, LlamaContext, LlamaModel, Token } from 'node-llama-cpp';
import type { ChatMessage } from '../common/inference/engine';
import { LocalInferenceClient } from '../main/services/chat/inference-client';
import { nodeSpawner } from '../main/supervisors/worker-process';
import { WorkerSupervisor } from '../main/supervisors/worker-supervisor';
import { nodeLlamaCpp } from '../native/inference/llama-module';
import { chooseChatWrapper, renderPromptTokens, toChatHistory } from '../native/inference/prompt';
import { defaultModelPath } from '../test/fixtures/models/default-model';

const MODEL = process.env.EVOLVE_BENCH_MODEL ?? defaultModelPath();
const RUNS = Number(process.env.EVOLVE_BENCH_RUNS ?? 3);
const MAX_TOKENS = 160;
const CONTEXT = 4096;

const CODE = `def parse_config(path):
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


def merge(a, b):
    out = dict(a)
    for k, v in b.items():
        out[k] = v
    return out


def load_all(paths):
    config = {}
    for p in paths:
        config = merge(config, parse_config(p))
    return config
`;
const SYSTEM = `You are a careful coding assistant working in the user's repository. Project context follows.\n\n${CODE}\n${CODE.replace(/config/g, 'settings')}`;
const TURN1: ChatMessage[] = [
  { role: 'system', content: SYSTEM },
  { role: 'user', content: `Here is a file:\n\`\`\`python\n${CODE}\`\`\`\nRewrite it with \`path\` renamed to \`file_path\`.` },
];
const turn2 = (answer: string): ChatMessage[] => [
  ...TURN1,
  { role: 'assistant', content: answer },
  { role: 'user', content: 'Now rename merge to combine.' },
];

interface Turn {
  ttftMs: number;
  evaluated: number;
  completion: number;
  genMs: number;
  text: string;
}
interface Sample {
  cold: Turn;
  warm: Turn;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const promptTps = (t: Turn) => (t.evaluated / t.ttftMs) * 1000;
const genTps = (t: Turn) => ((t.completion - 1) / t.genMs) * 1000;

async function bareTurn(chat: LlamaChat, model: LlamaModel, messages: ChatMessage[]): Promise<Turn> {
  const history: ChatHistoryItem[] = toChatHistory(messages);
  const toks = renderPromptTokens(chat.chatWrapper, model, history);
  const reused = chat.sequence.compareContextTokens(toks).firstDifferentIndex;
  const t0 = performance.now();
  let tFirst: number | undefined;
  let n = 0;
  const r = await chat.generateResponse(history, {
    maxTokens: MAX_TOKENS,
    temperature: 0,
    onToken: (t: Token[]) => {
      tFirst ??= performance.now();
      n += t.length;
    },
  });
  const tEnd = performance.now();
  return {
    ttftMs: (tFirst ?? tEnd) - t0,
    evaluated: toks.length - reused,
    completion: n,
    genMs: tEnd - (tFirst ?? tEnd),
    text: r.response,
  };
}

async function workerTurn(client: LocalInferenceClient, threadId: string, messages: ChatMessage[]): Promise<Turn> {
  const t0 = performance.now();
  let tFirst: number | undefined;
  const r = await client.generate(
    { modelId: 'bench', threadId, messages, sampling: { temperature: 0, maxTokens: MAX_TOKENS } },
    { onToken: () => (tFirst ??= performance.now()) },
  );
  const tEnd = performance.now();
  return {
    ttftMs: (tFirst ?? tEnd) - t0,
    evaluated: r.usage.evaluatedPromptTokens,
    completion: r.usage.completionTokens,
    genMs: tEnd - (tFirst ?? tEnd),
    text: r.text,
  };
}

async function main(): Promise<void> {
  if (!existsSync(MODEL)) {
    console.error(`bench: model missing at ${MODEL}; run: bash scripts/models/setup-default-model.sh`);
    process.exit(2);
  }
  const sup = new WorkerSupervisor({
    name: 'inference',
    spawn: nodeSpawner(resolve(__dirname, '../native/inference/worker.ts'), {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        EVOLVE_INFERENCE_CACHE: process.env.EVOLVE_INFERENCE_CACHE ?? join(os.homedir(), '.cache', 'evolve-studio', 'inference'),
      },
    }),
  });
  const client = new LocalInferenceClient(sup);
  await sup.start();
  const loaded = await client.load({ path: MODEL, modelId: 'bench', contextSize: CONTEXT, sequences: 2 });
  const info = await client.info();
  console.log(
    `backend=${info.backend} devices=[${info.gpuDevices.join(', ')}] cores=${info.cpuCores} threads=${loaded.threads} (probe: ${JSON.stringify(info.threadProbe?.results.map((r) => ({ t: r.threads, pp: Math.round(r.promptTps), tg: Math.round(r.genTps) })))}) gpuLayers=${loaded.gpuLayers}/${loaded.totalLayers}`,
  );

  const nlc = await nodeLlamaCpp();
  // Same options as the worker (engine.ts) so both paths load the same binary.
  const llama = await nlc.getLlama({ build: 'never', gpu: 'auto', logLevel: nlc.LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: MODEL, gpuLayers: loaded.gpuLayers });
  // sequences: 3 like the worker (2 chat + 1 reserved for generate-json) so the KV layout matches.
  const context: LlamaContext = await model.createContext({ contextSize: CONTEXT, sequences: 3, threads: loaded.threads });
  const wrapper = chooseChatWrapper(nlc, model, false).wrapper;

  const bare: Sample[] = [];
  const full: Sample[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order so neither path always runs on a warmer machine.
    const order = run % 2 === 0 ? (['bare', 'full'] as const) : (['full', 'bare'] as const);
    for (const which of order) {
      if (which === 'bare') {
        const chat = new nlc.LlamaChat({ contextSequence: context.getSequence(), chatWrapper: wrapper, autoDisposeSequence: true });
        const cold = await bareTurn(chat, model, TURN1);
        const warm = await bareTurn(chat, model, turn2(cold.text));
        chat.dispose();
        bare.push({ cold, warm });
      } else {
        const thread = `bench-${run}`;
        const cold = await workerTurn(client, thread, TURN1);
        const warm = await workerTurn(client, thread, turn2(cold.text));
        await client.resetThread('bench', thread);
        full.push({ cold, warm });
      }
    }
  }
  const same = bare.every((b, i) => b.cold.text === full[i]?.cold.text);
  const row = (name: string, s: Sample[]) => ({
    path: name,
    'prompt tok/s': median(s.map((x) => promptTps(x.cold))).toFixed(1),
    'gen tok/s': median(s.map((x) => genTps(x.cold))).toFixed(1),
    'TTFT cold ms': median(s.map((x) => x.cold.ttftMs)).toFixed(1),
    'TTFT warm ms': median(s.map((x) => x.warm.ttftMs)).toFixed(1),
    'prompt toks cold/warm': `${s[0]?.cold.evaluated}/${s[0]?.warm.evaluated}`,
    'completion toks': s[0]?.cold.completion,
  });
  console.log(`\n${RUNS} runs each, medians; ${MAX_TOKENS} max tokens, greedy; same output text: ${same}`);
  console.table([row('bare node-llama-cpp', bare), row('worker + supervisor + stream', full)]);
  const r = (f: (s: Sample) => number, a: Sample[], b: Sample[]) => median(a.map(f)) / median(b.map(f));
  const pr = r((s) => promptTps(s.cold), full, bare);
  const gr = r((s) => genTps(s.cold), full, bare);
  const warmCold = median(full.map((s) => s.warm.ttftMs)) / median(full.map((s) => s.cold.ttftMs));
  const warmColdBare = median(bare.map((s) => s.warm.ttftMs)) / median(bare.map((s) => s.cold.ttftMs));
  // Best-of-N too: on a shared machine other load only ever slows a run down, so the best run is the least noisy.
  const best = (f: (s: Sample) => number, a: Sample[], b: Sample[]) => Math.max(...a.map(f)) / Math.max(...b.map(f));
  console.log(
    `ratio prompt tok/s full÷bare = ${pr.toFixed(3)} median, ${best((s) => promptTps(s.cold), full, bare).toFixed(3)} best-of-${RUNS} (target ≥ 0.97)`,
  );
  console.log(
    `ratio gen tok/s    full÷bare = ${gr.toFixed(3)} median, ${best((s) => genTps(s.cold), full, bare).toFixed(3)} best-of-${RUNS} (target ≥ 0.97)`,
  );
  console.log(`ratio TTFT warm÷cold (full)  = ${warmCold.toFixed(3)} (target ≤ 0.2); bare: ${warmColdBare.toFixed(3)}`);

  // Input-lookup speculative decoding on the edit-style prompt (the output repeats the input).
  const spec: { on: number[]; off: number[]; accepted: number[] } = { on: [], off: [], accepted: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const on of run % 2 === 0 ? [false, true] : [true, false]) {
      const seq = context.getSequence(on ? { tokenPredictor: new nlc.InputLookupTokenPredictor() } : {});
      const chat = new nlc.LlamaChat({ contextSequence: seq, chatWrapper: wrapper, autoDisposeSequence: true });
      const before = seq.tokenPredictions.used;
      const t = await bareTurn(chat, model, TURN1.slice(1));
      (on ? spec.on : spec.off).push(genTps(t));
      if (on) spec.accepted.push(seq.tokenPredictions.used - before);
      chat.dispose();
    }
  }
  const specRatio = median(spec.on) / median(spec.off);
  console.log(
    `speculative (input lookup) gen tok/s: on ${median(spec.on).toFixed(1)} vs off ${median(spec.off).toFixed(1)} → ratio ${specRatio.toFixed(3)}; accepted draft tokens/run ${median(spec.accepted)} → ${specRatio > 1.05 ? 'WINS here: load edit-style sessions with speculative: true' : 'no win here: leave it off'}`,
  );

  await context.dispose();
  await model.dispose();
  await sup.stop();
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
