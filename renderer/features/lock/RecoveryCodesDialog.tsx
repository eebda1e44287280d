// The 10 recovery codes, shown once right after TOTP enrolment or regeneration: copy, download as a text file,
// and an "I saved them" confirmation before the dialog closes (main keeps only their hashes).
import { useState } from 'react';
import { useStore } from '../../app/store';

export function recoveryCodesText(codes: readonly string[]): string {
  return `Evolve Studio recovery codes (each works once, instead of an authenticator code)\n\n${codes.join('\n')}\n`;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function RecoveryCodesDialog() {
  const codes = useStore((s) => s.appLock.recoveryCodes);
  const dismiss = useStore((s) => s.dismissRecoveryCodes);
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  if (!codes) return null;
  return (
    <div className="modal-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="rc-title" className="modal" data-testid="recovery-codes-dialog">
        <h2 id="rc-title">Your recovery codes</h2>
        <p>
          Each code unlocks the app once in place of an authenticator code — keep them somewhere safe, away from this computer. They are
          shown <strong>only now</strong>.
        </p>
        <ol className="recovery-codes" data-testid="recovery-codes">
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <div className="row">
          <button
            type="button"
            onClick={() => void navigator.clipboard?.writeText(recoveryCodesText(codes)).then(() => setCopied(true))}
            data-testid="recovery-codes-copy"
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button type="button" onClick={() => download('evolve-studio-recovery-codes.txt', recoveryCodesText(codes))}>
            Download
          </button>
          <label className="toggle">
            <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} data-testid="recovery-codes-saved" />I saved
            them
          </label>
          <button type="button" disabled={!saved} onClick={dismiss} data-testid="recovery-codes-done">
            Done
          </button>
        </div>
      </div>
    </div>
  );
}
