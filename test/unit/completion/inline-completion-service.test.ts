// InlineCompletionService: cache, cancel-on-newer (the signal reaches the engine), interactive priority, FIM and model
// errors. The engine here is a scripted stand-in so the races are deterministic; the real model runs in
// test/integration/completion/inline-completion.test.ts.
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import type { GenerateResult, InfillParams } from '../../../common/inference/engine';
import { INLINE_PREFIX_CHARS } from '../../../common/completion/inline-context';
import { InlineCompletionService, type FimEngine } from '../../../main/services/completion/inline-completion-service';
import { WorkScheduler } from '../../../main/platform/work-scheduler';

const result = (text: string, stopReason: GenerateResult['stopReason'] = 'eos'): GenerateResult => ({
  text,
  stopReason,
  usage: {
    promptTokens: 10,
    evaluatedPromptTokens: 10,
    completionTokens: 3,
    timeToFirstTokenMs: 1,
    promptTokensPerSecond: 1,
    generationTokensPerSecond: 1,
    totalMs: 2,
    acceptedDraftTokens: 0,
  },
});

interface Call {
  params: InfillParams;
  signal: AbortSignal | undefined;
  finish(text: string): void;
}

/** An engine whose infill calls wait until the test finishes them; an abort resolves them as cancelled (as the worker does). */
function scriptedEngine(opts: { fim?: boolean; notLoadedOnce?: boolean } = {}) {
  const calls: Call[] = [];
  let notLoaded = opts.notLoadedOnce ?? false;
  const engine: FimEngine = {
    infill: (params, _onEvent, signal) =>
      new Promise<GenerateResult>((resolve, reject) => {
        if (notLoaded) {
          notLoaded = false;
          reject(new EvolveError('NOT_FOUND', `Model ${params.modelId} is not loaded`));
          return;
        }
        calls.push({ params, signal, finish: (text) => resolve(result(text)) });
        signal?.addEventListener('abort', () => resolve(result('', 'cancelled')), { once: true });
      }),
    fimSupport: async () => ({ supported: opts.fim ?? true, tokens: {} }),
  };
  return { engine, calls };
}

function service(engine: FimEngine, o: { model?: string | undefined; work?: WorkScheduler; loads?: { n: number } } = {}) {
  const work = o.work ?? new WorkScheduler();
  return new InlineCompletionService({
    engine,
    defaultModel: {
      ensureLoaded: async () => {
        if (o.loads) o.loads.n++;
        return 'model' in o ? o.model : 'qwen2.5-coder-0.5b';
      },
    },
    projects: {
      get: async (id) => {
        if (id !== 'p1') throw new EvolveError('NOT_FOUND', `No project ${id}`);
        return { id };
      },
    },
    interactive: (label, fn) => work.interactive(label, fn),
  });
}

const input = (prefix: string, extra: Partial<{ path: string; editorId: string; suffix: string; projectId: string }> = {}) => ({
  projectId: extra.projectId ?? 'p1',
  path: extra.path ?? 'src/calc.py',
  prefix,
  suffix: extra.suffix ?? '\n',
  language: 'python',
  ...(extra.editorId ? { editorId: extra.editorId } : {}),
});

const tick = () => new Promise((r) => setTimeout(r, 0));

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await tick();
  if (!cond()) throw new Error('condition not reached');
}

