// Models section: where local models live and the engine's state.
import { useStore } from '../../app/store';
import { BackendPanel } from '../shell/BackendPanel';

export function ModelsView() {
  const cacheDir = useStore((s) => s.status?.modelCacheDir);
  return (
    <section className="section-body">
      <p className="lede">GGUF models run on this machine. Downloaded and imported models are kept in the model cache.</p>
      <dl className="facts">
        <dt>Model cache</dt>
        <dd data-testid="models-cache-dir">{cacheDir ?? '…'}</dd>
      </dl>
      <BackendPanel backend="inference" title="Local model engine" />
    </section>
  );
}
