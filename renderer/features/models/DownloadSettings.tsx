// Models → Downloads: the CA file trusted for model downloads (a company mirror of Hugging Face behind a private CA).
import { useState } from 'react';
import { useStore } from '../../app/store';
import type { UiError } from '../../lib/errors';

export function DownloadSettings() {
  const saved = useStore((s) => s.settings?.modelDownloadCaFile ?? null);
  const loaded = useStore((s) => s.settings !== null);
  const save = useStore((s) => s.saveSettings);
  // null = untouched: the field follows the saved value (settings load after the first render).
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<UiError | null>(null);
  const value = draft ?? saved ?? '';
  const submit = async () => {
    if (await save({ modelDownloadCaFile: value.trim() || null })) {
      setDraft(null);
      setProblem(null);
    } else setProblem(useStore.getState().settingsError);
  };
  return (
    <fieldset data-testid="model-downloads-settings">
      <legend>Downloads</legend>
      <p className="hint">
        Downloads check the server&apos;s certificate against the system&apos;s CAs. A mirror behind a private CA needs that CA&apos;s
        certificate here (added to the system&apos;s, never instead of them).
      </p>
      <div className="row">
        <label>
          CA file (PEM, optional){' '}
          <input
            value={value}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="/etc/ssl/company-ca.pem"
            disabled={!loaded}
            data-testid="model-download-ca-file"
          />
        </label>
        <button type="button" onClick={() => void submit()} disabled={!loaded || draft === null} data-testid="model-download-ca-save">
          Save
        </button>
      </div>
      {problem && (
        <p role="alert" className="error-text" data-testid="model-download-ca-error">
          {problem.message}
        </p>
      )}
    </fieldset>
  );
}
