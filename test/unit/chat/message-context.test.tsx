// An answer's markup (server-rendered): the project context it used is listed under it, and its code blocks offer
// "Apply to file…" only in a thread that belongs to a project; the @ menu's choices follow what is typed.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChatStats } from '../../../common/contracts/chat';
import type { Message, Thread } from '../../../common/store/rows';
import { useStore } from '../../../renderer/app/store';
import { mentionChoices } from '../../../renderer/features/assistant/MentionMenu';
import { MessageView } from '../../../renderer/features/assistant/MessageView';

const stats: ChatStats = {
  modelId: 'route:generate',
  stopReason: 'eos',
  usage: {
    promptTokens: 10,
    evaluatedPromptTokens: 10,
    completionTokens: 5,
    timeToFirstTokenMs: 1,
    promptTokensPerSecond: 1,
    generationTokensPerSecond: 1,
    totalMs: 1,
  } as ChatStats['usage'],
  context: {
    tokens: 120,
    items: [
      { source: 'symbol', symbol: 'retryWithBackoff', rel: 'src/http/retry.ts', startLine: 1, endLine: 12, tokens: 80 },
      { source: 'file', rel: 'src/long.ts', startLine: 1, endLine: 40, tokens: 40, trimmed: true },
    ],
  },
};
const answer: Message = {
  id: 'm2',
  threadId: 't1',
  role: 'assistant',
  content: 'Like this:\n\n```ts\nexport const a = 2;\n```\n',
  model: 'route:generate',
  stats,
  createdAt: 1,
};

function render(projectId: string | null): string {
  const initial = useStore.getInitialState();
  const thread = { id: 't1', projectId, title: 't', createdAt: 1, updatedAt: 1 } as Thread;
  Object.assign(initial, { chat: { ...initial.chat, threads: [thread], threadId: 't1' } });
  return renderToString(<MessageView message={answer} canRegenerate={false} busy={false} onRegenerate={() => {}} onEdit={() => {}} />);
}

describe('answers with project context', () => {
  it('lists the context used and offers Apply to file in a project thread', () => {
    const html = render('p1');
    expect(html).toContain('data-testid="message-context"');
    expect(html).toMatch(/retryWithBackoff in src\/http\/retry.ts:1-12 · src\/long.ts:1-40 \(trimmed\)/);
    expect(html).toContain('data-testid="apply-code"');
  });

  it('offers no Apply to file in a thread without a project', () => {
    expect(render(null)).not.toContain('data-testid="apply-code"');
  });

  it('the @ menu: @project, files and symbols, narrowed by file: / symbol:', () => {
    const o = {
      files: ['src/http/retry.ts'],
      symbols: [{ name: 'retryWithBackoff', rel: 'src/http/retry.ts', line: 1, kind: 'function' }],
    };
    expect(mentionChoices('', o).map((c) => c.insertion)).toEqual(['@project', '@file:src/http/retry.ts', '@symbol:retryWithBackoff']);
    expect(mentionChoices('file:re', o).map((c) => c.insertion)).toEqual(['@file:src/http/retry.ts']);
    expect(mentionChoices('symbol:re', o).map((c) => c.insertion)).toEqual(['@symbol:retryWithBackoff']);
    expect(mentionChoices('pro', null).map((c) => c.insertion)).toEqual(['@project']);
  });
});
