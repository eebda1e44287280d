// Failure scenarios reproduced on a real local Ray cluster, each with the FailureClass the diagnosis must name.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FailureClass } from '../../../common/cluster/diagnosis';
import { TrainingConfigSchema, type TrainingConfigInput } from '../../../common/cluster/training-config';
import { shellQuote, trainingEntrypoint } from '../../../main/services/cluster/entrypoint';
import { REPO_ROOT } from './prometheus-stack';
import { waitFor } from './processes';
import type { RayCluster } from './ray-cluster';

export const TRAINING_DIR = path.join(REPO_ROOT, 'resources/training');
export const FAILURE_JOBS_DIR = path.join(REPO_ROOT, 'test/fixtures/cluster/failure-jobs');

/** What a scenario's `during` step can see of its running job. */
export interface LiveJob {
  submissionId: string;
  /** The job's log so far (Ray's job log API). */
  logs(): Promise<string>;
  /** Resolves when every non-disruptive scenario has failed and its evidence is collected. */
  othersDone: Promise<void>;
}

export interface ScenarioJob {
  /** Folder packaged as the job's working_dir (content-addressed: the shipped trainer uploads once). */
  workingDir: string;
  /** The Ray job entrypoint (a shell command). */
  entrypoint: string;
  /** Runs while the job is live: the outside fault (kill a node, kill a DataLoader worker). */
  during?: (job: LiveJob) => Promise<void>;
  /**
   * Ground truth, independent of the classifier: null when the intended fault really happened, else what went
   * differently. A job that failed for another reason (a launcher timeout on a loaded machine) is "not
   * reproduced", never a classifier miss.
   */
  confirm: (job: { log: string; message: string | null }) => string | null;
  /** Undo what the scenario set up outside its scratch dir (a cgroup). Runs after `confirm`. */
  cleanup?: () => void;
}

export interface FailureScenario {
  id: string;
  expected: FailureClass;
  /** One line: how the failure is produced here. */
  how: string;
  /** For python-exception: the training file (working-dir relative) the diagnosis must point at. */
  expectLocation?: string;
  /** Disruptive scenarios (a node kill) inject their fault only after all others are collected. */
  disruptive?: boolean;
  /** Why it cannot run on this machine, or null. */
  unavailable?: () => string | null;
  /** `scratch` is an empty directory of this scenario's own, removed afterwards. */
  prepare(ctx: { cluster: RayCluster; scratch: string }): Promise<ScenarioJob> | ScenarioJob;
}

// run_name is one neutral word: it is printed in the entrypoint line the classifier reads.
const trainer = (config: TrainingConfigInput): string =>
  `python train.py --config-json ${shellQuote(JSON.stringify(TrainingConfigSchema.parse(config)))}`;
const rayLaunch = (config: TrainingConfigInput, numNodes: number): string =>
  trainingEntrypoint(TrainingConfigSchema.parse(config), {
    numNodes,
    nprocPerNode: 1,
    cpusPerNode: 1,
    gpusPerNode: 0,
    placementTimeoutS: 60,
  });

/**
 * A copy of the shipped trainer with one edit, as a user who changed the training code would submit it.
 * The shipped files are never touched; an edit that no longer applies fails loudly instead of passing silently.
 */
function editedTrainer(scratch: string, file: string, from: string, to: string): string {
  const dir = path.join(scratch, 'training');
  fs.cpSync(TRAINING_DIR, dir, { recursive: true, filter: (src) => !src.includes('__pycache__') });
  const target = path.join(dir, file);
  const text = fs.readFileSync(target, 'utf8');
  if (!text.includes(from)) throw new Error(`scenario edit no longer applies: ${JSON.stringify(from)} not found in ${file}`);
  fs.writeFileSync(target, text.replace(from, to));
  return dir;
}

/** Shell lines that write the shard dataset the loader scenarios read (numpy .npy shards) and train on it. */
const prepareShards = (data: string) => `python shard_train.py prepare --data-dir ${shellQuote(data)} --shards 8`;
const trainShards = (data: string, extra = '') => `python shard_train.py train --data-dir ${shellQuote(data)}${extra}`;

/**
 * A DataLoader's forked workers: python processes running `script` with `marker` in their arguments whose parent
 * is one too (the job's `sh -c` line also holds both words, so the shell and the main process are not taken).
 */
