// Training wizard: strategy, nodes, steps, batch, LR and schedule, precision, checkpoints and self-healing → TrainingConfig → submit.
import { useState } from 'react';
import { LR_SCHEDULES, PRECISIONS, STRATEGIES, TrainingConfigSchema } from '../../../common/cluster/training-config';
import { useStore } from '../../app/store';
import { useRoleGate } from './roles-store';
import { buildSubmit, WIZARD_DEFAULTS, type WizardForm } from './wizard-config';

const STRATEGY_HELP: Record<(typeof STRATEGIES)[number], string> = {
  ddp: 'Data parallel (DDP): every node holds the model and trains on its share of the data.',
  fsdp: 'Sharded (FSDP): parameters and optimizer state are split across nodes.',
  pipeline: 'Pipeline parallel: layers are split into stages on different nodes.',
  hybrid: 'Hybrid: pipeline stages, each replicated with data parallelism.',
  fedavg: 'Federated averaging: nodes train locally and average weights periodically.',
};

export function TrainingWizard() {
  const submit = useStore((s) => s.submitTrainingJob);
  const submitting = useStore((s) => s.cluster.submitting);
  const profileId = useStore((s) => s.cluster.profileId);
  const gate = useRoleGate(profileId, 'job.submit');
  const [f, setF] = useState<WizardForm>(WIZARD_DEFAULTS);
  const set = (p: Partial<WizardForm>) => setF((prev) => ({ ...prev, ...p }));
  const built = buildSubmit(f);
  const check = TrainingConfigSchema.safeParse(built.config);
  const problems = check.success ? [] : check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const num = (label: string, key: keyof WizardForm, testId: string, step = 1, min = 0) => (
    <label>
      {label}
      <input
        type="number"
        step={step}
        min={min}
        value={Number(f[key])}
        data-testid={testId}
        onChange={(e) => set({ [key]: Number(e.target.value) } as Partial<WizardForm>)}
      />
    </label>
  );
  const select = <T extends string>(label: string, key: keyof WizardForm, options: readonly T[], testId: string) => (
    <label>
      {label}
      <select value={String(f[key])} data-testid={testId} onChange={(e) => set({ [key]: e.target.value } as Partial<WizardForm>)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form
      className="provider-form training-wizard"
      data-testid="training-wizard"
      onSubmit={(e) => {
        e.preventDefault();
        if (problems.length === 0) void submit(built);
      }}
    >
      <fieldset>
        <legend>Run</legend>
        <label>
          Name
          <input value={f.name} data-testid="train-name" onChange={(e) => set({ name: e.target.value })} />
        </label>
        {select('Strategy', 'strategy', STRATEGIES, 'train-strategy')}
        <p className="hint">{STRATEGY_HELP[f.strategy]}</p>
        {num('Nodes', 'numNodes', 'train-nodes', 1, 1)}
        {num('CPUs per node', 'cpusPerNode', 'train-cpus', 1, 1)}
      </fieldset>
      <fieldset>
        <legend>Optimisation</legend>
        {num('Steps', 'maxSteps', 'train-steps', 1, 1)}
        {num('Batch size (per node)', 'batchSize', 'train-batch', 1, 1)}
        {num('Learning rate', 'lr', 'train-lr', 0.0001, 0)}
        {select('LR schedule', 'schedule', LR_SCHEDULES, 'train-schedule')}
        {num('Warmup steps', 'warmup', 'train-warmup', 1, 0)}
        {select('Mixed precision', 'precision', PRECISIONS, 'train-precision')}
        {num('Log every (steps)', 'logEvery', 'train-log-every', 1, 1)}
      </fieldset>
      <fieldset>
        <legend>Checkpoints and self-healing</legend>
        {num('Checkpoint every (steps, 0 = off)', 'checkpointEvery', 'train-ckpt-every', 1, 0)}
        <label>
          Checkpoint folder on the cluster (shared by all nodes)
          <input value={f.checkpointDir} data-testid="train-ckpt-dir" onChange={(e) => set({ checkpointDir: e.target.value })} />
        </label>
        {num('Evaluate every (steps, 0 = off)', 'evalEvery', 'train-eval-every', 1, 0)}
        {num('Keep newest checkpoints', 'keepLast', 'train-keep-last', 1, 1)}
        {num('Also keep best by validation loss', 'keepBest', 'train-keep-best', 1, 0)}
        {f.keepBest > 0 && f.checkpointEvery > 0 && (f.evalEvery === 0 || f.checkpointEvery % f.evalEvery !== 0) && (
          <p className="hint" data-testid="train-keep-best-hint">
            A checkpoint's validation loss is the evaluation at its own step: with {f.evalEvery === 0 ? 'no evaluation' : 'these intervals'}{' '}
            only the newest checkpoints are kept. Make checkpoint-every a multiple of evaluate-every.
          </p>
        )}
        {num('Automatic restarts from the last checkpoint', 'maxRestarts', 'train-restarts', 1, 0)}
        {(f.checkpointEvery === 0 || !f.checkpointDir.trim()) && f.maxRestarts > 0 && (
          <p className="hint">Without checkpoints a failed job cannot be resumed, so it will not be restarted.</p>
        )}
      </fieldset>
      {problems.length > 0 && (
        <ul className="error-text" role="alert" data-testid="train-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="row">
        <button
          type="submit"
          data-testid="train-submit"
          disabled={submitting || problems.length > 0 || !profileId || gate.disabled}
          title={gate.title}
        >
          {submitting ? 'Uploading code and submitting…' : 'Submit training job'}
        </button>
        {!profileId && <span className="hint">Add a cluster profile first.</span>}
      </div>
    </form>
  );
}