describe('InlineCompletionService', () => {
  it('asks the engine for a FIM middle with the capped window and small sampling caps, then trims it', async () => {
    const { engine, calls } = scriptedEngine();
    const svc = service(engine);
    const long = `${'# filler line\n'.repeat(2000)}def add(a, b):\n    `;
    const p = svc.complete(input(long));
    await until(() => calls.length === 1);
    const c = calls[0]!;
    expect(c.params.prefix.length).toBeLessThanOrEqual(INLINE_PREFIX_CHARS);
    expect(c.params.prefix.endsWith('def add(a, b):\n    ')).toBe(true);
    expect(c.params.window).toMatchObject({ maxPrefixTokens: 1500, maxSuffixTokens: 500 });
    expect(c.params.sampling).toMatchObject({ temperature: 0, maxTokens: 64 });
    expect(c.params.sampling?.stop).toEqual(['\n\n', '\r\n\r\n']);
    c.finish('return a + b\nprint(add(1, 2))');
    const r = await p;
    expect(r).toMatchObject({ text: 'return a + b', cached: false, model: 'qwen2.5-coder-0.5b' });
    expect(r.ms).toBeGreaterThanOrEqual(0);
  });

  it('serves the same (model, prefix tail, suffix head) from the cache without running the model', async () => {
    const { engine, calls } = scriptedEngine();
    const svc = service(engine);
    const first = svc.complete(input('def add(a, b):\n    '));
    await until(() => calls.length === 1);
    calls[0]!.finish('return a + b');
    await first;
    const again = await svc.complete(input('def add(a, b):\n    '));
    expect(again).toMatchObject({ text: 'return a + b', cached: true });
    expect(calls).toHaveLength(1);
    // Another suffix is another key.
    const other = svc.complete(input('def add(a, b):\n    ', { suffix: '\nprint(1)\n' }));
    await until(() => calls.length === 2);
    calls[1]!.finish('return b + a');
    expect((await other).cached).toBe(false);
  });

  it('cancels the older request of the same editor when a newer one comes (the signal reaches the engine)', async () => {
    const { engine, calls } = scriptedEngine();
    const svc = service(engine);
    const older = svc.complete(input('def add(a, b):\n    re'));
    await until(() => calls.length === 1);
    const newer = svc.complete(input('def add(a, b):\n    ret'));
    await expect(older).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(calls[0]!.signal?.aborted).toBe(true);
    await until(() => calls.length === 2);
    calls[1]!.finish('urn a + b');
    expect((await newer).text).toBe('urn a + b');
    // The cancelled one left nothing in the cache.
    const again = svc.complete(input('def add(a, b):\n    re'));
    await until(() => calls.length === 3);
    calls[2]!.finish('turn a + b');
    expect((await again).cached).toBe(false);
  });

  it('does not cancel another editor, and the caller signal (disconnect) cancels too', async () => {
    const { engine, calls } = scriptedEngine();
    const svc = service(engine);
    const a = svc.complete(input('x = ', { path: 'a.py' }));
    const b = svc.complete(input('y = ', { path: 'b.py' }));
    await until(() => calls.length === 2);
    expect(calls.some((c) => c.signal?.aborted)).toBe(false);
    calls[0]!.finish('1');
    calls[1]!.finish('2');
    expect((await a).text).toBe('1');
    expect((await b).text).toBe('2');
    const gone = new AbortController();
    const c = svc.complete(input('z = ', { path: 'c.py' }), gone.signal);
    await until(() => calls.length === 3);
    gone.abort();
    await expect(c).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('cancel() stops the request in flight for that editor only (the user typed on), and says when there was none', async () => {
    const { engine, calls } = scriptedEngine();
    const svc = service(engine);
    const a = svc.complete(input('x = ', { path: 'a.py' }));
    const b = svc.complete(input('y = ', { path: 'b.py' }));
    await until(() => calls.length === 2);
    expect(svc.cancel({ projectId: 'p1', path: 'a.py' })).toBe(true);
    await expect(a).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(calls[0]!.signal?.aborted).toBe(true);
    expect(calls[1]!.signal?.aborted).toBe(false);
    calls[1]!.finish('2');
    expect((await b).text).toBe('2');
    expect(svc.cancel({ projectId: 'p1', path: 'a.py' })).toBe(false);
  });

  it('runs as interactive work, so background work waits meanwhile', async () => {
    const { engine, calls } = scriptedEngine();
    const work = new WorkScheduler({ holdMs: 0 });
    const svc = service(engine, { work });
    const p = svc.complete(input('x = '));
    await until(() => calls.length === 1);
    expect(work.snapshot().interactive).toEqual(['completion']);
    calls[0]!.finish('1');
    await p;
    expect(work.snapshot().interactive).toEqual([]);
  });

  it('refuses a model without FIM tokens with a typed no-fim error', async () => {
    const { engine } = scriptedEngine({ fim: false });
    const err = await service(engine)
      .complete(input('x = '))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvolveError);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', details: { reason: 'no-fim' } });
  });

  it('warm() loads and checks the model ahead of the first request (once), with the same errors', async () => {
    const loads = { n: 0 };
    const { engine, calls } = scriptedEngine();
    const svc = service(engine, { loads });
    expect(await svc.warm('p1')).toBe('qwen2.5-coder-0.5b');
    const p = svc.complete(input('x = '));
    await until(() => calls.length === 1);
    calls[0]!.finish('1');
    await p;
    expect(loads.n).toBe(1);
    await expect(svc.warm('gone')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service(scriptedEngine({ fim: false }).engine).warm('p1')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { reason: 'no-fim' },
    });
  });

  it('says UNAVAILABLE when no model is installed, and NOT_FOUND for an unknown project', async () => {
    const { engine } = scriptedEngine();
    await expect(service(engine, { model: undefined }).complete(input('x = '))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(service(engine).complete(input('x = ', { projectId: 'gone' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('loads the model once while it stays loaded, and again when it was unloaded meanwhile', async () => {
    const { engine, calls } = scriptedEngine({ notLoadedOnce: false });
    const loads = { n: 0 };
    const svc = service(engine, { loads });
    for (const prefix of ['a = ', 'b = ']) {
      const p = svc.complete(input(prefix));
      await until(() => calls.length > 0 && !calls.at(-1)!.signal?.aborted);
      calls.at(-1)!.finish('1');
      await p;
      calls.length = 0;
    }
    expect(loads.n).toBe(1);
    const unloaded = scriptedEngine({ notLoadedOnce: true });
    const loads2 = { n: 0 };
    const svc2 = service(unloaded.engine, { loads: loads2 });
    const p = svc2.complete(input('c = '));
    await until(() => unloaded.calls.length === 1);
    unloaded.calls[0]!.finish('3');
    expect((await p).text).toBe('3');
    expect(loads2.n).toBe(2);
  });
});
