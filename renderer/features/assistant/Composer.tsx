// The message box: Ctrl/Cmd+Enter sends; while an answer streams, Stop (or Escape) ends it.
import { useState, type KeyboardEvent } from 'react';
import { useStore } from '../../app/store';

export function Composer() {
  const streaming = useStore((s) => s.chat.streaming.active);
  const send = useStore((s) => s.sendMessage);
  const stop = useStore((s) => s.stopGenerating);
  const [text, setText] = useState('');
  const submit = () => {
    if (!text.trim() || streaming) return;
    void send(text);
    setText('');
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    } else if (e.key === 'Escape' && streaming) stop();
  };
  return (
    <div className="composer">
      <textarea
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
        rows={3}
        placeholder="Ask about code… (Ctrl+Enter to send)"
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
