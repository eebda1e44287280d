// What a model can do, read from its GGUF (chat template or base, FIM tokens, context length), its role in the app,
// and its licence with the shipped licence/notice files viewable.
import type { CatalogEntry, ModelMetadata } from '../../../common/inference/models';
import { useStore } from '../../app/store';

export function ModelAbilities({ md, catalogEntry }: { md: ModelMetadata; catalogEntry: CatalogEntry | undefined }) {
  const defaultId = useStore((s) => s.models.defaultModelId);
  const fim = md.fim;
  return (
    <div className="row abilities" data-testid="model-abilities">
      {catalogEntry?.id === defaultId && <span className="badge ok-text">Default coding model</span>}
      {catalogEntry && !catalogEntry.instructionTuned && catalogEntry.recommendedFor.includes('tests') && (
        <span className="badge">base model — for tests</span>
      )}
      <span className="badge" data-testid="ability-chat">
        {md.hasChatTemplate ? 'Instruct: chat template' : 'Base model: no chat template (continues text)'}
      </span>
      <span className="badge" data-testid="ability-fim" title={fim?.tokens ? Object.values(fim.tokens).join(' ') : undefined}>
        {fim === undefined
          ? 'FIM: not checked yet'
          : fim.supported && fim.tokens
            ? `FIM: ${fim.tokens.prefix} ${fim.tokens.suffix} ${fim.tokens.middle}${fim.tokens.fileSep ? ' + repo-level' : ''}`
            : 'No FIM tokens'}
      </span>
      <span className="badge" data-testid="ability-context">
        Context {md.contextLength !== undefined ? md.contextLength.toLocaleString('en') : 'unknown'} tokens
      </span>
    </div>
  );
}

/** Licence name plus, for catalog models that ship licence files, a disclosure that fetches and shows them. */
export function LicenseLine({ catalogEntry, fromFile }: { catalogEntry: CatalogEntry | undefined; fromFile?: string | undefined }) {
  const texts = useStore((s) => (catalogEntry ? s.models.licenses[catalogEntry.id] : undefined));
  const loadLicense = useStore((s) => s.loadLicense);
  const name = catalogEntry?.license ?? fromFile ?? 'unknown (not a catalog model: check where the file came from)';
  return (
    <div className="muted" data-testid="model-license">
      Licence: <strong>{name}</strong>
      {catalogEntry && catalogEntry.licenseFiles.length > 0 && (
        <details onToggle={(e) => e.currentTarget.open && void loadLicense(catalogEntry.id)} data-testid="license-details">
          <summary>View licence and notice</summary>
          {texts === undefined && <p>Loading…</p>}
          {texts && 'error' in texts && <p className="error-text">{texts.error.message}</p>}
          {texts &&
            'files' in texts &&
            texts.files.map((f) => (
              <section key={f.name}>
                <h4>{f.name}</h4>
                <pre className="license-text" data-testid={`license-file-${f.name}`}>
                  {f.text}
                </pre>
              </section>
            ))}
        </details>
      )}
    </div>
  );
}