export function dataLoaderWorkers(script: string, marker: string): number[] {
  const argv = (pid: string) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      return [];
    }
  };
  const ppid = (pid: string) => {
    try {
      return /^\d+ \(.*\) \S (\d+)/.exec(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? '';
    } catch {
      return '';
    }
  };
  const runs = fs.readdirSync('/proc').filter((p) => {
    const a = argv(p);
    return /python/.test(path.basename(a[0] ?? '')) && (a[1] ?? '').endsWith(script) && a.includes(marker);
  });
  return runs.filter((p) => runs.includes(ppid(p))).map(Number);
}

/** cgroup v1 memory controller we may write (root in this container); v2 needs `memory` delegated. */
export function memoryCgroupRoot(): { root: string; limitFile: string } | null {
  const v1 = '/sys/fs/cgroup/memory';
  if (fs.existsSync(path.join(v1, 'memory.limit_in_bytes'))) {
    try {
      fs.accessSync(v1, fs.constants.W_OK);
      return { root: v1, limitFile: 'memory.limit_in_bytes' };
    } catch {
      return null;
    }
  }
  const v2 = '/sys/fs/cgroup';
  try {
    if (fs.readFileSync(path.join(v2, 'cgroup.subtree_control'), 'utf8').includes('memory')) {
      fs.accessSync(v2, fs.constants.W_OK);
      return { root: v2, limitFile: 'memory.max' };
    }
  } catch {
    return null;
  }
  return null;
}

function unshareTmpfsWorks(): string | null {
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt && echo ok'], { encoding: 'utf8' });
  return r.stdout.includes('ok') ? null : `unshare -rm + tmpfs mount is not allowed here: ${(r.stderr ?? '').trim().slice(0, 200)}`;
}

/** The trainer's IP for harness node i is 127.0.0.(2+i); node 0 is the head, which must not be killed. */
export function workerIndexOf(ip: string): number | null {
  const m = /^127\.0\.0\.(\d+)$/.exec(ip);
  const i = m ? Number(m[1]) - 2 : -1;
  return i >= 1 ? i : null;
}

/** `confirm` for a fault that shows as a line the scenario's own code or tool prints. */
const logShows =
  (what: RegExp) =>
  ({ log }: { log: string }): string | null =>
    what.test(log) ? null : `the log never shows ${what}`;

