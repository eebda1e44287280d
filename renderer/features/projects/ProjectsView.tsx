// Projects section: project folders and their index. Shows the store's real state until projects land.
import { BackendPanel } from '../shell/BackendPanel';

export function ProjectsView() {
  return (
    <section className="section-body">
      <p className="lede">
        Open a project folder to index it (syntax-aware chunks, local embeddings, full-text search) and use it as context.
      </p>
      <BackendPanel backend="database" title="Encrypted project store" />
    </section>
  );
}
