// Shows one backend's live state (from app.status) in a section whose feature is not wired in yet, so
// the page says plainly what is and is not available instead of pretending.
import type { BackendState } from '../../../common/contracts/app';
import { useStore } from '../../app/store';

export function BackendPanel({ backend, title }: { backend: 'inference' | 'database' | 'keychain' | 'cluster'; title: string }) {
  const state: BackendState | undefined = useStore((s) => s.status?.backends[backend]);
  return (
    <div className={`backend-panel ${state?.state ?? 'pending'}`} data-testid={`backend-panel-${backend}`}>
      <h3>{title}</h3>
      <p>
        <strong>{state?.state ?? 'loading'}</strong> — {state?.detail ?? 'asking the app…'}
      </p>
    </div>
  );
}
