// Benchmark of local inference, ratios measured side by side in one run with the default coding model:
// (1) the full app stack (WebSocket → host → dispatcher → chat service → inference worker) ÷ a bare node-llama-cpp
// loop, (2) second-turn TTFT ÷ cold, (3) speculative decoding (0.5B draft; input lookup) ÷ plain on an edit task,
// (4) FIM latency while "typing" in a ~1.5k-token file: KV reuse vs none, PSM vs SPM order. Prints RSS per model.
// Run: npm run bench:inference [-- --quick] [--only stack,speculative,fim]   (--quick: the 0.5B model, 1 run, short outputs; for CI, < 2 min)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { ChatHistoryItem, LlamaChat, LlamaContext, LlamaModel, Token, TokenPredictor } from 'node-llama-cpp';
import WebSocket from 'ws';
import type { ChatMessage } from '../common/inference/engine';
import { createClient } from '../common/transport/client';
import { WireClient, socketPipe, type WebSocketLike } from '../common/transport/wire-client';
import { startHost } from '../main/host/server';
import { createDispatcher } from '../main/ipc';
import { createAppServices } from '../main/services';
import { LocalInferenceClient } from '../main/services/chat/inference-client';
import { PROBE_FILE } from '../main/services/models/speculation';
import { nodeSpawner } from '../main/supervisors/worker-process';
import { WorkerSupervisor } from '../main/supervisors/worker-supervisor';
import { nodeLlamaCpp, type NodeLlamaCpp } from '../native/inference/llama-module';
import { chooseChatWrapper, renderPromptTokens, toChatHistory } from '../native/inference/prompt';
import { PassphraseKeychain } from '../native/keychain/passphrase-keychain';
import { CODER_0_5B, CODER_1_5B } from '../test/fixtures/models/coding-models';

const QUICK = process.argv.includes('--quick');
const TARGET = process.env.EVOLVE_BENCH_MODEL ?? (QUICK ? CODER_0_5B.path : CODER_1_5B.path);
const DRAFT = CODER_0_5B.path;
const RUNS = Number(process.env.EVOLVE_BENCH_RUNS ?? (QUICK ? 1 : 3));
const MAX_TOKENS = QUICK ? 48 : 160;
const FIM_STEPS = Number(process.env.EVOLVE_BENCH_FIM_STEPS ?? (QUICK ? 6 : 20));
/** `--only stack,speculative,fim`: run some sections (e.g. to re-measure one on a quiet machine). */
const ONLY = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? new Set((process.argv[i + 1] ?? '').split(',')) : null;
})();
const runs = (section: 'stack' | 'speculative' | 'fim') => !ONLY || ONLY.has(section);
const CACHE = process.env.EVOLVE_MODEL_CACHE ?? join(os.homedir(), '.cache', 'evolve-studio', 'models');

// The same file the app's speculation probe edits (main/services/models/speculation.ts).
const CODE = PROBE_FILE;
const SYSTEM = `You are a careful coding assistant working in the user's repository. Project context follows.\n\n${CODE}\n${CODE.replace(/config/g, 'settings')}`;
const EDIT = `Here is a file:\n\`\`\`python\n${CODE}\`\`\`\nRewrite the whole file with \`path\` renamed to \`file_path\`. Output only the code.`;
const TURN1: ChatMessage[] = [
  { role: 'system', content: SYSTEM },
  { role: 'user', content: EDIT },
];
const TURN2_TEXT = 'Now rename load_all to load_every.';

