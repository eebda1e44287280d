// Workspace trust, asked the first time a project is opened: until trusted, none of its code, tests or
// configuration runs (codegen checks refuse); reading and editing files works either way.
import { useStore } from '../../app/store';

export function TrustPrompt({ name }: { name: string }) {
  const decide = useStore((s) => s.setProjectTrust);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="trust-title" data-testid="trust-prompt">
        <h3 id="trust-title">Do you trust the code in {name}?</h3>
        <p>
          Trusting lets Evolve run this project&apos;s tests, linters and configuration when it checks generated code. Without trust you can
          still read and edit files, but nothing from the project runs.
        </p>
        <div className="row">
          <button type="button" className="primary" onClick={() => void decide(true)} data-testid="trust-yes">
            Trust this project
          </button>
          <button type="button" onClick={() => void decide(false)} data-testid="trust-no">
            Don&apos;t trust (restricted)
          </button>
        </div>
      </div>
    </div>
  );
}
