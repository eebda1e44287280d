// classifyFailure on realistic log excerpts: one case per class, the ambiguous cases, evidence indexes and file:line.
import { describe, expect, it } from 'vitest';
import { FailureEvidenceSchema, type FailureEvidenceInput } from '../../../common/cluster/diagnosis';
import { classifyFailure } from '../../../main/services/cluster/diagnosis/rules';
import { lastTraceback, stripPrefixes, trainingFrame } from '../../../main/services/cluster/diagnosis/traceback';

const PKG = '/tmp/ray/session_2026-12-02_10-01-02_123456_4242/runtime_resources/working_dir_files/_ray_pkg_9f1c2ab34d5e6f70';
const ev = (input: Partial<FailureEvidenceInput> & { log?: string }) => {
  const { log, ...rest } = input;
  return FailureEvidenceSchema.parse({ status: 'FAILED', logTail: log ? log.split('\n') : [], ...rest });
};
const diagnose = (input: Partial<FailureEvidenceInput> & { log?: string }) => classifyFailure(ev(input));

const LAUNCH = '{"evolve_event":"launch","nodes":["127.0.0.1","127.0.0.1"],"world_size":2,"strategy":"ddp","ts":1795569573.1}';
const METRIC = '{"evolve_metric":1,"step":12,"loss":0.53,"lr":0.001,"samples_per_s":812.4,"epoch":0,"rank":0,"ts":1795569573.7}';

const PY_EXC = [
  LAUNCH,
  METRIC,
  'Traceback (most recent call last):',
  `  File "${PKG}/train.py", line 77, in main`,
  '    Trainer(cfg, ctx, MetricWriter(ctx.rank)).run()',
  `  File "${PKG}/evolve_training/trainer.py", line 141, in run`,
  '    loss = self._step(step)',
  `  File "${PKG}/evolve_training/trainer.py", line 203, in _step`,
  '    scale = 1.0 / self.cfg.warmup_ratio',
  '            ~~~~^~~~~~~~~~~~~~~~~~~~~~',
  'ZeroDivisionError: float division by zero',
  '{"evolve_event":"error","kind":"ZeroDivisionError","message":"float division by zero","rank":0,"ts":1795569574.2}',
  '[node 1] {"evolve_event":"error","kind":"ZeroDivisionError","message":"float division by zero","rank":1,"ts":1795569574.2}',
  '{"evolve_event":"failed","reason":"trainer exited with an error","lost_nodes":[],"exit_codes":{"0":1,"1":1},"ts":1795569575.0}',
].join('\n');

// Shape of torch's CUDA OOM (torch >= 2.3 prints torch.OutOfMemoryError); the traceback ends in the training code.
const CUDA_OOM = [
  LAUNCH,
  '[rank0]: Traceback (most recent call last):',
  `[rank0]:   File "${PKG}/evolve_training/trainer.py", line 188, in _step`,
  '[rank0]:     out = self.model(x)',
  '[rank0]:   File "/usr/local/lib/python3.11/site-packages/torch/nn/modules/module.py", line 1553, in _wrapped_call_impl',
  '[rank0]:     return self._call_impl(*args, **kwargs)',
  '[rank0]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.02 GiB is free. Including non-PyTorch memory, this process has 78.12 GiB memory in use.',
].join('\n');

// Ray's memory monitor (ray.exceptions.OutOfMemoryError), as the driver prints it for a killed task.
const RAY_OOM = [
  LAUNCH,
  METRIC,
  'ray.exceptions.OutOfMemoryError: Task was killed due to the node running low on memory.',
  'Memory on the node (IP: 10.0.0.5, ID: 5f3b9c) where the task (actor ID: 8a9c, name=NodeWorker.__init__, pid=5123, memory used=6.10GB) was running was 7.31GB / 7.68GB (0.951), which exceeds the memory usage threshold of 0.95. Ray killed this worker (ID: 1d2e) because it was the most recently scheduled task.',
].join('\n');

