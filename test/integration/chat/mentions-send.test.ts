// Chat turns with @file / @symbol mentions over the real dispatcher and app services (real store, index worker,
// workspace), answered by the OpenAI wire-format FIXTURE so the exact prompt sent can be read back: the context
// block is in the prompt, the stored user message is only the user's text, the answer records what was used; an
// unknown mention or a thread without a project is refused before anything is stored or sent. Then "Apply to file…"
// through proposeApply → workspace.applyGeneration.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatStats } from '../../../common/contracts/chat';
import type { Message } from '../../../common/store/rows';
import type { FixtureServer } from '../../fixtures/providers/fixture-server';
import { startOpenAIFixture } from '../../fixtures/providers/openai-fixture';
import { ctx, startTempServices, type TempServices } from '../../support/temp-services';

const KEY = 'sk-fixture-mentions-0123456789';
const MAIN = 'export function answerOfLife(): number {\n  return 41;\n}\n';
let t: TempServices;
let fixture: FixtureServer;
let root: string;
let projectId: string;
let threadId: string;
let bareThreadId: string;

type SendResult = { ok: true; value: { message: Message; stats: ChatStats } } | { ok: false; error: { code: string; message: string } };
const send = (threadId: string, text: string): Promise<SendResult> =>
  t.dispatcher.stream(
    'evolve:chat.send',
    { threadId, modelId: 'route:generate', action: 'send', text, sampling: { maxTokens: 16 } },
    ctx(),
    async () => {},
  ) as Promise<SendResult>;

async function value<T>(channel: string, input: unknown): Promise<T> {
  const r = await t.dispatcher.call(channel, input, ctx());
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

/** The last user message the fixture received. */
function lastPrompt(): string {
  const body = fixture.requests.at(-1)?.body as { messages: { role: string; content: string }[] };
  return body.messages.filter((m) => m.role === 'user').at(-1)!.content;
}

beforeAll(async () => {
  ({ server: fixture } = await startOpenAIFixture({ apiKey: KEY, reply: 'It returns 41.' }));
  t = await startTempServices();
  root = path.join(t.root, 'project');
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'main.ts'), MAIN);
  const s = t.services;
  await s.settings.update({ offlineOnly: false });
  await s.providers.upsert(
    { id: 'cloud', kind: 'openai', label: 'Cloud', enabled: true, baseUrl: `${fixture.url}/v1`, defaultModel: 'gpt-4o-mini' },
    KEY,
    false,
  );
  await s.providers.setRoutes({ generate: [{ providerId: 'cloud', model: 'gpt-4o-mini' }] });
  projectId = (await value<{ id: string }>('evolve:projects.add', { path: root })).id;
  expect((await s.projects.service.index(projectId)).phase).toBe('done');
  threadId = (await value<{ id: string }>('evolve:chat.createThread', { title: 'project chat', projectId })).id;
  bareThreadId = (await value<{ id: string }>('evolve:chat.createThread', { title: 'plain', projectId: null })).id;
}, 120_000);

afterAll(async () => {
  await t?.cleanup();
  await fixture?.close();
});

describe('chat with project mentions over the dispatcher', () => {
  it('@file and @symbol put the code in the prompt and the answer records what was used', async () => {
    const text = 'What does @symbol:answerOfLife return? See @file:src/main.ts';
    const r = await send(threadId, text);
    if (!r.ok) throw new Error(r.error.message);
    const prompt = lastPrompt();
    expect(prompt.startsWith('<project-context>\n')).toBe(true);
    expect(prompt).toContain(`<file path="src/main.ts" lines="1-3">\n${MAIN.trimEnd()}\n</file>`);
    expect(prompt).toContain('<symbol name="answerOfLife" path="src/main.ts" lines="1-3">');
    expect(prompt.endsWith(`</project-context>\n\n${text}`)).toBe(true);
    expect(r.value.stats.context?.items.map((i) => `${i.source}:${i.rel}:${i.startLine}-${i.endLine}`)).toEqual([
      'symbol:src/main.ts:1-3',
      'file:src/main.ts:1-3',
    ]);
    const stored = await value<Message[]>('evolve:chat.messages', { threadId });
    expect(stored.map((m) => [m.role, m.content])).toEqual([
      ['user', text],
      ['assistant', 'It returns 41.'],
    ]);
    expect((stored[1]!.stats as ChatStats).context?.items).toHaveLength(2);
  });

  it('an unknown mention or a thread without a project is refused before anything is stored or sent', async () => {
    const before = fixture.requests.length;
    const count = async (id: string) => (await value<Message[]>('evolve:chat.messages', { threadId: id })).length;
    const n = await count(threadId);
    const unknown = await send(threadId, 'Explain @file:src/missing.ts');
    expect(!unknown.ok && unknown.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('@file:src/missing.ts') });
    const bare = await send(bareThreadId, 'Explain @symbol:answerOfLife');
    expect(!bare.ok && bare.error.code).toBe('INVALID_ARGUMENT');
    expect(await count(threadId)).toBe(n);
    expect(await count(bareThreadId)).toBe(0);
    expect(fixture.requests.length).toBe(before);
  });

  it('Apply to file: proposeApply → workspace.applyGeneration writes the file with a checkpoint', async () => {
    const answer = (await value<Message[]>('evolve:chat.messages', { threadId })).find((m) => m.role === 'assistant')!;
    const code = 'export function answerOfLife(): number {\n  return 42;\n}\n';
    const p = await value<{ generationId: string; diff: { path: string; hunks: { id: string }[] }[] }>('evolve:chat.proposeApply', {
      threadId,
      path: 'src/main.ts',
      code,
      lang: 'ts',
      messageId: answer.id,
    });
    expect(fs.readFileSync(path.join(root, 'src/main.ts'), 'utf8')).toBe(MAIN);
    const applied = await value<{ checkpointId: string }>('evolve:workspace.applyGeneration', {
      generationId: p.generationId,
      accept: p.diff.map((d) => ({ path: d.path, hunkIds: d.hunks.map((h) => h.id) })),
    });
    expect(fs.readFileSync(path.join(root, 'src/main.ts'), 'utf8')).toBe(code);
    expect(applied.checkpointId).toBeTruthy();
    const outside = await t.dispatcher.call('evolve:chat.proposeApply', { threadId, path: '../../outside.txt', code: 'x' }, ctx());
    expect(!outside.ok && outside.error.code).toBe('FORBIDDEN');
  }, 30_000);
});
