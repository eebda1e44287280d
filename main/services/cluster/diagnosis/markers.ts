// The marker lines each failure class is recognised by (regexes over prefix-stripped log lines), strongest first.
import type { FailureClass } from '../../../../common/cluster/diagnosis';

export interface MarkerSet {
  /** Lines that decide the class on their own. */
  strong: RegExp[];
  /** Lines that point at the class but have other causes too (weighed after the stronger classes). */
  weak?: RegExp[];
}

export const MARKERS: Partial<Record<FailureClass, MarkerSet>> = {
  // Driver-reported GPU faults (kernel log lines copied into job logs, nvidia-smi, CUDA's ECC error).
  'gpu-xid': {
    strong: [
      /NVRM: Xid \(PCI:[^)]*\): \d+/,
      /\bXID(?: error)?[:\s]+\d{1,3}\b/i,
      /GPU has fallen off the bus/i,
      /uncorrectable ECC error/i,
      /GPU is lost|GPU requires reset/i,
    ],
  },
  'cuda-oom': {
    strong: [
      /CUDA out of memory/i,
      /torch\.(?:cuda\.)?OutOfMemoryError/,
      /CUDA error: out of memory/i,
      /CUBLAS_STATUS_ALLOC_FAILED/,
      /cudaErrorMemoryAllocation/,
      /HIP out of memory/i,
    ],
  },
  // Ray's memory monitor, the kernel / cgroup OOM killer, Python's own MemoryError.
  'host-oom': {
    strong: [
      /Task was killed due to the node running low on memory/i,
      /ray\.exceptions\.OutOfMemoryError/,
      /which exceeds the memory usage threshold/i,
      /killed due to memory pressure/i,
      /Out of memory: Kill(?:ed)? process \d+/i,
      /Memory cgroup out of memory/i,
      /\boom[-_ ]?kill(?:er|ed)?\b/i,
      /^MemoryError\b/,
    ],
    // A SIGKILL is what the OOM killer sends, but also what `kill -9` and a lost node leave behind.
    weak: [
      /exit ?code:?\s*(?:137|-9)\b/i,
      /exitcode\s*:\s*-9\b/,
      /Signal 9 \(SIGKILL\)/,
      /"exit_codes":\{[^}]*:\s*(?:-9|137)\b/,
      /^Killed$/,
      /\b\d+ Killed\s{2,}\S/, // bash: `line 1:  4242 Killed                  python train.py`
    ],
  },
  'disk-full': {
    strong: [
      /No space left on device/i,
      /\bENOSPC\b/,
      /\[Errno 28\]/,
      /Disk quota exceeded|\bEDQUOT\b/i,
      /PytorchStreamWriter failed writing file/,
      /not enough (?:free )?(?:disk )?space/i,
    ],
  },
  'node-lost': {
    strong: [
      /"evolve_event":\s*"failed".*"reason":\s*"node lost"/,
      /"evolve_event":\s*"failed".*did not answer for/,
      /because its node has died/i,
      /\bNodeDiedError\b/,
      /RayletDiedError|raylet (?:has )?died|Raylet is terminated/i,
      /\bnode\b.{0,100}\b(?:has died|died unexpectedly|is dead|was marked (?:as )?dead|marked dead)\b/i,
      /missing too many heartbeats/i,
    ],
  },
  'nccl-timeout': {
    strong: [
      /Watchdog caught collective operation timeout/i,
      /ProcessGroup(?:NCCL|Gloo).{0,200}\b[Tt]ime(?:d ?)?out\b/,
      /\bNCCL\b.{0,120}\btimed? ?out\b/i,
      /Timed out waiting \d+ ?ms for (?:send|recv) operation/i,
      /\bgloo\b.{0,200}\b(?:timed out|timeout)\b/i,
      /DistNetworkError|Socket Timeout/,
    ],
    weak: [
      /\bNCCL error\b|ncclSystemError|ncclRemoteError|ncclInternalError|ncclUnhandledCudaError/,
      /\bgloo\b.{0,200}Connection (?:closed|reset) by peer/i,
      /\bDistBackendError\b/,
    ],
  },
  'data-loader': {
    strong: [
      /DataLoader worker \(pids?\(?s?\)?\s*[\d, ]+\) (?:exited unexpectedly|is killed by signal)/i,
      /Caught \w+ in DataLoader worker process \d+/,
      /unexpected bus error encountered in worker/i,
      /insufficient shared memory \(shm\)/i,
    ],
  },
  'bad-config': {
    strong: [
      /"evolve_event":\s*"error".*"kind":\s*"config"/,
      /"evolve_event":\s*"error".*"kind":\s*"placement"/,
      /^\S+: error: (?:unrecognized arguments|argument |the following arguments are required|invalid choice)/,
      /\bConfigError: /,
    ],
  },
};

/** Data-file errors that are not the DataLoader's own crash: the traceback's exception must also mention data. */
export const DATA_FILE_EXCEPTIONS = new Set(['FileNotFoundError', 'IsADirectoryError', 'NotADirectoryError', 'PermissionError']);
export const DATA_WORDS = /\bdata(?:set|sets|loader|_dir|_path|_file)?\b|\.(?:csv|jsonl?|parquet|arrow|npy|npz|tfrecord|txt|bin)\b/i;
/** A missing checkpoint or config file is a config problem, not a data one. */
export const NOT_DATA_WORDS = /ckpt|checkpoint|config|\.pt\b/i;