const SIGKILL = [
  LAUNCH,
  METRIC,
  '[node 1] torch.distributed.elastic.multiprocessing.errors.ChildFailedError:',
  '[node 1] ============================================================',
  '[node 1] train.py FAILED',
  '[node 1]   exitcode  : -9 (pid: 80312)',
  '[node 1]   traceback : Signal 9 (SIGKILL) received by PID 80312',
  '{"evolve_event":"failed","reason":"trainer exited with an error","lost_nodes":[],"exit_codes":{"1":1},"ts":1795569575.0}',
].join('\n');

// An NCCL watchdog timeout (verbatim shape of torch's ProcessGroupNCCL message; public issue logs look like this).
const NCCL = [
  LAUNCH,
  METRIC,
  '[rank1]:[E1202 10:14:31.012345 4242 ProcessGroupNCCL.cpp:607] [Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=4211, OpType=ALLREDUCE, NumelIn=1048576, NumelOut=1048576, Timeout(ms)=600000) ran for 600043 milliseconds before timing out.',
  '[rank1]:[E1202 10:14:31.013000 4242 ProcessGroupNCCL.cpp:1664] [PG 0 (default_pg) Rank 1] Exception (either an error or timeout) detected by watchdog at work: 4211, last enqueued NCCL work: 4211, last completed NCCL work: 4210.',
].join('\n');

const GLOO_PEER = [
  LAUNCH,
  METRIC,
  'Traceback (most recent call last):',
  `  File "${PKG}/evolve_training/trainer.py", line 150, in _sync`,
  '    dist.all_reduce(t)',
  '  File "/usr/local/lib/python3.11/site-packages/torch/distributed/c10d_logger.py", line 79, in wrapper',
  '    return func(*args, **kwargs)',
  'RuntimeError: [../third_party/gloo/gloo/transport/tcp/pair.cc:534] Connection closed by peer [127.0.0.1]:29500',
  '{"evolve_event":"failed","reason":"node lost","lost_nodes":[1],"exit_codes":{"0":1},"ts":1795569575.0}',
].join('\n');

const XID = [
  LAUNCH,
  'NVRM: Xid (PCI:0000:3b:00): 79, pid=23712, name=python, GPU has fallen off the bus.',
  '[rank0]: RuntimeError: CUDA error: unspecified launch failure',
  '[rank0]:[E1202 10:14:31 ProcessGroupNCCL.cpp:607] [Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=12, OpType=ALLREDUCE) ran for 600043 milliseconds before timing out.',
].join('\n');

const ENOSPC = [
  LAUNCH,
  METRIC,
  'Traceback (most recent call last):',
  `  File "${PKG}/evolve_training/checkpoint.py", line 61, in save`,
  '    torch.save(state, tmp)',
  '  File "/usr/local/lib/python3.11/site-packages/torch/serialization.py", line 628, in save',
  '    _save(obj, opened_zipfile, pickle_module, pickle_protocol, _disable_byteorder_record)',
  'RuntimeError: [enforce fail at inline_container.cc:595] . unexpected pos 6445824 vs 6445712',
  'During handling of the above exception, another exception occurred:',
  'Traceback (most recent call last):',
  `  File "${PKG}/evolve_training/checkpoint.py", line 63, in save`,
  '    os.fsync(fh.fileno())',
  "OSError: [Errno 28] No space left on device: '/mnt/ckpt/run/ckpt-00000040.pt.tmp-4242'",
].join('\n');

const DATALOADER = [
  LAUNCH,
  'Traceback (most recent call last):',
  '  File "/usr/local/lib/python3.11/site-packages/torch/utils/data/dataloader.py", line 1133, in _try_get_data',
  '    data = self._data_queue.get(timeout=timeout)',
  'RuntimeError: DataLoader worker (pid(s) 9121, 9122) exited unexpectedly',
].join('\n');

