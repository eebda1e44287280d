// The security gate refused an apply (high-severity findings): the user may apply anyway only by giving a reason,
// which is audited (generation.gate_override).
import { useState } from 'react';
import { useStore } from '../../app/store';

export function OverrideDialog({ message }: { message: string }) {
  const apply = useStore((s) => s.applyReview);
  const dismiss = useStore((s) => s.dismissOverride);
  const [reason, setReason] = useState('');
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="override-title" data-testid="override-dialog">
        <h3 id="override-title">Blocked by the security gate</h3>
        <p>{message}</p>
        <p className="muted">Applying anyway is recorded in the audit log with your reason.</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) void apply(reason.trim());
          }}
        >
          <textarea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            rows={3}
            cols={50}
            placeholder="Why is this safe to apply?"
            data-testid="override-reason"
            autoFocus
          />
          <div className="row">
            <button type="submit" disabled={!reason.trim()} data-testid="override-apply">
              Apply anyway
            </button>
            <button type="button" onClick={dismiss} data-testid="override-cancel">
              Cancel
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
