// Cluster section: Ray cluster connection state (profiles, jobs and monitoring arrive with the cluster feature).
import { BackendPanel } from '../shell/BackendPanel';

export function ClusterView() {
  return (
    <section className="section-body">
      <p className="lede">Submit multi-node PyTorch training to a Ray cluster, follow logs and metrics, and watch node health.</p>
      <BackendPanel backend="cluster" title="Ray cluster" />
    </section>
  );
}
