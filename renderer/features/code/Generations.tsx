// The project's generations, newest first; one click opens it in the diff review.
import { useStore } from '../../app/store';

export function Generations() {
  const list = useStore((s) => s.review.generations);
  const currentId = useStore((s) => s.review.current?.id);
  const open = useStore((s) => s.reviewGeneration);
  return (
    <section aria-label="Generations" data-testid="generations">
      <h4>Generations</h4>
      <ul className="generation-list">
        {list.map((g) => (
          <li key={g.id}>
            <button type="button" aria-pressed={g.id === currentId} onClick={() => void open(g.id)} data-testid="generation-open">
              {g.request.length > 48 ? `${g.request.slice(0, 48)}…` : g.request}
            </button>{' '}
            <span className="muted">
              {g.type} · {g.status}
              {g.score !== null ? ` · ${g.score}` : ''}
              {g.decision ? ` · ${g.decision.decision}` : ''}
            </span>
          </li>
        ))}
        {list.length === 0 && <li className="muted">None yet for this project.</li>}
      </ul>
    </section>
  );
}
