// Frame paths as the user should see them: files of the code under study relative to its root; the standard library,
// site-packages and node_modules by a short name; never a host path (the sandbox's temp dir, a venv, a home).

/** Folder of the profiler's own driver files in the run's root; their frames are dropped from profiles. */
export const DRIVER_DIR = '.evolve-perf';

export interface FramePath {
  /** The path to show (relative for the user's code), or undefined for a frame with no file. */
  file: string | undefined;
  /** True when the frame is the user's code (inside the root, not a dependency). */
  own: boolean;
  /** True for the profiler's driver frames, which are removed. */
  driver: boolean;
}

/** file:// URLs and plain paths alike; a root given with or without a trailing slash. */
export function framePath(raw: string | undefined, root: string): FramePath {
  if (!raw) return { file: undefined, own: false, driver: false };
  let p = raw;
  if (p.startsWith('file://')) {
    try {
      p = decodeURIComponent(new URL(p).pathname);
    } catch {
      p = p.slice('file://'.length);
    }
  }
  const base = root.replace(/\/+$/, '');
  if (base && p.startsWith(`${base}/`)) {
    const rel = p.slice(base.length + 1);
    if (rel === DRIVER_DIR || rel.startsWith(`${DRIVER_DIR}/`)) return { file: rel, own: false, driver: true };
    const dep = /(?:^|\/)(?:site-packages|dist-packages|node_modules)\/(.+)$/.exec(rel);
    if (dep) return { file: dep[1], own: false, driver: false };
    return { file: rel, own: true, driver: false };
  }
  if (!p.startsWith('/')) return { file: p, own: false, driver: false }; // 'node:internal/…', '<frozen os>', '<string>'
  const dep = /\/(?:site-packages|dist-packages|node_modules)\/(.+)$/.exec(p);
  if (dep) return { file: dep[1], own: false, driver: false };
  const stdlib = /\/lib\/python\d+(?:\.\d+)?\/(.+)$/.exec(p);
  if (stdlib) return { file: stdlib[1], own: false, driver: false };
  return { file: p.split('/').pop() || undefined, own: false, driver: false };
}
