// Models section: the engine (GPU backend, memory, threads), models on this machine with fit estimates,
// manual GPU-layer/context overrides, load/unload; the catalog with resumable downloads; imports and folders.
import { useEffect, useState } from 'react';
import { catalogEntryFor } from '../../../common/inference/model-choice';
import { useStore } from '../../app/store';
import { BackendPanel } from '../shell/BackendPanel';
import { DownloadSettings } from './DownloadSettings';
import { LicenseLine } from './ModelAbilities';
import { ModelRow } from './ModelRow';

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

function EngineCard() {
  const e = useStore((s) => s.models.engine);
  if (!e) return <BackendPanel backend="inference" title="Local model engine" />;
  return (
    <dl className="facts" data-testid="engine-info">
      <dt>Backend</dt>
      <dd data-testid="engine-backend">
        {e.backend.toUpperCase()}
        {e.gpuDevices.length ? ` — ${e.gpuDevices.join(', ')}` : ''}
      </dd>
      <dt>Memory</dt>
      <dd>
        RAM {gib(e.ram.free)} free of {gib(e.ram.total)}
        {e.vram.total > 0 ? ` · VRAM ${gib(e.vram.free)} free of ${gib(e.vram.total)}` : ''}
      </dd>
      <dt>Threads</dt>
      <dd>
        {e.threads ?? 'measured at first load'} (of {e.cpuCores} cores)
      </dd>
      <dt>Engine</dt>
      <dd>
        node-llama-cpp {e.nodeLlamaCppVersion} · llama.cpp {e.llamaCppRelease}
      </dd>
    </dl>
  );
}

function Catalog() {
  const catalog = useStore((s) => s.models.catalog);
  const list = useStore((s) => s.models.list);
  const downloads = useStore((s) => s.models.downloads);
  const download = useStore((s) => s.downloadModel);
  return (
    <table className="models-table" data-testid="catalog">
      <thead>
        <tr>
          <th>Recommended</th>
          <th>Size</th>
          <th>Quant</th>
          <th>Context</th>
          <th>Licence</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {catalog.map((c) => {
          const d = downloads[c.id];
          const have = list.some((m) => catalogEntryFor(m, [c]) !== undefined);
          return (
            <tr key={c.id}>
              <td>
                <strong>{c.name}</strong>
                {c.instructionTuned ? '' : ' (base model)'}
                <div className="muted">{c.description}</div>
              </td>
              <td>
                {c.sizeIsApproximate ? '≈' : ''}
                {mib(c.sizeBytes)}
              </td>
              <td>{c.quantization}</td>
              <td>{c.contextLength}</td>
              <td>
                <LicenseLine catalogEntry={c} />
              </td>
              <td>
                {have ? (
                  'Installed'
                ) : d && !d.error ? (
                  <span className="row">
                    <progress max={d.total ?? undefined} value={d.received} aria-label={`Downloading ${c.name}`} />
                    {mib(d.received)} · {mib(d.rate)}/s
                    <button type="button" onClick={d.cancel}>
                      Cancel
                    </button>
                  </span>
                ) : (
                  <>
                    <button type="button" onClick={() => void download(c.id)}>
                      {d?.error ? 'Resume' : 'Download'}
                    </button>
                    {d?.error && <span className="error-text"> {d.error.code === 'CANCELLED' ? 'Paused' : d.error.message}</span>}
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Folders() {
  const folders = useStore((s) => s.models.folders);
  const add = useStore((s) => s.addModelFolder);
  const remove = useStore((s) => s.removeModelFolder);
  const importModel = useStore((s) => s.importModel);
  const [p, setP] = useState('');
  return (
    <fieldset>
      <legend>Use models from other apps, in place</legend>
      <ul className="folders">
        {folders.map((f) => (
          <li key={f.path}>
            <code>{f.path}</code> <span className="muted">({f.source})</span>{' '}
            {f.source === 'folder' && (
              <button type="button" className="link" onClick={() => void remove(f.path)}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="row">
        <input
          value={p}
          onChange={(e) => setP(e.target.value)}
          placeholder="/path/to/models or /path/to/model.gguf"
          aria-label="Folder or GGUF path"
        />
        <button type="button" disabled={!p.trim()} onClick={() => void add(p.trim())}>
          Watch folder
        </button>
        <button type="button" disabled={!p.trim().toLowerCase().endsWith('.gguf')} onClick={() => void importModel(p.trim())}>
          Import file
        </button>
      </div>
    </fieldset>
  );
}

export function ModelsView() {
  const m = useStore((s) => s.models);
  const cacheDir = useStore((s) => s.status?.modelCacheDir);
  const loadModels = useStore((s) => s.loadModels);
  useEffect(() => void loadModels(), [loadModels]);
  return (
    <section className="section-body wide">
      <EngineCard />
      {m.error && (
        <p role="alert" className="error-text" data-testid="models-error">
          {m.error.message}
        </p>
      )}
      <h3>On this machine</h3>
      <p className="muted">
        Model cache: <span data-testid="models-cache-dir">{cacheDir ?? '…'}</span>
      </p>
      <div className="model-list" data-testid="model-list">
        {m.list.map((e) => (
          <ModelRow key={e.id} entry={e} />
        ))}
        {m.list.length === 0 && (
          <p className="lede">
            No models yet: download one below, or run `bash scripts/models/setup-coding-model.sh` for the default coding model.
          </p>
        )}
      </div>
      <h3>Catalog</h3>
      <Catalog />
      <DownloadSettings />
      <Folders />
    </section>
  );
}
