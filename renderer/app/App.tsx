// The app shell: sidebar, the current section (each behind its own error boundary), notices, status bar.
import { Suspense, lazy, useEffect, type ReactNode } from 'react';
import type { Section } from '../../common/contracts/app';
import { AssistantView } from '../features/assistant/AssistantView';
import { AuditView } from '../features/audit/AuditView';
import { ClusterView } from '../features/cluster/ClusterView';
import { ModelsView } from '../features/models/ModelsView';
import { ProjectsView } from '../features/projects/ProjectsView';
import { SettingsView } from '../features/settings/SettingsView';
import { LockScreen } from '../features/lock/LockScreen';
import { useAppLock } from '../features/lock/useAppLock';
import { ErrorBoundary } from '../features/shell/ErrorBoundary';
import { Notices } from '../features/shell/Notices';
import { Sidebar } from '../features/shell/Sidebar';
import { StatusBar } from '../features/shell/StatusBar';
import { VaultGate } from '../features/vault/VaultGate';
import { SECTION_INFO } from './sections';
import { useStore } from './store';
import { useShortcuts } from './useShortcuts';
import { useTheme } from './useTheme';

// The Code section carries CodeMirror (~0.4 MB): loaded on first visit so startup does not pay for it.
const CodeView = lazy(() => import('../features/code/CodeView').then((m) => ({ default: m.CodeView })));

const VIEWS: Record<Section, () => ReactNode> = {
  assistant: () => <AssistantView />,
  projects: () => <ProjectsView />,
  code: () => (
    <Suspense fallback={<p className="muted">Loading the editor…</p>}>
      <CodeView />
    </Suspense>
  ),
  models: () => <ModelsView />,
  cluster: () => <ClusterView />,
  audit: () => <AuditView />,
  settings: () => <SettingsView />,
};

const STATUS_REFRESH_MS = 15_000;

export function App() {
  const section = useStore((s) => s.section);
  const info = SECTION_INFO.find((s) => s.id === section);
  useShortcuts();
  useTheme();
  useAppLock();
  // While locked (or until we know whether we are), no section is mounted: their data is not in the page.
  const lockChecked = useStore((s) => s.appLock.checked);
  const locked = useStore((s) => s.appLock.status?.locked ?? false);

  useEffect(() => {
    const s = useStore.getState();
    void s.loadSettings();
    void s.loadStatus();
    void s.loadVault();
    const unsubscribe = s.subscribeAppEvents();
    const timer = setInterval(() => void useStore.getState().loadStatus(), STATUS_REFRESH_MS);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, []);

  if (locked || !lockChecked) {
    return (
      <div className="app">
        {locked && <LockScreen />}
        <StatusBar />
      </div>
    );
  }

  return (
    <div className="app">
      <Sidebar />
      <main id="section-panel" role="tabpanel" aria-labelledby={`tab-${section}`} data-testid={`section-${section}`}>
        <header className="section-header">
          <h1>{info?.label}</h1>
          <p>{info?.description}</p>
        </header>
        <VaultGate />
        <ErrorBoundary key={section} where={info?.label ?? section}>
          {VIEWS[section]()}
        </ErrorBoundary>
      </main>
      <Notices />
      <StatusBar />
    </div>
  );
}
