// One index run's progress: a bar (files handled of files found), chunks, files/s and ETA.
import type { IndexProgress } from '../../../common/contracts/projects';

export function IndexProgressBar({ p }: { p: IndexProgress }) {
  const handled = p.filesDone + p.unchanged + p.skipped + p.errors;
  const total = p.filesTotal ?? Math.max(p.filesSeen, 1);
  const eta = p.etaSec === null ? 'estimating…' : `ETA ${Math.ceil(p.etaSec)} s`;
  return (
    <div className="index-progress" data-testid="index-progress">
      <progress max={total} value={handled} aria-label="Index progress" />
      <span data-testid="index-progress-text">
        {p.phase} · {handled}/{total}
        {p.filesTotal === null ? '+' : ''} files · {p.chunks} chunks · {p.filesPerSec.toFixed(1)} files/s · {eta}
      </span>
      {p.vectorsOff && <p className="muted">Text search only: {p.vectorsOff}</p>}
    </div>
  );
}
