// Settings section: appearance and privacy preferences (persisted), diagnostics, and about.
import type { Settings } from '../../../common/contracts/settings';
import { useStore } from '../../app/store';
import { ProvidersPanel } from '../providers/ProvidersPanel';
import { UsagePanel } from '../providers/UsagePanel';
import { StoragePanel } from '../vault/StoragePanel';
import { AppLockPanel } from '../lock/AppLockPanel';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { EgressAllowPanel } from './EgressAllowPanel';
import { LogPanel } from './LogPanel';
import { NotificationsPanel } from './NotificationsPanel';

const THEMES: Settings['theme'][] = ['system', 'light', 'dark'];

export function SettingsView() {
  const settings = useStore((s) => s.settings);
  const save = useStore((s) => s.saveSettings);
  const status = useStore((s) => s.status);
  if (!settings) return <p>Loading settings…</p>;
  return (
    <section className="section-body settings">
      <fieldset>
        <legend>Appearance</legend>
        <div role="radiogroup" aria-label="Theme" className="segmented">
          {THEMES.map((t) => (
            <label key={t} className={settings.theme === t ? 'active' : ''}>
              <input
                type="radio"
                name="theme"
                value={t}
                checked={settings.theme === t}
                onChange={() => void save({ theme: t })}
                data-testid={`theme-${t}`}
              />
              {t[0]?.toUpperCase()}
              {t.slice(1)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Privacy</legend>
        <label className="toggle">
          <input
            type="checkbox"
            checked={settings.offlineOnly}
            onChange={(e) => void save({ offlineOnly: e.target.checked })}
            data-testid="offline-only"
          />
          Offline only — nothing leaves this machine (cloud providers, model downloads, cluster and notifications are refused, except the
          destinations you allow below)
        </label>
        <EgressAllowPanel allow={settings.egressAllow} offlineOnly={settings.offlineOnly} />
      </fieldset>
      <NotificationsPanel />
      <ProvidersPanel />
      <UsagePanel />
      <StoragePanel />
      <AppLockPanel />
      <DiagnosticsPanel />
      <LogPanel />
      <fieldset>
        <legend>About</legend>
        <dl className="facts">
          <dt>Version</dt>
          <dd>{status?.version}</dd>
          <dt>Runtime</dt>
          <dd>
            Node {status?.versions.node}
            {status?.versions.electron ? ` · Electron ${status.versions.electron}` : ''}
          </dd>
          <dt>Data</dt>
          <dd>{status?.dataDir}</dd>
        </dl>
      </fieldset>
    </section>
  );
}
