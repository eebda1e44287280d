// Process-tree RSS from /proc for the host benches (Linux only): list processes with parent and resident
// memory, then sum a subtree — the host and the workers it spawned, or Chromium's renderer processes.
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  rssKiB: number;
  /** argv joined with spaces. */
  cmd: string;
}

/** Parent pid from the text of /proc/<pid>/stat (the command name in parentheses may contain spaces). */
export function parseStatPpid(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[1]);
}

/** VmRSS in KiB from the text of /proc/<pid>/status (0 for kernel threads, which have none). */
export function parseStatusRssKiB(status: string): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) : 0;
}

/** Every process visible in /proc now; ones that exit during the scan are skipped. */
export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      out.push({
        pid: Number(d),
        ppid: parseStatPpid(readFileSync(`/proc/${d}/stat`, 'utf8')),
        rssKiB: parseStatusRssKiB(readFileSync(`/proc/${d}/status`, 'utf8')),
        cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').trim(),
      });
    } catch {
      // the process ended between the listing and the read
    }
  }
  return out;
}

/** `root` and all its descendants (root included when present in `procs`). */
export function subtree(procs: readonly ProcInfo[], root: number): ProcInfo[] {
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: ProcInfo[] = [];
  const self = procs.find((p) => p.pid === root);
  if (self) out.push(self);
  const queue = [root];
  const seen = new Set<number>([root]);
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const c of children.get(pid) ?? []) {
      if (seen.has(c.pid)) continue;
      seen.add(c.pid);
      out.push(c);
      queue.push(c.pid);
    }
  }
  return out;
}

export const sumRssMiB = (procs: readonly ProcInfo[]): number => procs.reduce((s, p) => s + p.rssKiB, 0) / 1024;

/** Median of a list (mean of the middle two for an even count; 0 when empty). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
