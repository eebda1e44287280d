// The editor bar's inline completion corner: on/off (a setting that survives a restart) and the last completion's
// latency, "waiting…" while one is on the way, or the one problem that stopped it (e.g. a model without FIM tokens).
import { useStore } from '../../app/store';
import { inlineCompletionOn } from './inline-completion-slice';

export function InlineCompletionStatus() {
  const on = useStore(inlineCompletionOn);
  const inline = useStore((s) => s.inline);
  const setEnabled = useStore((s) => s.setInlineCompletionEnabled);
  const { last, problem, pending } = inline;
  let text = '';
  if (!on) text = 'off';
  else if (problem) text = problem.message;
  else if (pending) text = 'waiting…';
  else if (inline.warming) text = 'loading the model…';
  else if (inline.note) text = inline.note.message;
  else if (last) text = last.cached ? `${Math.round(last.ms)} ms (cached)` : `${Math.round(last.ms)} ms`;
  return (
    <span
      className="inline-completion-status"
      data-testid="inline-status"
      data-state={!on ? 'off' : problem ? 'problem' : pending ? 'pending' : last ? 'done' : 'idle'}
      data-ms={last ? Math.round(last.ms) : ''}
      data-completed={inline.completed}
      data-cached={last ? String(last.cached) : ''}
      title={
        last
          ? `Last inline completion by ${last.model}: ${Math.round(last.ms)} ms${last.cached ? ', from the cache' : ''}`
          : 'Inline completion (Tab accepts, Esc dismisses)'
      }
    >
      <label>
        <input type="checkbox" checked={on} onChange={(e) => void setEnabled(e.currentTarget.checked)} data-testid="inline-toggle" />{' '}
        Completion
      </label>{' '}
      <span className={problem ? 'warn-text' : 'muted'} data-testid="inline-status-text">
        {text}
      </span>
    </span>
  );
}
