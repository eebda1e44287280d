// The composer's `@` autocomplete: the thread project's files and symbols matching what is typed after `@`.
import { useEffect, useState } from 'react';
import type { MentionOptions } from '../../../common/contracts/chat';
import { useStore } from '../../app/store';
import { fileMention, symbolMention } from './mention-caret';

/** Waits this long after the last keystroke before asking (typing a path should not send one request per key). */
const DEBOUNCE_MS = 120;

export interface MentionPick {
  label: string;
  insertion: string;
}

/** The choices for a query: `@project` first when it fits, then files, then symbols. */
export function mentionChoices(query: string, o: MentionOptions | null): MentionPick[] {
  const q = query.toLowerCase();
  const out: MentionPick[] = [];
  if ('project'.startsWith(q)) out.push({ label: '@project — search the whole project', insertion: '@project' });
  if (!o) return out;
  if (!q.startsWith('symbol:')) for (const f of o.files) out.push({ label: f, insertion: fileMention(f) });
  if (!q.startsWith('file:'))
    for (const s of o.symbols) out.push({ label: `${s.name} (${s.kind}, ${s.rel}:${s.line})`, insertion: symbolMention(s.name) });
  return out.slice(0, 20);
}

export function MentionMenu({
  query,
  active,
  onPick,
  onChoices,
}: {
  query: string;
  active: number;
  onPick: (p: MentionPick) => void;
  /** The current choices, so the composer's keys (↑ ↓ Tab Enter) can pick one. */
  onChoices: (c: MentionPick[]) => void;
}) {
  const mentionOptions = useStore((s) => s.mentionOptions);
  const [options, setOptions] = useState<MentionOptions | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      void mentionOptions(query).then((r) => {
        if (!live) return;
        if (r.ok) {
          setOptions(r.value);
          setError(null);
        } else setError(r.error.message);
      });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query, mentionOptions]);
  const choices = error ? [] : mentionChoices(query, options);
  // A block body: an effect's return value is its cleanup, and onChoices may return what it assigned (React then
  // calls an array as the cleanup and the Assistant crashes with "is not a function").
  useEffect(() => {
    onChoices(choices);
  }, [JSON.stringify(choices)]); // eslint-disable-line react-hooks/exhaustive-deps
  if (error)
    return (
      <div className="mention-menu notice-inline" role="status" data-testid="mention-error">
        {error}
      </div>
    );
  if (choices.length === 0) return null;
  return (
    <ul className="mention-menu" role="listbox" aria-label="Mention a file or symbol" data-testid="mention-menu">
      {choices.map((c, i) => (
        <li key={c.insertion + c.label} role="option" aria-selected={i === active}>
          <button type="button" className={i === active ? 'active' : ''} onMouseDown={(e) => (e.preventDefault(), onPick(c))}>
            {c.label}
          </button>
        </li>
      ))}
    </ul>
  );
}
