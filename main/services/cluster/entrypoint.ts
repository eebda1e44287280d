// Builds the shell entrypoint Ray runs for a training job (`python ray_launch.py … --config-json '…'`).
import type { LaunchOptions, TrainingConfig } from '../../../common/cluster/training-config';

/** POSIX single-quote quoting: Ray runs the entrypoint with a shell, so the JSON must arrive as one argument. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function trainingEntrypoint(
  config: TrainingConfig,
  launch: LaunchOptions,
  opts: { resume?: boolean; python?: string } = {},
): string {
  const args = [
    opts.python ?? 'python',
    'ray_launch.py',
    '--num-nodes',
    String(launch.numNodes),
    '--nproc-per-node',
    String(launch.nprocPerNode),
    '--cpus-per-node',
    String(launch.cpusPerNode),
    '--gpus-per-node',
    String(launch.gpusPerNode),
    '--placement-timeout',
    String(launch.placementTimeoutS),
  ];
  if (opts.resume) args.push('--resume-from', 'auto');
  // Keys sorted so the same config always gives the same entrypoint (stable audit entries, easy diffing).
  const sorted = Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : 1)));
  args.push('--config-json', shellQuote(JSON.stringify(sorted)));
  return args.join(' ');
}