const DATA_PATH = [
  LAUNCH,
  'Traceback (most recent call last):',
  `  File "${PKG}/my_train.py", line 40, in <module>`,
  '    ds = load_dataset(args.data_path)',
  `  File "${PKG}/data_utils.py", line 12, in load_dataset`,
  "    with open(path, 'rb') as fh:",
  "FileNotFoundError: [Errno 2] No such file or directory: '/data/corpus/train.jsonl'",
].join('\n');

const BAD_CONFIG = [
  '{"evolve_event":"error","kind":"config","message":"hybrid needs world size (2) divisible by hybrid_pipeline_stages (3)","ts":1795569574.2}',
  '[node 1] {"evolve_event":"error","kind":"config","message":"hybrid needs world size (2) divisible by hybrid_pipeline_stages (3)","ts":1795569574.2}',
  '{"evolve_event":"failed","reason":"trainer exited with an error","lost_nodes":[],"exit_codes":{"0":2,"1":2},"ts":1795569575.0}',
].join('\n');

const ARGPARSE = [
  'usage: train.py [-h] [--config CONFIG | --config-json CONFIG_JSON]',
  'train.py: error: unrecognized arguments: --lr 0.1',
].join('\n');

describe('classifyFailure', () => {
  it('python exception: the last frame inside the working dir is the location, relative to it', () => {
    const d = diagnose({ log: PY_EXC, message: 'Job entrypoint command failed with exit code 1' });
    expect(d.class).toBe('python-exception');
    expect(d.location).toEqual({ file: 'evolve_training/trainer.py', line: 203 });
    expect(d.summary).toContain('ZeroDivisionError: float division by zero');
    expect(d.summary).toContain('evolve_training/trainer.py:203');
    // The evidence lines carry their logTail index, and the index points at that very line.
    const exc = d.evidence.find((x) => x.text.startsWith('ZeroDivisionError'));
    expect(exc?.line).toBe(10);
    for (const x of d.evidence) if (x.line !== null) expect(ev({ log: PY_EXC }).logTail[x.line]?.trim()).toBe(x.text);
    expect(d.confidence).toBeGreaterThan(0.8);
  });

  it('cuda-oom wins over the Python exception its traceback also is', () => {
    const d = diagnose({ log: CUDA_OOM });
    expect(d.class).toBe('cuda-oom');
    expect(d.evidence.at(-1)?.text).toContain('CUDA out of memory');
    expect(d.evidence.at(-1)?.line).toBe(6);
    expect(d.location).toEqual({ file: 'evolve_training/trainer.py', line: 188 });
  });

  it("host-oom from Ray's memory monitor, with node-exporter's OOM-kill counter as a second fact", () => {
    const d = diagnose({
      log: RAY_OOM,
      metrics: [
        {
          name: 'oom_kills',
          node: '10.0.0.5:9100',
          points: [
            { t: 1, v: 3 },
            { t: 2, v: 4 },
          ],
        },
      ],
    });
    expect(d.class).toBe('host-oom');
    expect(d.confidence).toBeGreaterThan(0.9);
    expect(d.evidence.map((x) => x.text).join('\n')).toMatch(/running low on memory[\s\S]*1 OOM kill\(s\) on 10\.0\.0\.5:9100/);
    expect(d.location).toBeNull();
  });

  it('host-oom from a SIGKILLed trainer is weaker, and stronger when memory had run out', () => {
    const alone = diagnose({ log: SIGKILL });
    expect(alone.class).toBe('host-oom');
    const withMetrics = diagnose({
      log: SIGKILL,
      metrics: [
        {
          name: 'memory_available_ratio',
          node: 'n1',
          points: [
            { t: 1, v: 0.4 },
            { t: 2, v: 0.01 },
          ],
        },
      ],
    });
    expect(withMetrics.class).toBe('host-oom');
    expect(withMetrics.confidence).toBeGreaterThan(alone.confidence);
    expect(withMetrics.evidence.at(-1)?.text).toMatch(/memory available fell to 1\.0 %/);
  });

  it('Ray message alone (exit code 137) is evidence without a line number', () => {
    const d = diagnose({ log: LAUNCH, message: 'Job entrypoint command failed with exit code 137, last available logs: ...' });
    expect(d.class).toBe('host-oom');
    expect(d.evidence[0]).toEqual({ line: null, text: expect.stringContaining('exit code 137') });
  });

  it('nccl-timeout from the watchdog line', () => {
    const d = diagnose({ log: NCCL });
    expect(d.class).toBe('nccl-timeout');
    expect(d.evidence[0]?.line).toBe(2);
  });

  it('a collective error after a node died is node-lost, not a timeout or a Python exception', () => {
    const d = diagnose({ log: GLOO_PEER });
    expect(d.class).toBe('node-lost');
    expect(d.evidence.at(-1)?.text).toContain('"reason":"node lost"');
    // Without the launcher's verdict the lost peer alone is a (weaker) collective failure; a dead Ray node in the
    // evidence makes it node-lost again.
    const withoutEvent = GLOO_PEER.split('\n').slice(0, -1).join('\n');
    const peer = diagnose({ log: withoutEvent });
    expect(peer.class).toBe('nccl-timeout');
    expect(peer.confidence).toBeLessThan(0.8);
    const d2 = diagnose({
      log: withoutEvent,
      nodes: [
        { nodeId: 'a'.repeat(56), alive: true },
        {
          nodeId: 'b'.repeat(56),
          alive: false,
          deathReason: 'Unexpected termination: health check failed due to missing too many heartbeats',
        },
      ],
    });
    expect(d2.class).toBe('node-lost');
    expect(d2.evidence.at(-1)?.text).toMatch(/^Ray node bbbbbbbbbbbb died: Unexpected termination/);
    expect(d2.location).toBeNull();
  });

  it('gpu-xid explains the CUDA error and the NCCL timeout that follow it', () => {
    const d = diagnose({ log: XID });
    expect(d.class).toBe('gpu-xid');
    expect(d.evidence[0]).toEqual({ line: 1, text: expect.stringContaining('Xid (PCI:0000:3b:00): 79') });
  });

  it('disk-full from ENOSPC in a chained traceback', () => {
    const d = diagnose({ log: ENOSPC });
    expect(d.class).toBe('disk-full');
    expect(d.evidence.at(-1)?.text).toContain('No space left on device');
  });

  it('data-loader: a worker crash, and a missing data file in the training code', () => {
    expect(diagnose({ log: DATALOADER }).class).toBe('data-loader');
    const d = diagnose({ log: DATA_PATH });
    expect(d.class).toBe('data-loader');
    expect(d.location).toEqual({ file: 'data_utils.py', line: 12 });
    expect(d.summary).toContain('/data/corpus/train.jsonl');
  });

  it('a missing checkpoint file is not a data problem', () => {
    const log = [
      'Traceback (most recent call last):',
      `  File "${PKG}/evolve_training/checkpoint.py", line 30, in load`,
      '    return torch.load(path)',
      "FileNotFoundError: [Errno 2] No such file or directory: '/ckpt/run/ckpt-00000040.pt'",
    ].join('\n');
    expect(diagnose({ log }).class).toBe('python-exception');
  });

  it("bad-config from the trainer's config error event, and from argparse", () => {
    const d = diagnose({ log: BAD_CONFIG });
    expect(d.class).toBe('bad-config');
    expect(d.summary).toContain('hybrid_pipeline_stages (3)');
    const a = diagnose({ log: ARGPARSE });
    expect(a.class).toBe('bad-config');
    expect(a.evidence[0]?.line).toBe(1);
  });

  it('an error event outside the log tail still decides (events are parsed from the whole log)', () => {
    const d = diagnose({
      log: 'some unrelated line',
      events: [{ name: 'error', ts: 1, fields: { kind: 'config', message: 'lr must be > 0' } }],
    });
    expect(d.class).toBe('bad-config');
    expect(d.evidence[0]).toEqual({ line: null, text: 'trainer error event: lr must be > 0' });
  });

  it('unknown when nothing matches: confidence 0, the last lines and Ray message as context', () => {
    const d = diagnose({ log: `${LAUNCH}\n${METRIC}\nall fine here`, message: 'Job supervisor actor could not be scheduled' });
    expect(d.class).toBe('unknown');
    expect(d.confidence).toBe(0);
    expect(d.summary).toContain('Job supervisor actor could not be scheduled');
    expect(d.evidence.map((x) => x.line)).toEqual([0, 1, 2]);
  });

  it('is deterministic and keeps at most 6 evidence lines', () => {
    const many = Array.from({ length: 20 }, (_, i) => `[node 1] OSError: [Errno 28] No space left on device (${i})`).join('\n');
    const a = diagnose({ log: many });
    expect(a).toEqual(diagnose({ log: many }));
    expect(a.evidence.length).toBeLessThanOrEqual(6);
    expect(a.evidence.at(-1)?.line).toBe(19);
  });
});

