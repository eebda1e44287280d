// Speculative decoding of one model: the mode (auto = what was measured fastest on this machine), the draft
// model, the Measure button with its trials as they come in (cancellable), and the last measurement.
import type { LoadedModel } from '../../../common/inference/engine';
import type { RegistryEntry, SpeculationMode, SpeculationProbe } from '../../../common/inference/models';
import { useStore } from '../../app/store';

const MODE_LABEL: Record<SpeculationMode, string> = {
  auto: 'Auto (measured winner)',
  off: 'Off',
  lookup: 'Input lookup',
  draft: 'Draft model',
};

function trialText(t: SpeculationProbe['trials'][number]): string {
  const base = `${t.mode}: ${t.generationTokensPerSecond.toFixed(1)} tok/s`;
  return t.mode === 'off' ? base : `${base} (×${t.ratio.toFixed(2)}, ${t.acceptedDraftTokens} drafted tokens accepted)`;
}

export function SpeculationControl({ entry, loaded }: { entry: RegistryEntry; loaded: LoadedModel | undefined }) {
  const probe = useStore((s) => s.models.probes[entry.id]);
  const others = useStore((s) => s.models.list).filter((m) => m.id !== entry.id && !m.error);
  const { saveOverrides, measureSpeculation } = useStore.getState();
  const mode = entry.overrides?.speculation ?? 'auto';
  const last = entry.speculationProbe;
  return (
    <div className="row" data-testid="speculation">
      <label>
        Speculative decoding{' '}
        <select
          aria-label="Speculative decoding"
          value={mode}
          onChange={(e) => void saveOverrides(entry.id, { speculation: e.target.value as SpeculationMode })}
        >
          {Object.entries(MODE_LABEL).map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {mode === 'draft' && (
        <label>
          Draft{' '}
          <select
            aria-label="Draft model"
            value={entry.overrides?.draftModelId ?? ''}
            onChange={(e) => void saveOverrides(entry.id, { draftModelId: e.target.value || null })}
          >
            <option value="">(choose a smaller model with the same tokenizer)</option>
            {others.map((m) => (
              <option key={m.id} value={m.id}>
                {m.displayName}
              </option>
            ))}
          </select>
        </label>
      )}
      {probe ? (
        <>
          <span className="muted" data-testid="speculation-progress">
            Measuring… {probe.trials.map(trialText).join(' · ')}
          </span>
          <button type="button" onClick={probe.cancel}>
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          onClick={() => void measureSpeculation(entry.id)}
          title="Generates the same edit with each mode (about a minute)"
        >
          Measure
        </button>
      )}
      {last && !probe && (
        <span className="muted" data-testid="speculation-result">
          Measured {new Date(last.at).toLocaleString()}: {last.trials.map(trialText).join(' · ')} →{' '}
          {last.winner === 'off' ? 'no win here' : `${last.winner} wins`}
          {last.draftSkipped ? ` (draft not measured: ${last.draftSkipped})` : ''}
        </span>
      )}
      {loaded && (
        <span className="muted">
          Loaded{' '}
          {loaded.draftModelId ? `with draft ${loaded.draftModelId}` : loaded.speculative ? 'with input lookup' : 'without speculation'} (a
          change applies on the next load)
        </span>
      )}
    </div>
  );
}
