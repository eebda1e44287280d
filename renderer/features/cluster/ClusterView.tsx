// Cluster section: profiles and connection test, the training wizard, jobs (live charts, logs, history) and the Ops tab.
import { useEffect } from 'react';
import { useStore } from '../../app/store';
import { errorTitle } from '../../lib/errors';
import { BackendPanel } from '../shell/BackendPanel';
import type { ClusterTab } from './cluster-slice';
import { JobHistory, JobPanel } from './JobPanel';
import { JobLogSearch } from './JobLogSearch';
import { JobHistoryRetention } from './JobHistoryRetention';
import { OpsPanel } from './OpsPanel';
import { ProfilesPanel } from './ProfilesPanel';
import { useClusterRoles } from './roles-store';
import { TrainingWizard } from './TrainingWizard';

const TABS: { id: ClusterTab; label: string }[] = [
  { id: 'profiles', label: 'Clusters' },
  { id: 'train', label: 'Train' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'ops', label: 'Ops' },
];

export function ClusterView() {
  const tab = useStore((s) => s.cluster.tab);
  const setTab = useStore((s) => s.setClusterTab);
  const error = useStore((s) => s.cluster.error);
  const load = useStore((s) => s.loadCluster);
  const storeReady = useStore((s) => s.vault.status?.state === 'ready');
  const profiles = useStore((s) => s.cluster.profiles);
  const loadRoles = useClusterRoles((s) => s.load);
  useEffect(() => {
    if (storeReady) void load();
  }, [load, storeReady]);
  // Roles follow the profile list (a new profile's creator is admin; buttons are gated by the role).
  useEffect(() => {
    if (storeReady) void loadRoles();
  }, [loadRoles, storeReady, profiles]);
  return (
    <section className="section-body cluster-view">
      <p className="lede">Submit multi-node PyTorch training to a Ray cluster, follow logs and metrics, and watch node health.</p>
      <div className="segmented cluster-tabs" role="tablist" aria-label="Cluster">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            data-testid={`cluster-tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {error && (
        <div className="error-panel" role="alert" data-testid="cluster-error">
          <strong>{errorTitle(error)}</strong> <span className="error-text">{error.message}</span>
        </div>
      )}
      <div role="tabpanel">
        {tab === 'profiles' && (
          <>
            <ProfilesPanel />
            <BackendPanel backend="cluster" title="Ray cluster" />
          </>
        )}
        {tab === 'train' && <TrainingWizard />}
        {tab === 'jobs' && (
          <>
            <JobPanel />
            <h3>History</h3>
            <JobHistory />
            <JobLogSearch />
            <JobHistoryRetention />
          </>
        )}
        {tab === 'ops' && <OpsPanel />}
      </div>
    </section>
  );
}
