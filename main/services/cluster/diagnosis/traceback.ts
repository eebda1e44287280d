// Log-line helpers for the classifier: strips Ray/torchrun/launcher prefixes and reads the last Python traceback.

/** `[node 1] ` (ray_launch relay), `(pid=123, ip=10.0.0.2) ` / `(RayTrainWorker pid=…)` (Ray), `[rank0]: ` / `[default0]:` (torch). */
const PREFIXES = [/^\[node \d+\] /, /^\((?:[\w.]+ )?pid=\d+(?:, ip=[\d.:a-f]+)?\) /, /^\[(?:default)?rank ?\d+\]:\s?/i];

export function stripPrefixes(line: string): string {
  let out = line;
  for (let changed = true; changed;) {
    changed = false;
    for (const p of PREFIXES) {
      const next = out.replace(p, '');
      if (next !== out) {
        out = next;
        changed = true;
      }
    }
  }
  return out;
}

export interface Frame {
  /** Index in logTail of the `File "…", line N` line. */
  index: number;
  path: string;
  line: number;
  fn: string;
}

export interface Traceback {
  /** Index of `Traceback (most recent call last):`. */
  start: number;
  frames: Frame[];
  /** `ValueError: bad value`, with its index; null when the log ends inside the traceback. */
  exception: { index: number; type: string; message: string; text: string } | null;
}

const FRAME = /^\s*File "([^"]+)", line (\d+), in (.+)$/;
const EXCEPTION = /^((?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt|Warning|Failure|Failed))(?::\s?(.*))?$/;

/** The last traceback in the lines (the outermost one when exceptions were chained), or the last one before `before`. */
export function lastTraceback(lines: string[], before = lines.length): Traceback | null {
  let start = -1;
  for (let i = Math.min(before, lines.length) - 1; i >= 0; i--) {
    if (/^Traceback \(most recent call last\):/.test(stripPrefixes(lines[i] ?? ''))) {
      start = i;
      break;
    }
  }
  if (start < 0) return null;
  const frames: Frame[] = [];
  let exception: Traceback['exception'] = null;
  for (let i = start + 1; i < lines.length && i < start + 400; i++) {
    const text = stripPrefixes(lines[i] ?? '');
    const f = FRAME.exec(text);
    if (f) {
      frames.push({ index: i, path: f[1] ?? '', line: Number(f[2]), fn: (f[3] ?? '').trim() });
      continue;
    }
    if (/^\s/.test(text) || text === '') continue; // source lines and carets under a frame
    const ex = EXCEPTION.exec(text.trim());
    if (ex) exception = { index: i, type: ex[1] ?? '', message: (ex[2] ?? '').trim(), text: text.trim() };
    break;
  }
  return { start, frames, exception };
}

/** Python's own and installed packages: frames there are not "the training code". */
const LIBRARY_PATH =
  /\/bin\/(?:torchrun|ray)$|(?:site-packages|dist-packages)\/|\/lib\/python3[\d.]*\/|^<frozen |^<string>|\/torch\/|\/ray\/_private\//;

/**
 * The path relative to the job's working dir: Ray unpacks working_dir packages under
 * `…/runtime_resources/working_dir_files/_ray_pkg_<hash>/`, so what follows is the user's own path.
 */
export function workingDirRelative(path: string): string | null {
  const m = /\/working_dir_files\/[^/]+\/(.+)$/.exec(path) ?? /\/_ray_pkg_[0-9a-f]+\/(.+)$/.exec(path);
  if (m?.[1]) return m[1];
  return null;
}

/** The innermost frame in the training code: inside the working dir when Ray shows it, else outside any library. */
export function trainingFrame(tb: Traceback): { file: string; line: number; index: number } | null {
  for (let i = tb.frames.length - 1; i >= 0; i--) {
    const f = tb.frames[i];
    if (!f) continue;
    const rel = workingDirRelative(f.path);
    if (rel) return { file: rel, line: f.line, index: f.index };
  }
  for (let i = tb.frames.length - 1; i >= 0; i--) {
    const f = tb.frames[i];
    if (f && !LIBRARY_PATH.test(f.path)) return { file: f.path.replace(/^\.\//, ''), line: f.line, index: f.index };
  }
  return null;
}

/**
 * The traceback that says where the training code failed: the last one with a frame in the training code. torchrun
 * prints its own `ChildFailedError` traceback (all in site-packages) after the trainer's, so the last traceback alone
 * lost the file:line. Falls back to the last traceback when none has a training frame.
 */
export function trainingTraceback(lines: string[], maxTracebacks = 8): Traceback | null {
  const last = lastTraceback(lines);
  const recent: Traceback[] = [];
  for (let tb = last; tb && recent.length < maxTracebacks; tb = lastTraceback(lines, tb.start)) recent.push(tb);
  // A frame inside the job's working dir is certain; "outside any library" is the weaker fallback.
  return recent.find((tb) => tb.frames.some((f) => workingDirRelative(f.path))) ?? recent.find((tb) => trainingFrame(tb)) ?? last;
}