describe('what the last traceback and the command line must not decide', () => {
  it("keeps the trainer's file:line when torchrun prints its own ChildFailedError traceback after it", () => {
    // Shape of the real failure-scenarios run (a layer-width bug): the trainer's traceback, then torchrun's, all in site-packages.
    const log = [
      LAUNCH,
      'Traceback (most recent call last):',
      `  File "${PKG}/evolve_training/trainer.py", line 141, in run`,
      '    loss = self._step(step)',
      `  File "${PKG}/evolve_training/models.py", line 62, in forward`,
      '    return self.net(x)',
      'RuntimeError: addmm: mat1 and mat2 shapes cannot be multiplied (32x64 and 65x1)',
      '{"evolve_event":"error","kind":"RuntimeError","message":"addmm: mat1 and mat2 shapes cannot be multiplied (32x64 and 65x1)","rank":0,"ts":1795569574.2}',
      'Traceback (most recent call last):',
      '  File "/usr/local/bin/torchrun", line 8, in <module>',
      '    sys.exit(main())',
      '  File "/usr/local/lib/python3.11/site-packages/torch/distributed/run.py", line 892, in main',
      '    run(args)',
      'torch.distributed.elastic.multiprocessing.errors.ChildFailedError: ',
    ].join('\n');
    const d = diagnose({ log });
    expect(d.class).toBe('python-exception');
    expect(d.location).toEqual({ file: 'evolve_training/models.py', line: 62 });
    expect(d.summary).toContain('evolve_training/models.py:62');
  });

  it("ignores Ray's echo of the job's command line (a run name or path is the user's words, not a failure)", () => {
    const echo = 'Running entrypoint for job raysubmit_x1: python train.py --run-name gloo-timeout-no-space-left-on-device --oom Killed';
    const d = diagnose({ log: [echo, LAUNCH, METRIC, 'bye'].join('\n') });
    expect(d.class).toBe('unknown');
  });
});

describe('traceback helpers', () => {
  it('strips launcher, Ray and torchrun prefixes', () => {
    expect(stripPrefixes('[node 1] (pid=4242, ip=10.0.0.2) [rank1]: Traceback (most recent call last):')).toBe(
      'Traceback (most recent call last):',
    );
    expect(stripPrefixes('(RayTrainWorker pid=77) hello')).toBe('hello');
  });

  it('a log cut inside a traceback has frames but no exception; library-only frames have no training location', () => {
    const tb = lastTraceback(['Traceback (most recent call last):', '  File "/usr/lib/python3.11/threading.py", line 1045, in _bootstrap']);
    expect(tb?.exception).toBeNull();
    expect(tb && trainingFrame(tb)).toBeNull();
  });
});