interface Turn {
  ttftMs: number;
  evaluated: number;
  completion: number;
  genMs: number;
  text: string;
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
const promptTps = (t: Turn) => (t.evaluated / t.ttftMs) * 1000;
const genTps = (t: Turn) => ((t.completion - 1) / t.genMs) * 1000;
const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;

async function bareTurn(chat: LlamaChat, model: LlamaModel, messages: ChatMessage[], maxTokens = MAX_TOKENS): Promise<Turn> {
  const history: ChatHistoryItem[] = toChatHistory(messages);
  const toks = renderPromptTokens(chat.chatWrapper, model, history);
  const reused = chat.sequence.compareContextTokens(toks).firstDifferentIndex;
  const t0 = performance.now();
  let tFirst: number | undefined;
  let n = 0;
  const r = await chat.generateResponse(history, {
    maxTokens,
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

/** The real app: services on a temp data dir reading the real model cache, the browser host, a WebSocket client. */
async function startApp() {
  const root = mkdtempSync(join(os.tmpdir(), 'evolve-bench-'));
  const services = createAppServices({
    mode: 'host',
    paths: { dataDir: join(root, 'data'), modelCacheDir: CACHE },
    log: () => {},
    doctorChecks: [],
    keychain: () => PassphraseKeychain.unlock(join(root, 'keychain.json'), 'bench-passphrase', { scryptN: 2 ** 12 }),
    scryptN: 2 ** 12,
    modelFolders: [],
  });
  await services.start();
  const host = await startHost({ dispatcher: createDispatcher(services), rendererDir: join(root, 'renderer') });
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  const api = createClient(new WireClient(socketPipe(ws as unknown as WebSocketLike)));
  let modelId: string | undefined;
  for (let i = 0; i < 100 && !modelId; i++) {
    const r = await api.models.list({});
    if (r.ok) modelId = r.value.models.find((m) => m.path === TARGET)?.id;
    if (!modelId) await new Promise((res) => setTimeout(res, 200));
  }
  if (!modelId) throw new Error(`the app's registry does not list ${TARGET}`);
  const id = modelId;
  return {
    api,
    modelId: id,
    async turn(threadId: string, text: string, systemPrompt?: string): Promise<Turn> {
      const t0 = performance.now();
      let tFirst: number | undefined;
      const run = api.chat.send(
        { threadId, modelId: id, action: 'send', text, systemPrompt, sampling: { temperature: 0, maxTokens: MAX_TOKENS } },
        (e) => {
          if (e.type === 'token') tFirst ??= performance.now();
        },
      );
      const r = await run.result;
      const tEnd = performance.now();
      if (!r.ok) throw new Error(`chat.send: ${r.error.message}`);
      const u = r.value.stats.usage;
      return {
        ttftMs: (tFirst ?? tEnd) - t0,
        evaluated: u.evaluatedPromptTokens,
        completion: u.completionTokens,
        genMs: tEnd - (tFirst ?? tEnd),
        text: r.value.message.content,
      };
    },
    async newThread(): Promise<string> {
      const r = await api.chat.createThread({ title: 'bench' });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.id;
    },
    async loaded() {
      const r = await api.models.list({});
      return r.ok ? r.value.loaded.find((m) => m.modelId === id) : undefined;
    },
    async stop() {
      ws.close();
      await host.close();
      await services.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function stackSection(nlc: NodeLlamaCpp): Promise<void> {
  const app = await startApp();
  // Warm-up turn: loads the model in the worker (JIT) so its load time is not counted as TTFT.
  await app.turn(await app.newThread(), 'Say hi.');
  const loaded = await app.loaded();
  if (!loaded) throw new Error('model not loaded after the warm-up turn');
  console.log(
    `app worker: ${loaded.modelId} ctx=${loaded.contextSize} threads=${loaded.threads} gpuLayers=${loaded.gpuLayers}/${loaded.totalLayers} wrapper=${loaded.chatWrapper}`,
  );

  const llama = await nlc.getLlama({ build: 'never', gpu: 'auto', logLevel: nlc.LlamaLogLevel.error });
  const rss0 = process.memoryUsage().rss;
  const model = await llama.loadModel({ modelPath: TARGET, gpuLayers: loaded.gpuLayers });
  // Same KV layout as the worker: chat sequences + 1 (generate-json) + 2 completion sequences.
  const context: LlamaContext = await model.createContext({
    contextSize: loaded.contextSize,
    sequences: loaded.sequences + 3,
    threads: loaded.threads,
  });
  const wrapper = chooseChatWrapper(nlc, model, true).wrapper;

  const bare: { cold: Turn; warm: Turn }[] = [];
  const full: { cold: Turn; warm: Turn }[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const which of run % 2 === 0 ? (['bare', 'full'] as const) : (['full', 'bare'] as const)) {
      if (which === 'bare') {
        const chat = new nlc.LlamaChat({ contextSequence: context.getSequence(), chatWrapper: wrapper, autoDisposeSequence: true });
        const cold = await bareTurn(chat, model, TURN1);
        const warm = await bareTurn(chat, model, [
          ...TURN1,
          { role: 'assistant', content: cold.text },
          { role: 'user', content: TURN2_TEXT },
        ]);
        chat.dispose();
        bare.push({ cold, warm });
      } else {
        const thread = await app.newThread();
        const cold = await app.turn(thread, EDIT, SYSTEM);
        const warm = await app.turn(thread, TURN2_TEXT, SYSTEM);
        full.push({ cold, warm });
      }
    }
  }
  console.log(
    `RSS of the bare ${TARGET.split('/').pop()} (weights touched + KV ${loaded.contextSize}×${loaded.sequences + 3}): ${mib(process.memoryUsage().rss - rss0)}`,
  );
  const same = bare.every((b, i) => b.cold.text === full[i]?.cold.text);
  const row = (name: string, s: typeof bare) => ({
    path: name,
    'prompt tok/s': median(s.map((x) => promptTps(x.cold))).toFixed(1),
    'gen tok/s': median(s.map((x) => genTps(x.cold))).toFixed(1),
    'TTFT cold ms': median(s.map((x) => x.cold.ttftMs)).toFixed(0),
    'TTFT warm ms': median(s.map((x) => x.warm.ttftMs)).toFixed(0),
    'prompt toks cold/warm': `${s[0]?.cold.evaluated}/${s[0]?.warm.evaluated}`,
    'completion toks': s[0]?.cold.completion,
  });
  console.log(`\n${RUNS} run(s) each, medians; ${MAX_TOKENS} max tokens, greedy; same output text: ${same}`);
  console.table([row('bare node-llama-cpp', bare), row('app: ws → host → dispatcher → worker', full)]);
  const ratio = (f: (t: Turn) => number) => median(full.map((s) => f(s.cold))) / median(bare.map((s) => f(s.cold)));
  const best = (f: (t: Turn) => number) => Math.max(...full.map((s) => f(s.cold))) / Math.max(...bare.map((s) => f(s.cold)));
  console.log(`ratio gen tok/s    app÷bare = ${ratio(genTps).toFixed(3)} median, ${best(genTps).toFixed(3)} best-of-${RUNS} (goal ≥ 0.97)`);
  console.log(
    `ratio prompt tok/s app÷bare = ${ratio(promptTps).toFixed(3)} median, ${best(promptTps).toFixed(3)} best-of-${RUNS} (goal ≥ 0.97)`,
  );
  const wc = (s: typeof bare) => median(s.map((x) => x.warm.ttftMs)) / median(s.map((x) => x.cold.ttftMs));
  console.log(`ratio TTFT second turn ÷ cold: app ${wc(full).toFixed(3)}, bare ${wc(bare).toFixed(3)} (goal ≤ 0.2)`);
  await context.dispose();
  await model.dispose();
  await app.stop();
}

async function speculativeSection(nlc: NodeLlamaCpp): Promise<void> {
  const llama = await nlc.getLlama({ build: 'never', gpu: 'auto', logLevel: nlc.LlamaLogLevel.error });
  const threads = Math.max(
    1,
    Math.min(os.availableParallelism(), Number(process.env.EVOLVE_INFERENCE_THREADS ?? os.availableParallelism())),
  );
  let rss = process.memoryUsage().rss;
  const model = await llama.loadModel({ modelPath: TARGET });
  const context = await model.createContext({ contextSize: 4096, sequences: 3, threads });
  const wrapper = chooseChatWrapper(nlc, model, true).wrapper;
  const useDraft = !QUICK && TARGET !== DRAFT && existsSync(DRAFT);
  let draftContext: LlamaContext | undefined;
  let draftModel: LlamaModel | undefined;
  if (useDraft) {
    draftModel = await llama.loadModel({ modelPath: DRAFT });
    // Two sequences: a disposed draft sequence is reclaimed asynchronously, so the next run may ask before it is free.
    draftContext = await draftModel.createContext({ contextSize: 4096, sequences: 2, threads });
  }
  let draftSeq: { dispose(): void } | undefined;
  const modes: { name: string; predictor: () => TokenPredictor | undefined }[] = [
    { name: 'plain', predictor: () => undefined },
    { name: 'input lookup', predictor: () => new nlc.InputLookupTokenPredictor() },
    ...(draftContext
      ? [
          {
            name: 'draft 0.5B',
            predictor: () => {
              const seq = draftContext.getSequence();
              draftSeq = seq;
              return new nlc.DraftSequenceTokenPredictor(seq, { minTokens: 0, maxTokens: 8, minConfidence: 0.6 });
            },
          },
        ]
      : []),
  ];
  const tps: Record<string, number[]> = {};
  const accepted: Record<string, number[]> = {};
  for (let run = 0; run < RUNS; run++) {
    for (const m of run % 2 === 0 ? modes : [...modes].reverse()) {
      const predictor = m.predictor();
      const seq = context.getSequence(predictor ? { tokenPredictor: predictor } : {});
      const chat = new nlc.LlamaChat({ contextSequence: seq, chatWrapper: wrapper, autoDisposeSequence: true });
      const before = seq.tokenPredictions.used;
      const t = await bareTurn(chat, model, [{ role: 'user', content: EDIT }], QUICK ? MAX_TOKENS : 256);
      (tps[m.name] ??= []).push(genTps(t));
      (accepted[m.name] ??= []).push(seq.tokenPredictions.used - before);
      chat.dispose();
      predictor?.dispose();
      // node-llama-cpp's predictor does not release its draft sequence: free it for the next run.
      draftSeq?.dispose();
      draftSeq = undefined;
    }
    rss = Math.max(rss, process.memoryUsage().rss);
  }
  const plain = median(tps.plain ?? []);
  for (const m of modes) {
    const r = median(tps[m.name] ?? []) / plain;
    console.log(
      `speculative ${m.name.padEnd(12)} gen tok/s ${median(tps[m.name] ?? []).toFixed(1)} → ÷ plain ${r.toFixed(3)} (goal ≥ 1.5); accepted draft tokens/run ${median(accepted[m.name] ?? [])}${m.name === 'plain' ? '' : r > 1.05 ? ' → WINS here' : ' → no win here: stays off'}`,
    );
  }
  console.log(`RSS target${useDraft ? ' + draft' : ''} (bench process, after generation): ${mib(rss)}`);
  await draftContext?.dispose();
  await draftModel?.dispose();
  await context.dispose();
  await model.dispose();
}

/** A ~1.5k-token TypeScript file; the cursor sits inside a function in the middle. */
function typingFile(): { before: string; after: string } {
  const fn = (i: number) =>
    `export function accumulate${i}(values: number[], factor = ${i}): number {\n  let total = 0;\n  for (const v of values) {\n    total += v * factor;\n  }\n  return total;\n}\n`;
  const fns = Array.from({ length: 36 }, (_, i) => fn(i));
  return {
    before: `${fns.slice(0, 24).join('\n')}\nexport function isPrime(n: number): boolean {\n  `,
    after: `\n}\n\n${fns.slice(24).join('\n')}`,
  };
}

async function fimSection(): Promise<void> {
  const sup = new WorkerSupervisor({
    name: 'inference',
    spawn: nodeSpawner(join(__dirname, '../native/inference/worker.ts'), {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        EVOLVE_INFERENCE_CACHE: process.env.EVOLVE_INFERENCE_CACHE ?? join(os.homedir(), '.cache', 'evolve-studio', 'inference'),
      },
    }),
  });
  const client = new LocalInferenceClient(sup);
  await sup.start();
  await client.load({ path: TARGET, modelId: 'fim', contextSize: 4096, sequences: 1, completionSequences: 2 });
  const { before, after } = typingFile();
  const typed = 'if (n < 2) return false;\n  for (let i = 2; i * i <= n; i++) {\n    if (n % i === 0) return false;\n  }\n  return true;';
  const modes = [
    { name: 'PSM, reuse (one sequence per file)', order: 'psm' as const, reuse: true },
    { name: 'PSM, no reuse (fresh sequence)', order: 'psm' as const, reuse: false },
    { name: 'SPM, reuse (suffix first)', order: 'spm' as const, reuse: true },
  ];
  const rows = [];
  let sample = '';
  for (const m of modes) {
    const ttft: number[] = [];
    const evaluated: number[] = [];
    let promptTokens = 0;
    for (let step = 0; step <= FIM_STEPS; step++) {
      // Each request adds 3 characters at the cursor, as an editor firing autocomplete while the user types.
      const prefix = before + typed.slice(0, step * 3);
      const r = await client.infill(
        {
          modelId: 'fim',
          // No reuse: a new key per request gets a fresh (empty) sequence, the least recently used one is evicted.
          sequenceKey: m.reuse ? `file-${m.order}` : `file-${m.order}-${step}`,
          prefix,
          suffix: after,
          path: 'src/math.ts',
          window: { order: m.order },
          sampling: { temperature: 0, maxTokens: 16 },
        },
        () => {},
      );
      if (step === 0) {
        if (m.order === 'psm' && m.reuse) sample = r.text;
        continue; // the first request of a file is cold in every mode
      }
      ttft.push(r.usage.timeToFirstTokenMs);
      evaluated.push(r.usage.evaluatedPromptTokens);
      promptTokens = r.usage.promptTokens;
    }
    rows.push({
      mode: m.name,
      'prompt toks': promptTokens,
      'evaluated p50': median(evaluated),
      'TTFT p50 ms': median(ttft).toFixed(0),
      'TTFT p95 ms': quantile(ttft, 0.95).toFixed(0),
    });
  }
  console.log(
    `\nFIM while typing: ${FIM_STEPS} requests, +3 chars each, capped window (prefix ≤ 1024, suffix ≤ 256 tokens); first PSM middle: ${JSON.stringify(sample.slice(0, 60))}`,
  );
  console.table(rows);
  console.log(
    '(goal: TTFT < 500 ms on 2 cores. In PSM the suffix follows the prefix, so every keystroke re-evaluates the suffix (≤ 256 tokens) plus the changed prefix tail; SPM keeps the suffix cached)',
  );
  await sup.stop();
}

async function main(): Promise<void> {
  for (const p of [TARGET, ...(QUICK ? [] : [DRAFT])])
    if (!existsSync(p)) {
      console.error(`bench: model missing at ${p}; run: bash scripts/models/setup-coding-model.sh`);
      process.exit(2);
    }
  console.log(
    `bench:inference${QUICK ? ' --quick' : ''}: target ${TARGET.split('/').pop()}, cores=${os.availableParallelism()}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const nlc = await nodeLlamaCpp();
  if (runs('stack')) await stackSection(nlc);
  if (runs('speculative')) await speculativeSection(nlc);
  if (runs('fim')) await fimSection();
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
