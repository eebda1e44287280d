// Assistant section: threads on the left; the conversation with streamed, highlighted answers, per-answer
// speed and first-token time, stop / regenerate / edit-and-resend; model, system prompt and sampling on top.
import { useEffect, useRef } from 'react';
import { useStore } from '../../app/store';
import { BackendPanel } from '../shell/BackendPanel';
import { Composer } from './Composer';
import { Markdown } from './Markdown';
import { MessageView } from './MessageView';

function ModelBar() {
  const settings = useStore((s) => s.chat.settings);
  const setSettings = useStore((s) => s.setChatSettings);
  // Select the stable array and filter in render: a selector returning a new array each time would loop.
  const all = useStore((s) => s.models.list);
  const defaultChoice = useStore((s) => s.models.defaultChoice);
  const models = all.filter((m) => !m.error);
  const projects = useStore((s) => s.projects.list);
  return (
    <details className="model-bar" open>
      <summary>
        Model:{' '}
        <strong data-testid="chat-model">
          {settings.modelId?.startsWith('route:')
            ? `routed (${settings.modelId.slice(6)})`
            : (models.find((m) => m.id === settings.modelId)?.displayName ?? 'none chosen')}
        </strong>
      </summary>
      {defaultChoice && settings.modelId === defaultChoice.id && (
        <p className={defaultChoice.reason === 'catalog-default' ? 'muted' : 'notice-inline'} data-testid="chat-model-note">
          {defaultChoice.label}
        </p>
      )}
      <div className="row">
        <label>
          Model{' '}
          <select
            value={settings.modelId ?? ''}
            onChange={(e) => setSettings({ modelId: e.target.value || null })}
            data-testid="chat-model-select"
          >
            <option value="">Choose…</option>
            <optgroup label="Local models (nothing leaves this machine)">
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.displayName}
                  {m.metadata && !m.metadata.hasChatTemplate ? ' (base model)' : ''}
                </option>
              ))}
            </optgroup>
            <optgroup label="Routed by your provider settings">
              <option value="route:generate">Route “generate” (local first; cloud only if allowed)</option>
              <option value="route:review">Route “review”</option>
              <option value="route:refactor">Route “refactor”</option>
            </optgroup>
          </select>
        </label>
        <label>
          Temperature{' '}
          <input
            type="number"
            min={0}
            max={2}
            step={0.1}
            value={settings.temperature}
            onChange={(e) => setSettings({ temperature: Number(e.target.value) })}
          />
        </label>
        <label>
          Max tokens{' '}
          <input
            type="number"
            min={1}
            max={8192}
            value={settings.maxTokens}
            onChange={(e) => setSettings({ maxTokens: Number(e.target.value) })}
          />
        </label>
      </div>
      <label>
        Project for new chats{' '}
        <select
          value={settings.projectId ?? ''}
          onChange={(e) => setSettings({ projectId: e.target.value || null })}
          data-testid="chat-project-select"
          title="A chat with a project can use @file, @symbol, @project and apply code blocks to its files"
        >
          <option value="">None</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className="system-prompt">
        System prompt
        <textarea
          rows={2}
          value={settings.systemPrompt}
          onChange={(e) => setSettings({ systemPrompt: e.target.value })}
          placeholder="Optional"
        />
      </label>
    </details>
  );
}

export function AssistantView() {
  const ready = useStore((s) => s.vault.status?.state === 'ready');
  const c = useStore((s) => s.chat);
  const loadThreads = useStore((s) => s.loadThreads);
  const loadModels = useStore((s) => s.loadModels);
  const loadProjects = useStore((s) => s.loadProjects);
  const projects = useStore((s) => s.projects.list);
  const newThread = useStore((s) => s.newThread);
  const openThread = useStore((s) => s.openThread);
  const deleteThread = useStore((s) => s.deleteThread);
  const regenerate = useStore((s) => s.regenerate);
  const edit = useStore((s) => s.editAndResend);
  const retry = useStore((s) => s.retryTruncating);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ready) void Promise.all([loadThreads(), loadModels(), loadProjects()]);
  }, [ready, loadThreads, loadModels, loadProjects]);
  useEffect(() => {
    // A block body on purpose: scrollIntoView returns a Promise in current Chromium, and an effect must not return one.
    void end.current?.scrollIntoView?.({ block: 'end' });
  }, [c.messages.length, c.streaming.text]);

  if (!ready) return <BackendPanel backend="database" title="Encrypted conversation store" />;
  const lastAssistant = [...c.messages].reverse().find((m) => m.role === 'assistant');
  const threadProjectId = c.threads.find((t) => t.id === c.threadId)?.projectId ?? null;
  const threadProject = threadProjectId ? (projects.find((p) => p.id === threadProjectId)?.name ?? 'a project') : null;
  return (
    <section className="chat-layout">
      <aside className="threads" aria-label="Threads">
        <button type="button" onClick={() => void newThread()} data-testid="new-thread">
          + New chat
        </button>
        <ul>
          {c.threads.map((t) => (
            <li key={t.id} className={t.id === c.threadId ? 'active' : ''}>
              <button type="button" className="thread-title" onClick={() => void openThread(t.id)}>
                {t.title || 'Untitled'}
              </button>
              <button type="button" className="link" aria-label={`Delete ${t.title}`} onClick={() => void deleteThread(t.id)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <div className="conversation">
        <ModelBar />
        {c.threadId && (
          <p className="muted thread-project" data-testid="thread-project">
            {threadProject
              ? `Project: ${threadProject} — @file, @symbol and @project add its code to your question.`
              : 'This chat has no project: choose one under “Project for new chats” and start a new chat to use @file, @symbol and @project.'}
          </p>
        )}
        <div className="messages" data-testid="messages">
          {c.messages.map((m) => (
            <MessageView
              key={m.id}
              message={m}
              busy={c.streaming.active}
              canRegenerate={m.id === lastAssistant?.id}
              onRegenerate={() => void regenerate()}
              onEdit={(text) => void edit(m.id, text)}
            />
          ))}
          {c.streaming.active && (
            <div className="msg assistant streaming" data-testid="message-streaming" aria-live="polite">
              {c.streaming.truncated && (
                <p className="notice-inline">
                  Older messages were left out to fit the context ({c.streaming.truncated.droppedTokens} tokens).
                </p>
              )}
              <Markdown text={c.streaming.text || '…'} />
            </div>
          )}
          {c.error && (
            <div role="alert" className="error-panel" data-testid="chat-error">
              <p>{c.error.message}</p>
              {c.error.code === 'RESOURCE_EXHAUSTED' && (
                <button type="button" onClick={() => void retry()} data-testid="chat-retry-truncate">
                  Leave out the oldest messages and retry
                </button>
              )}
            </div>
          )}
          <div ref={end} />
        </div>
        <Composer />
      </div>
    </section>
  );
}
