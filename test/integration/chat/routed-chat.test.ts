// A chat turn routed through the provider router (model "route:generate") over the full contract path:
// offline-only refuses the cloud route with an explanation; allowed, the answer streams from the OpenAI
// wire-format FIXTURE, is stored in the thread with its stats, and the send is audited with redaction
// counts — the chat and "Try it" share one interface.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../../fixtures/providers/fixture-server';
import { startOpenAIFixture } from '../../fixtures/providers/openai-fixture';
import { ctx, startTempServices, type TempServices } from '../../support/temp-services';

const KEY = 'sk-fixture-routed-chat-0123456789';
let t: TempServices;
let fixture: FixtureServer;
let threadId: string;

async function send(text: string) {
  const tokens: string[] = [];
  const r = await t.dispatcher.stream(
    'evolve:chat.send',
    { threadId, modelId: 'route:generate', action: 'send', text, sampling: { temperature: 0.2 } },
    ctx(),
    async (e) => {
      const ev = e as { type: string; text?: string };
      if (ev.type === 'token') tokens.push(ev.text ?? '');
    },
  );
  return { r, tokens };
}

beforeAll(async () => {
  ({ server: fixture } = await startOpenAIFixture({ apiKey: KEY, reply: 'Routed answer from the fixture.' }));
  t = await startTempServices();
  const p = t.services.providers;
  await p.upsert(
    { id: 'cloud', kind: 'openai', label: 'Cloud', enabled: true, baseUrl: `${fixture.url}/v1`, defaultModel: 'gpt-4o-mini' },
    KEY,
    false,
  );
  await p.setRoutes({ generate: [{ providerId: 'cloud', model: 'gpt-4o-mini' }] });
  const thread = await t.dispatcher.call('evolve:chat.createThread', { title: 'routed' }, ctx());
  if (!thread.ok) throw new Error(thread.error.message);
  threadId = (thread.value as { id: string }).id;
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
  await fixture?.close();
});

describe('routed chat', () => {
  it('is refused while offline-only is on, and nothing reaches the cloud endpoint', async () => {
    await t.services.settings.update({ offlineOnly: true });
    const before = fixture.requests.length;
    const { r } = await send('hello while offline');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/offline|refused|no candidate|leave/i);
    expect(fixture.requests.length).toBe(before);
  });

  it('streams the routed answer into the thread with stats, and audits the send with redaction counts', async () => {
    await t.services.settings.update({ offlineOnly: false });
    const { r, tokens } = await send('Explain this. My key is sk-proj-FAKEfake0000FAKEfake0000FAKEfake0000');
    if (!r.ok) throw new Error(r.error.message);
    expect(tokens.join('')).toBe('Routed answer from the fixture.');
    const value = r.value as {
      message: { content: string; model: string };
      stats: { modelId: string; usage: { completionTokens: number } };
    };
    expect(value.message.content).toBe('Routed answer from the fixture.');
    expect(value.stats.modelId).toBe('cloud/gpt-4o-mini');
    expect(value.stats.usage.completionTokens).toBeGreaterThan(0);
    const sent = JSON.stringify(fixture.requests.at(-1)?.body ?? {});
    expect(sent).not.toContain('FAKEfake0000');
    const msgs = await t.dispatcher.call('evolve:chat.messages', { threadId }, ctx());
    expect(msgs.ok && (msgs.value as { role: string }[]).map((m) => m.role)).toEqual(['user', 'user', 'assistant']);
    const audit = await t.dispatcher.call('evolve:audit.list', { kinds: ['provider.send'] }, ctx());
    const rows = audit.ok ? (audit.value as { data: { provider: string; redactions: Record<string, number> } }[]) : [];
    expect(rows.at(-1)?.data.provider).toBe('cloud');
    expect(Object.values(rows.at(-1)?.data.redactions ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
