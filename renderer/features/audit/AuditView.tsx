// Audit section: the tamper-evident log lives in the encrypted store; shows the store's state until it lands.
import { BackendPanel } from '../shell/BackendPanel';

export function AuditView() {
  return (
    <section className="section-body">
      <p className="lede">Every key access, provider send, applied file and cluster action, in a hash-chained log you can verify.</p>
      <BackendPanel backend="database" title="Audit log store" />
      <BackendPanel backend="keychain" title="Keychain" />
    </section>
  );
}
