// "What will be sent" preview, the "try it" box that streams through the router, and the routing decision explained.
import { useState } from 'react';
import type { RoutingDecision } from '../../../common/providers/types';
import { CAPABILITIES, type Capability } from '../../../common/providers/types';
import { useStore } from '../../app/store';

export function DecisionView({ decision, testId }: { decision: RoutingDecision; testId: string }) {
  return (
    <div className="decision" data-testid={testId}>
      <p>
        <strong>Why:</strong> {decision.summary}
      </p>
      <ol>
        {decision.candidates.map((c, i) => (
          <li key={`${c.providerId}-${i}`} className={`verdict verdict-${c.status}`}>
            <code>
              {c.providerId} / {c.model}
            </code>{' '}
            — {c.status} ({c.reason}): {c.explanation}
            {c.estimatedCostUsd !== undefined ? ` · est. $${c.estimatedCostUsd.toFixed(6)}` : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}

export function PreviewBox() {
  const entries = useStore((s) => s.providers.entries);
  const preview = useStore((s) => s.providers.preview);
  const run = useStore((s) => s.previewPrompt);
  const [providerId, setProviderId] = useState('');
  const [prompt, setPrompt] = useState('');
  const chosen = providerId || entries.find((e) => e.leavesMachine)?.config.id || entries[0]?.config.id || '';
  return (
    <fieldset data-testid="preview-box">
      <legend>What will be sent</legend>
      <p className="hint">
        Secrets and personal data are replaced before anything leaves this machine. This is byte-for-byte what the provider receives.
      </p>
      <label>
        Provider{' '}
        <select value={chosen} onChange={(e) => setProviderId(e.target.value)} data-testid="preview-provider">
          {entries.map((e) => (
            <option key={e.config.id} value={e.config.id}>
              {e.config.label} ({e.config.id})
            </option>
          ))}
        </select>
      </label>
      <textarea
        className="prompt-input"
        aria-label="Prompt to preview"
        rows={3}
        value={prompt}
        onChange={(e) => setPrompt(e.target.value)}
        onBlur={() => void run(chosen, prompt)}
        data-testid="preview-input"
      />
      <button type="button" onClick={() => void run(chosen, prompt)} disabled={!chosen || !prompt} data-testid="preview-run">
        Preview
      </button>
      {preview && (
        <div data-testid="preview-result">
          <p data-testid="preview-counts">
            {preview.leavesMachine
              ? `${preview.total} item${preview.total === 1 ? '' : 's'} redacted${
                  preview.total
                    ? `: ${Object.entries(preview.counts)
                        .map(([k, n]) => `${k} × ${n}`)
                        .join(', ')}`
                    : ''
                } · ~${preview.estimatedPromptTokens} tokens`
              : `Stays on this machine: nothing is redacted · ~${preview.estimatedPromptTokens} tokens`}
          </p>
          <pre className="preview-text" data-testid="preview-text">
            {preview.prompt ?? preview.messages?.map((m) => `${m.role}: ${m.content}`).join('\n')}
          </pre>
          <DecisionView decision={preview.plan} testId="preview-plan" />
        </div>
      )}
    </fieldset>
  );
}

export function TryItBox() {
  const t = useStore((s) => s.providers.tryIt);
  const send = useStore((s) => s.tryPrompt);
  const cancel = useStore((s) => s.cancelTry);
  const [capability, setCapability] = useState<Capability>('generate');
  const [prompt, setPrompt] = useState('');
  const [deterministic, setDeterministic] = useState(false);
  return (
    <fieldset data-testid="try-it">
      <legend>Try it</legend>
      <div className="row">
        <label>
          Task{' '}
          <select value={capability} onChange={(e) => setCapability(e.target.value as Capability)} data-testid="try-capability">
            {CAPABILITIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={deterministic}
            onChange={(e) => setDeterministic(e.target.checked)}
            data-testid="try-deterministic"
          />{' '}
          Deterministic (temperature 0, cacheable)
        </label>
      </div>
      <textarea
        className="prompt-input"
        aria-label="Prompt to send"
        rows={3}
        value={prompt}
        onChange={(e) => setPrompt(e.target.value)}
        data-testid="try-input"
      />
      <div className="row">
        <button
          type="button"
          disabled={t.running || !prompt.trim()}
          onClick={() => void send(capability, prompt, deterministic ? 0 : 0.7)}
          data-testid="try-send"
        >
          Send through the router
        </button>
        {t.running && (
          <button type="button" onClick={cancel}>
            Stop
          </button>
        )}
      </div>
      {t.log.length > 0 && (
        <ul className="hint" data-testid="try-log">
          {t.log.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      )}
      {(t.text || t.running) && (
        <pre className="preview-text" aria-live="polite" data-testid="try-output">
          {t.text || '…'}
        </pre>
      )}
      {t.result?.usage && (
        <p data-testid="try-usage">
          {t.result.usage.promptTokens} prompt + {t.result.usage.completionTokens} completion tokens
          {t.result.usage.estimated ? ' (estimated)' : ''}
        </p>
      )}
      {t.error && (
        <p role="alert" className="error-text" data-testid="try-error">
          {t.error.code}: {t.error.message}
        </p>
      )}
      {t.result?.decision && <DecisionView decision={t.result.decision} testId="try-decision" />}
    </fieldset>
  );
}
