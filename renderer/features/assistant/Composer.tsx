// The message box: Ctrl/Cmd+Enter sends; while an answer streams, Stop (or Escape) ends it. Typing `@` offers the
// thread project's files and symbols (↑ ↓ to choose, Tab or Enter to insert, Escape to close).
import { useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from '../../app/store';
import { insertMention, mentionAtCaret, type MentionAtCaret } from './mention-caret';
import { MentionMenu, type MentionPick } from './MentionMenu';

export function Composer() {
  const streaming = useStore((s) => s.chat.streaming.active);
  const send = useStore((s) => s.sendMessage);
  const stop = useStore((s) => s.stopGenerating);
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [closed, setClosed] = useState(false);
  const [active, setActive] = useState(0);
  const choices = useRef<MentionPick[]>([]);
  const box = useRef<HTMLTextAreaElement>(null);
  const mention: MentionAtCaret | null = closed ? null : mentionAtCaret(text, caret);

  const submit = () => {
    if (!text.trim() || streaming) return;
    const sent = text;
    setText('');
    void send(sent).then(() => {
      // A message refused before it was stored (an unknown @file, no project) comes back to the box, not lost.
      const c = useStore.getState().chat;
      const stored = c.messages.some((m) => m.role === 'user' && m.content === sent);
      if (c.error && !stored) setText((now) => now || sent);
    });
  };
  const pick = (p: MentionPick) => {
    if (!mention) return;
    const next = insertMention(text, mention, caret, p.insertion);
    setText(next.text);
    setCaret(next.caret);
    setActive(0);
    requestAnimationFrame(() => box.current?.setSelectionRange(next.caret, next.caret));
  };
  const onKey = (e: KeyboardEvent) => {
    const open = mention && choices.current.length > 0;
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const n = choices.current.length;
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (open && (e.key === 'Tab' || (e.key === 'Enter' && !e.ctrlKey && !e.metaKey))) {
      e.preventDefault();
      const c = choices.current[Math.min(active, choices.current.length - 1)];
      if (c) pick(c);
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    } else if (e.key === 'Escape' && mention) setClosed(true);
    else if (e.key === 'Escape' && streaming) stop();
  };
  return (
    <div className="composer">
      {mention && <MentionMenu query={mention.query} active={active} onPick={pick} onChoices={(c) => (choices.current = c)} />}
      <textarea
        ref={box}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setCaret(e.target.selectionStart);
          setClosed(false);
          setActive(0);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKey}
        rows={3}
        placeholder="Ask about code… @file, @symbol, @project add project context (Ctrl+Enter to send)"
        aria-label="Message"
        data-testid="chat-input"
      />
      {streaming ? (
        <button type="button" onClick={stop} data-testid="chat-stop">
          Stop
        </button>
      ) : (
        <button type="button" onClick={submit} disabled={!text.trim()} data-testid="chat-send">
          Send
        </button>
      )}
    </div>
  );
}
