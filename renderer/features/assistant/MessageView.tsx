// One chat message: user text (editable and resendable) or a markdown answer with how it was produced.
import { useCallback, useState } from 'react';
import type { ChatStats } from '../../../common/contracts/chat';
import type { Message } from '../../../common/store/rows';
import { useStore } from '../../app/store';
import { ApplyToFile } from './ApplyToFile';
import { Markdown } from './Markdown';

/** The project context the answer's question pulled in (@file / @symbol / @project), as "where · tokens". */
function contextLine(raw: unknown): string | null {
  const items = (raw as ChatStats | null)?.context?.items;
  if (!items?.length) return null;
  return items
    .map((i) =>
      i.source === 'repo-map'
        ? 'repo map'
        : `${i.symbol ? `${i.symbol} in ` : ''}${i.rel}:${i.startLine}-${i.endLine}${i.trimmed ? ' (trimmed)' : ''}`,
    )
    .join(' · ');
}

/** Mentioned project text the injection detector flagged: where, and what kind of instruction it carried. */
function injectionLine(raw: unknown): string | null {
  const flags = (raw as ChatStats | null)?.context?.injectionFlags;
  if (!flags?.length) return null;
  return flags
    .map((f) => `${f.source} (${[...new Set(f.hits.filter((h) => h.weight >= 0.5).map((h) => h.family))].join(', ')})`)
    .join(' · ');
}

function statsLine(raw: unknown): string | null {
  const s = raw as ChatStats | null;
  if (!s?.usage) return null;
  const u = s.usage;
  const parts = [
    `${u.completionTokens} tokens`,
    `${u.generationTokensPerSecond.toFixed(1)} tok/s`,
    `first token ${Math.round(u.timeToFirstTokenMs)} ms`,
    `prompt ${u.promptTokens} (${u.evaluatedPromptTokens} new, ${Math.round(u.promptTokensPerSecond)} tok/s)`,
  ];
  if (s.stopReason !== 'eos') parts.push(s.stopReason === 'cancelled' ? 'stopped' : s.stopReason);
  return parts.join(' · ');
}

export function MessageView({
  message,
  canRegenerate,
  busy,
  onRegenerate,
  onEdit,
}: {
  message: Message;
  canRegenerate: boolean;
  busy: boolean;
  onRegenerate: () => void;
  onEdit: (text: string) => void;
}) {
  const models = useStore((s) => s.models.list);
  // "Apply to file…" is offered only in a thread that belongs to a project.
  const hasProject = useStore((s) => Boolean(s.chat.threads.find((t) => t.id === s.chat.threadId)?.projectId));
  const [applying, setApplying] = useState<{ code: string; lang?: string } | null>(null);
  const onApply = useCallback((code: string, lang: string | undefined) => setApplying({ code, ...(lang ? { lang } : {}) }), []);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.content);
  if (message.role === 'user') {
    return (
      <div className="msg user" data-testid="message-user">
        {editing ? (
          <div className="edit-box">
            <textarea value={draft} onChange={(e) => setDraft(e.target.value)} rows={3} aria-label="Edit message" />
            <div className="row">
              <button type="button" disabled={busy || !draft.trim()} onClick={() => (setEditing(false), onEdit(draft))}>
                Save &amp; resend
              </button>
              <button type="button" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <>
            <p className="user-text">{message.content}</p>
            <button type="button" className="link" disabled={busy} onClick={() => (setDraft(message.content), setEditing(true))}>
              Edit
            </button>
          </>
        )}
      </div>
    );
  }
  const stats = statsLine(message.stats);
  const context = contextLine(message.stats);
  const injection = injectionLine(message.stats);
  const modelName = models.find((m) => m.id === message.model)?.displayName ?? message.model;
  return (
    <div className="msg assistant" data-testid="message-assistant">
      <Markdown text={message.content} {...(hasProject ? { onApply } : {})} />
      {applying && <ApplyToFile messageId={message.id} code={applying.code} lang={applying.lang} onClose={() => setApplying(null)} />}
      {context && (
        <p className="msg-context muted" data-testid="message-context">
          Context: {context}
        </p>
      )}
      {injection && (
        <p className="msg-context warn-text" role="note" data-testid="message-injection">
          Instructions found in project text (sent as data with a warning, audited): {injection}
        </p>
      )}
      <div className="msg-meta">
        {modelName && <span>{modelName}</span>}
        {stats && <span data-testid="message-stats">{stats}</span>}
        {canRegenerate && (
          <button type="button" className="link" disabled={busy} onClick={onRegenerate} data-testid="regenerate">
            Regenerate
          </button>
        )}
      </div>
    </div>
  );
}
