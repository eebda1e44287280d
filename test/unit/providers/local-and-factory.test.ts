// The local adapter over a LocalEngineLike, and createProvider's config validation.
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../common/providers/types';
import { createProvider } from '../../../main/services/providers/create-provider';
import { EgressGuard } from '../../../main/services/providers/egress-guard';
import { LocalAdapter } from '../../../main/services/providers/local-adapter';
import { EchoEngine } from '../../fixtures/providers/echo-engine';

async function drain(s: AsyncIterable<ChatEvent>) {
  const ev: ChatEvent[] = [];
  for await (const e of s) ev.push(e);
  return ev;
}

describe('LocalAdapter', () => {
  it('streams from the engine and reports engine-counted usage', async () => {
    const a = new LocalAdapter('local', new EchoEngine({ reply: 'one two three' }));
    const ev = await drain(a.chat({ model: 'qwen2.5-coder-1.5b', messages: [{ role: 'user', content: 'count' }] }));
    expect(
      ev
        .filter((e) => e.type === 'delta')
        .map((e) => (e as { text: string }).text)
        .join(''),
    ).toBe('one two three');
    expect(ev.at(-1)).toMatchObject({
      type: 'done',
      finishReason: 'stop',
      usage: { promptTokens: 2, completionTokens: 4, estimated: false },
    });
    expect(a.leavesMachine).toBe(false);
    expect(a.features.has('embed')).toBe(true);
  });

  it('reports length when maxTokens cut the answer', async () => {
    const a = new LocalAdapter('local', new EchoEngine({ reply: 'a b c d' }));
    const ev = await drain(a.complete({ model: 'qwen2.5-coder-1.5b', prompt: 'p', maxTokens: 2 }));
    expect(ev.at(-1)).toMatchObject({ finishReason: 'length' });
  });

  it('refuses a model that is not loaded with NOT_FOUND', async () => {
    const a = new LocalAdapter('local', new EchoEngine());
    await expect(drain(a.chat({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('stops when cancelled and says CANCELLED', async () => {
    const a = new LocalAdapter('local', new EchoEngine({ reply: 'a b c d e f g h', pieceDelayMs: 20 }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    await expect(
      drain(a.chat({ model: 'qwen2.5-coder-1.5b', messages: [{ role: 'user', content: 'x' }] }, { signal: ac.signal })),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('createProvider', () => {
  const deps = { getSecret: async () => undefined, guard: new EgressGuard(() => ({ offlineOnly: false })), localEngine: new EchoEngine() };
  it('builds each kind from a valid config', () => {
    expect(createProvider({ id: 'local', label: 'Local', kind: 'local' }, deps).kind).toBe('local');
    expect(createProvider({ id: 'openai', label: 'OpenAI', kind: 'openai' }, deps).leavesMachine).toBe(true);
    expect(
      createProvider({ id: 'ollama', label: 'Ollama', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1' }, deps)
        .leavesMachine,
    ).toBe(false);
    expect(createProvider({ id: 'claude', label: 'Claude', kind: 'anthropic' }, deps).kind).toBe('anthropic');
    expect(createProvider({ id: 'hf', label: 'HF', kind: 'huggingface', endpointUrl: 'http://127.0.0.1:8080' }, deps).kind).toBe(
      'huggingface',
    );
  });

  it('rejects bad configs with INVALID_ARGUMENT naming the field', () => {
    expect(() => createProvider({ id: 'Bad Id', label: 'x', kind: 'local' }, deps)).toThrow(/id:/);
    expect(() => createProvider({ id: 'x', label: 'x', kind: 'openai-compatible' }, deps)).toThrow(/baseUrl/);
    expect(() => createProvider({ id: 'x', label: 'x', kind: 'openai-compatible', baseUrl: 'ftp://x' }, deps)).toThrow(/baseUrl/);
    expect(() => createProvider({ id: 'x', label: 'x', kind: 'gemini' }, deps)).toThrow(/kind/);
    try {
      createProvider({ id: 'x', label: 'x', kind: 'gemini' }, deps);
    } catch (e) {
      expect(e).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('needs a running engine for the local kind', () => {
    expect(() => createProvider({ id: 'local', label: 'L', kind: 'local' }, { ...deps, localEngine: undefined })).toThrow(/not running/);
  });
});

describe('ProviderRegistry', () => {
  it('adds, lists (with hasKey, never the key), hides disabled providers from routing, removes', async () => {
    const { ProviderRegistry } = await import('../../../main/services/providers/registry');
    const reg = new ProviderRegistry({
      getSecret: async (id) => (id === 'openai' ? 'k' : undefined),
      guard: new EgressGuard(() => ({ offlineOnly: false })),
      localEngine: new EchoEngine(),
    });
    let changes = 0;
    reg.onChange(() => changes++);
    reg.upsert({ id: 'local', label: 'Local', kind: 'local' });
    reg.upsert({ id: 'openai', label: 'OpenAI', kind: 'openai', enabled: false });
    expect(changes).toBe(2);
    const list = await reg.list();
    expect(list.map((p) => [p.id, p.enabled, p.hasKey, p.leavesMachine])).toEqual([
      ['local', true, false, false],
      ['openai', false, true, true],
    ]);
    expect(JSON.stringify(list)).not.toContain('"k"');
    expect(reg.get('openai')).toBeUndefined();
    expect(reg.get('local')?.kind).toBe('local');
    expect(await reg.testConnection('local')).toMatchObject({ ok: true, models: 1 });
    expect(() => reg.upsert({ id: 'x', kind: 'openai' })).toThrow(/label/);
    reg.remove('openai');
    expect(() => reg.remove('openai')).toThrow(/No provider/);
    await expect(reg.listModels('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