export const FAILURE_SCENARIOS: FailureScenario[] = [
  {
    id: 'node-lost-worker-killed',
    expected: 'node-lost',
    how: 'two-node DDP through ray_launch; the worker node holding a trainer is SIGKILLed (whole process group) mid-run',
    disruptive: true,
    prepare: ({ cluster }) => ({
      workingDir: TRAINING_DIR,
      entrypoint: rayLaunch({ run_name: 'mlp', max_steps: 5000, log_every: 1, step_sleep_s: 0.3 }, 2),
      during: async (job) => {
        await waitFor('the trainer to log a step', async () => (await job.logs()).includes('"evolve_metric"'), {
          timeoutMs: 480_000,
          intervalMs: 1000,
        });
        await job.othersDone;
        const launch = /"evolve_event":"launch","nodes":(\[[^\]]*\])/.exec(await job.logs());
        const ips = launch ? (JSON.parse(launch[1] ?? '[]') as string[]) : [];
        // Prefer the node not running rank 0, so rank 0's own lines (the launcher's view) stay in the log.
        const victim = [...ips.slice(1), ...ips.slice(0, 1)].map(workerIndexOf).find((i) => i !== null);
        if (victim === undefined || victim === null) throw new Error(`no worker node in the launch event (${ips.join(', ')})`);
        await cluster.killWorker(victim);
      },
      confirm: logShows(/"evolve_event":"failed","reason":"node lost"/),
    }),
  },
  {
    id: 'python-exception-shape-bug',
    expected: 'python-exception',
    expectLocation: 'evolve_training/models.py',
    how: "ray_launch on one node with a copy of the trainer whose output layer was edited to the wrong width (torch's shape error)",
    prepare: ({ scratch }) => ({
      workingDir: editedTrainer(
        scratch,
        'evolve_training/models.py',
        'layers.append(nn.Linear(cfg.hidden_dim, cfg.output_dim))',
        'layers.append(nn.Linear(cfg.hidden_dim + 1, cfg.output_dim))',
      ),
      entrypoint: rayLaunch({ run_name: 'mlp', max_steps: 20 }, 1),
      confirm: logShows(/mat1 and mat2 shapes cannot be multiplied/),
    }),
  },
  {
    id: 'python-exception-name-error',
    expected: 'python-exception',
    expectLocation: 'evolve_training/models.py',
    how: 'train.py alone with a copy of the trainer whose loss function refers to an undefined name',
    prepare: ({ scratch }) => ({
      workingDir: editedTrainer(
        scratch,
        'evolve_training/models.py',
        'return lambda out, target: F.mse_loss(out.float(), target)',
        'return lambda out, target: F.mse_loss(out.float(), targets)',
      ),
      entrypoint: trainer({ run_name: 'mlp', max_steps: 20 }),
      confirm: logShows(/NameError: name 'targets' is not defined/),
    }),
  },
  {
    id: 'host-oom-cgroup-limit',
    expected: 'host-oom',
    how: 'train.py in a 1200 MiB memory cgroup with a 40M-sample dataset: the kernel OOM killer SIGKILLs it',
    unavailable: () => (memoryCgroupRoot() ? null : 'no writable memory cgroup (v1 memory controller or delegated v2) on this machine'),
    prepare: ({ scratch }) => {
      const cg = memoryCgroupRoot();
      if (!cg) throw new Error('no writable memory cgroup');
      const dir = path.join(cg.root, `evolve-job-${path.basename(scratch)}`);
      const q = shellQuote(dir);
      // The shell moves itself into the cgroup, then execs the trainer: only the job's process is limited.
      return {
        workingDir: TRAINING_DIR,
        entrypoint:
          `mkdir -p ${q} && echo 1258291200 > ${q}/${cg.limitFile} && echo $$ > ${q}/cgroup.procs && ` +
          trainer({ run_name: 'mlp', num_samples: 40_000_000, max_steps: 20 }),
        // A cgroup directory goes with rmdir (its control files cannot be unlinked) once its processes are gone.
        cleanup: () => fs.rmdirSync(dir),
        // The kernel's own count of OOM kills in this cgroup (v1 memory.oom_control, v2 memory.events).
        confirm: () => {
          const file = path.join(dir, cg.limitFile === 'memory.max' ? 'memory.events' : 'memory.oom_control');
          const kills = Number(/oom_kill (\d+)/.exec(fs.readFileSync(file, 'utf8'))?.[1] ?? 0);
          return kills > 0 ? null : `no OOM kill counted in ${file}`;
        },
      };
    },
  },
  {
    id: 'disk-full-checkpoints',
    expected: 'disk-full',
    how: 'train.py checkpointing every 2 steps into a 192 KiB tmpfs (unshare -rm; real ENOSPC)',
    unavailable: unshareTmpfsWorks,
    prepare: ({ scratch }) => {
      const ck = path.join(scratch, 'ck');
      fs.mkdirSync(ck);
      const cmd = trainer({ run_name: 'mlp', max_steps: 40, checkpoint_dir: ck, checkpoint_every: 2, keep_last: 3 });
      return {
        workingDir: TRAINING_DIR,
        entrypoint: `unshare -rm sh -c ${shellQuote(`mount -t tmpfs -o size=192k tmpfs ${shellQuote(ck)} && exec ${cmd}`)}`,
        confirm: logShows(/\[Errno 28\]|No space left on device/),
      };
    },
  },
  {
    id: 'data-loader-missing-shard',
    expected: 'data-loader',
    how: 'a DataLoader script over .npy shards; one shard listed in the manifest was deleted',
    prepare: ({ scratch }) => {
      const data = path.join(scratch, 'data');
      return {
        workingDir: FAILURE_JOBS_DIR,
        entrypoint: `${prepareShards(data)} && rm ${shellQuote(path.join(data, 'shard-00005.npy'))} && ${trainShards(data)}`,
        confirm: logShows(/No such file or directory: '[^']*shard-00005\.npy'/),
      };
    },
  },
  {
    id: 'data-loader-corrupt-shard',
    expected: 'data-loader',
    how: 'the same DataLoader script; one shard truncated to 100 bytes (np.load fails in the worker)',
    prepare: ({ scratch }) => {
      const data = path.join(scratch, 'data');
      const shard = shellQuote(path.join(data, 'shard-00003.npy'));
      return {
        workingDir: FAILURE_JOBS_DIR,
        entrypoint: `${prepareShards(data)} && truncate -s 100 ${shard} && ${trainShards(data)}`,
        confirm: logShows(/EOF: reading array header/),
      };
    },
  },
  {
    id: 'data-loader-worker-killed',
    expected: 'data-loader',
    how: 'the same DataLoader script with slow items; one of its worker processes is SIGKILLed from outside',
    prepare: ({ scratch }) => {
      const data = path.join(scratch, 'data');
      return {
        workingDir: FAILURE_JOBS_DIR,
        entrypoint: `${prepareShards(data)} && ${trainShards(data, ' --epochs 60 --item-delay-s 0.4')}`,
        during: async (job) => {
          await waitFor('a training step', async () => (await job.logs()).includes('"evolve_metric"'), {
            timeoutMs: 480_000,
            intervalMs: 500,
          });
          const workers = await waitFor(
            'the DataLoader workers',
            async () => {
              const w = dataLoaderWorkers('shard_train.py', data);
              return w.length > 0 ? w : undefined;
            },
            { timeoutMs: 30_000, intervalMs: 200 },
          );
          process.kill(workers[0] ?? 0, 'SIGKILL');
        },
        confirm: logShows(/DataLoader worker \(pid/),
      };
    },
  },
  {
    id: 'gloo-timeout-straggler',
    expected: 'nccl-timeout',
    how: 'two gloo ranks under torchrun; rank 1 stalls 45 s before an all-reduce with a 10 s collective timeout (real gloo timeout)',
    prepare: () => ({
      workingDir: FAILURE_JOBS_DIR,
      // --standalone: torchrun picks a free rendezvous port, so concurrent scenarios cannot collide. The command
      // line avoids the words a timeout rule looks for, so only the real timeout line can decide the class.
      entrypoint:
        'python -m torch.distributed.run --standalone --nproc-per-node 2 straggler_allreduce.py --collective-limit-s 10 --stall-s 45',
      confirm: logShows(/Timed out waiting 10000ms/),
    }),
  },
  {
    id: 'bad-config-cuda-on-cpu-cluster',
    expected: 'bad-config',
    how: "ray_launch with device 'cuda' (valid for the app's schema) on a cluster without GPUs: the trainer refuses it",
    prepare: () => ({
      workingDir: TRAINING_DIR,
      entrypoint: rayLaunch({ run_name: 'mlp', device: 'cuda', max_steps: 20 }, 1),
      confirm: logShows(/device 'cuda' requested but no CUDA device is visible/),
    }),
  },
  {
    id: 'bad-config-unknown-field',
    expected: 'bad-config',
    how: 'train.py with a hand-written config that says learning_rate instead of lr (unknown field)',
    prepare: () => ({
      workingDir: TRAINING_DIR,
      entrypoint: `python train.py --config-json ${shellQuote(JSON.stringify({ strategy: 'ddp', learning_rate: 0.01, max_steps: 20 }))}`,
      confirm: logShows(/unknown config field\(s\): \['learning_rate'\]/),
    }),
  },
  {
    id: 'exit-nonzero-no-traceback',
    expected: 'unknown',
    how: 'training succeeds, then a post-training gate in the entrypoint exits 3 without printing anything',
    prepare: () => ({
      workingDir: TRAINING_DIR,
      entrypoint: `${trainer({ run_name: 'mlp', max_steps: 5 })} && exit 3`,
      confirm: ({ log, message }) =>
        /"evolve_event":"done"/.test(log) && /exit code 3\b/.test(message ?? '')
          ? null
          : 'training did not finish, or the exit code was not 3',
    }),
  },
];

/**
 * The slice the test suite runs (one per class that needs no special kernel setup, plus the fast cases): the
 * suite's time is bounded by its slowest scenario and 12 side by side on 2 cores took ~190 s. All 12 run in
 * `npm run eval:diagnosis` (or the suite with EVOLVE_DIAGNOSIS_SCENARIOS=all); the note quotes that run.
 */
export const TEST_SLICE_IDS: readonly string[] = [
  'python-exception-name-error',
  'disk-full-checkpoints',
  'data-loader-missing-shard',
  'bad-config-unknown-field',
  'exit-nonzero-no-traceback',
];

/** The scenarios the test file runs: the slice by default, all with EVOLVE_DIAGNOSIS_SCENARIOS=all. */
export function scenariosForTests(env: NodeJS.ProcessEnv = process.env): FailureScenario[] {
  if (env.EVOLVE_DIAGNOSIS_SCENARIOS === 'all') return FAILURE_SCENARIOS;
  const slice = FAILURE_SCENARIOS.filter((s) => TEST_SLICE_IDS.includes(s.id));
  if (slice.length !== TEST_SLICE_IDS.length) throw new Error('TEST_SLICE_IDS names a scenario that does not exist');
  return slice;
}
