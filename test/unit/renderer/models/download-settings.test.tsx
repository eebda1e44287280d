// Models → Downloads: the download CA file field follows the saved setting, and a save main refuses (an unreadable file)
// keeps the saved value with main's typed error (scripted API; the real refusal through the dispatcher is in
// test/unit/security/ca-file-settings.test.ts, the download itself in test/integration/security/tls-clients.test.ts).
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvolveApi } from '../../../../common/contracts';
import { DEFAULT_SETTINGS, type SettingsPatch } from '../../../../common/contracts/settings';
import { setApi } from '../../../../renderer/api';
import { useStore } from '../../../../renderer/app/store';
import { DownloadSettings } from '../../../../renderer/features/models/DownloadSettings';

const CA = '/etc/ssl/mirror-ca.pem';
const REFUSAL = { code: 'INVALID_ARGUMENT', message: 'Cannot read the CA file /nope.pem: ENOENT: no such file or directory' };
let updates: SettingsPatch[];

beforeEach(() => {
  updates = [];
  setApi({
    settings: {
      update: async (p: SettingsPatch) => {
        updates.push(p);
        return p.modelDownloadCaFile === '/nope.pem'
          ? { ok: false, error: REFUSAL }
          : { ok: true, value: { ...(useStore.getState().settings ?? DEFAULT_SETTINGS), ...p } };
      },
    },
  } as unknown as EvolveApi);
  useStore.setState({ settings: null, settingsError: null });
});

function render(): string {
  const { settings, settingsError } = useStore.getState();
  Object.assign(useStore.getInitialState(), { settings, settingsError });
  return renderToString(<DownloadSettings />).replace(/<!-- -->/g, '');
}

describe('DownloadSettings', () => {
  it('is disabled until the settings are loaded, then shows the saved CA file', () => {
    expect(render()).toMatch(/<input[^>]*disabled=""[^>]*data-testid="model-download-ca-file" value=""/);
    useStore.setState({ settings: { ...DEFAULT_SETTINGS, modelDownloadCaFile: CA } });
    const html = render();
    expect(html).toContain(`data-testid="model-download-ca-file" value="${CA}"`);
    expect(html).not.toMatch(/disabled=""[^>]*data-testid="model-download-ca-file"/);
  });

  it("a refused file keeps the saved one and main's error; a good one is saved; empty clears it", async () => {
    useStore.setState({ settings: { ...DEFAULT_SETTINGS, modelDownloadCaFile: CA } });
    const save = useStore.getState().saveSettings;
    expect(await save({ modelDownloadCaFile: '/nope.pem' })).toBe(false);
    expect(useStore.getState().settings?.modelDownloadCaFile).toBe(CA);
    expect(useStore.getState().settingsError).toEqual(REFUSAL);
    expect(await save({ modelDownloadCaFile: null })).toBe(true);
    expect(useStore.getState().settings?.modelDownloadCaFile).toBeNull();
    expect(updates).toEqual([{ modelDownloadCaFile: '/nope.pem' }, { modelDownloadCaFile: null }]);
  });
});
