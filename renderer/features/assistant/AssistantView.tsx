// Assistant section: chat and code generation. Until local inference is wired in, it shows the engine's real state.
import { BackendPanel } from '../shell/BackendPanel';

export function AssistantView() {
  return (
    <section className="section-body">
      <p className="lede">
        Ask questions about your code, generate and review changes with a local model — cloud models only when you allow it.
      </p>
      <BackendPanel backend="inference" title="Local model engine" />
    </section>
  );
}
