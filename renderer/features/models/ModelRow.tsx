// One registered model: what the file is and can do, its licence, whether it fits, manual GPU layers / context, load and unload.
import { useState } from 'react';
import { catalogEntryFor } from '../../../common/inference/model-choice';
import type { RegistryEntry } from '../../../common/inference/models';
import { useStore } from '../../app/store';
import { LicenseLine, ModelAbilities } from './ModelAbilities';
import { SpeculationControl } from './SpeculationControl';

const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const parseOverride = (v: string): number | 'auto' => (v.trim() === '' || v === 'auto' ? 'auto' : Number(v));

export function ModelRow({ entry }: { entry: RegistryEntry }) {
  const loaded = useStore((s) => s.models.loaded.find((l) => l.modelId === entry.id));
  const busy = useStore((s) => s.models.busy[entry.id]);
  const estimate = useStore((s) => s.models.estimates[entry.id]);
  const catalog = useStore((s) => s.models.catalog);
  const catalogEntry = catalogEntryFor(entry, catalog);
  const { loadModel, unloadModel, estimateModel, saveOverrides } = useStore.getState();
  const [gpu, setGpu] = useState(String(entry.overrides?.gpuLayers ?? 'auto'));
  const [ctx, setCtx] = useState(String(entry.overrides?.contextSize ?? 'auto'));
  const md = entry.metadata;
  return (
    <div className={`model-row ${entry.error ? 'broken' : ''}`} data-testid="model-row">
      <div>
        <strong>{entry.displayName}</strong> <span className="muted">({entry.source})</span>
        {md && (
          <div className="muted">
            {md.architecture} · {md.sizeLabel ?? `${(md.parameterCount / 1e6).toFixed(0)}M params`} · {md.quantization} · context{' '}
            {md.contextLength ?? '?'} · {gib(entry.sizeBytes)}
          </div>
        )}
        {md && <ModelAbilities md={md} catalogEntry={catalogEntry} />}
        <LicenseLine catalogEntry={catalogEntry} fromFile={md?.license} />
        {entry.error && (
          <div className="error-text" data-testid="model-error">
            {entry.error.message}
          </div>
        )}
        {estimate && (
          <div className={estimate.fits ? 'ok-text' : 'error-text'} data-testid="model-estimate">
            {estimate.fits ? 'Fits' : 'Does not fit'}: {estimate.gpuLayers}/{estimate.totalLayers} layers on GPU, context{' '}
            {estimate.contextSize}, RAM {gib(estimate.ramBytes)}, VRAM {gib(estimate.vramBytes)}
            {estimate.suggestion ? ` — ${estimate.suggestion}` : ''}
          </div>
        )}
        {loaded && (
          <div className="ok-text">
            Loaded: context {loaded.contextSize}, {loaded.gpuLayers}/{loaded.totalLayers} GPU layers, {loaded.threads} threads,{' '}
            {loaded.promptFormat}
          </div>
        )}
      </div>
      {!entry.error && (
        <div className="row">
          <label>
            GPU layers <input size={5} value={gpu} onChange={(e) => setGpu(e.target.value)} aria-label="GPU layers" />
          </label>
          <label>
            Context <input size={7} value={ctx} onChange={(e) => setCtx(e.target.value)} aria-label="Context size" />
          </label>
          <button
            type="button"
            onClick={() => void saveOverrides(entry.id, { gpuLayers: parseOverride(gpu), contextSize: parseOverride(ctx) })}
          >
            Save
          </button>
          <button type="button" onClick={() => void estimateModel(entry.id)}>
            Check fit
          </button>
          {loaded ? (
            <button type="button" disabled={!!busy} onClick={() => void unloadModel(entry.id)}>
              {busy ?? 'Unload'}
            </button>
          ) : (
            <button type="button" disabled={!!busy} onClick={() => void loadModel(entry.id)} data-testid="model-load">
              {busy ?? 'Load'}
            </button>
          )}
        </div>
      )}
      {!entry.error && entry.metadata?.hasChatTemplate && <SpeculationControl entry={entry} loaded={loaded} />}
    </div>
  );
}
