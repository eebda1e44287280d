// classifyFailure: pure, ordered rules over the evidence of a failed job; the marker lines are the diagnosis's evidence.
import type { Diagnosis, FailureClass, FailureEvidence } from '../../../../common/cluster/diagnosis';
import { DATA_FILE_EXCEPTIONS, DATA_WORDS, MARKERS, NOT_DATA_WORDS } from './markers';
import { stripPrefixes, trainingFrame, trainingTraceback, type Traceback } from './traceback';

export type EvidenceLine = Diagnosis['evidence'][number];
type Location = Diagnosis['location'];

interface Ctx {
  e: FailureEvidence;
  /** logTail without Ray / launcher / torchrun prefixes (same indexes). */
  lines: string[];
  messageLines: string[];
  tb: Traceback | null;
  location: Location;
}

interface Verdict {
  confidence: number;
  evidence: EvidenceLine[];
  summary: string;
}

/** At most this many evidence lines per diagnosis (the most recent markers; the UI shows them all). */
export const MAX_EVIDENCE = 6;
const MAX_LINE_CHARS = 400;
const LOW_MEMORY_RATIO = 0.05;
const LOW_DISK_BYTES = 256 * 1024 * 1024;

const clip = (s: string): string => (s.length > MAX_LINE_CHARS ? `${s.slice(0, MAX_LINE_CHARS - 1)}…` : s);

/** Lines (log first, then Ray's message) matching any of the regexes; the last `max`, in log order. */
function find(c: Ctx, res: RegExp[] | undefined, max = 3): EvidenceLine[] {
  if (!res?.length) return [];
  const hits: EvidenceLine[] = [];
  for (let i = c.lines.length - 1; i >= 0 && hits.length < max; i--) {
    const l = c.lines[i] ?? '';
    if (res.some((r) => r.test(l))) hits.push({ line: i, text: clip((c.e.logTail[i] ?? l).trim()) });
  }
  hits.reverse();
  if (hits.length) return hits;
  for (const l of c.messageLines) if (hits.length < max && res.some((r) => r.test(l))) hits.push({ line: null, text: clip(l.trim()) });
  return hits;
}

const seriesMin = (e: FailureEvidence, name: string): number | null => {
  const vs = e.metrics.filter((m) => m.name === name).flatMap((m) => m.points.map((p) => p.v));
  return vs.length ? Math.min(...vs) : null;
};

/** Facts from node-exporter: an OOM kill counted in the window, memory nearly gone, a disk nearly full. */
function metricFacts(e: FailureEvidence): { oomKills: EvidenceLine | null; lowMemory: EvidenceLine | null; lowDisk: EvidenceLine | null } {
  let oomKills: EvidenceLine | null = null;
  for (const s of e.metrics.filter((m) => m.name === 'oom_kills')) {
    const first = s.points[0]?.v;
    const last = s.points.at(-1)?.v;
    if (first !== undefined && last !== undefined && last > first)
      oomKills = { line: null, text: `node-exporter: ${last - first} OOM kill(s) on ${s.node ?? 'a node'} around the failure` };
  }
  const ratio = seriesMin(e, 'memory_available_ratio');
  const lowMemory =
    ratio !== null && ratio < LOW_MEMORY_RATIO
      ? { line: null, text: `node-exporter: memory available fell to ${(ratio * 100).toFixed(1)} % before the failure` }
      : null;
  const disk = seriesMin(e, 'disk_free_bytes');
  const lowDisk =
    disk !== null && disk < LOW_DISK_BYTES
      ? { line: null, text: `node-exporter: a filesystem had ${(disk / 1048576).toFixed(0)} MiB free around the failure` }
      : null;
  return { oomKills, lowMemory, lowDisk };
}

const firstLine = (s: string | null | undefined): string =>
  (s ?? '')
    .split('\n')
    .find((l) => l.trim())
    ?.trim() ?? '';

/** Classes where the training code's frame is the place to look (a node death's survivor traceback is not). */
const LOCATED = new Set<FailureClass>(['python-exception', 'data-loader', 'cuda-oom']);

type Rule = { cls: FailureClass; run: (c: Ctx) => Verdict | null };

/**
 * Most specific first. A GPU fault explains the CUDA and NCCL errors after it; a CUDA OOM traceback is also a Python
 * exception; a node that died explains the collective timeout of the survivors; config errors come before the
 * generic traceback rule.
 */
const RULES: Rule[] = [
  {
    cls: 'gpu-xid',
    run: (c) => {
      const ev = find(c, MARKERS['gpu-xid']?.strong);
      return ev.length
        ? { confidence: 0.95, evidence: ev, summary: 'The GPU driver reported a hardware fault (NVIDIA XID) on a node.' }
        : null;
    },
  },
  {
    cls: 'cuda-oom',
    run: (c) => {
      const ev = find(c, MARKERS['cuda-oom']?.strong);
      return ev.length ? { confidence: 0.95, evidence: ev, summary: 'A GPU ran out of memory (CUDA out of memory).' } : null;
    },
  },
  {
    cls: 'host-oom',
    run: (c) => {
      const ev = find(c, MARKERS['host-oom']?.strong);
      if (!ev.length) return null;
      const m = metricFacts(c.e);
      return {
        confidence: 0.95,
        evidence: [...ev, ...[m.oomKills, m.lowMemory].filter((x): x is EvidenceLine => x !== null)],
        summary: 'A node ran out of memory and the job was killed (Ray memory monitor or the kernel OOM killer).',
      };
    },
  },
  {
    cls: 'disk-full',
    run: (c) => {
      const ev = find(c, MARKERS['disk-full']?.strong);
      if (!ev.length) return null;
      const low = metricFacts(c.e).lowDisk;
      return {
        confidence: 0.95,
        evidence: low ? [...ev, low] : ev,
        summary: 'A disk filled up while the job was writing (No space left on device).',
      };
    },
  },
  {
    cls: 'node-lost',
    run: (c) => {
      const dead = c.e.nodes
        .filter((n) => !n.alive)
        .map((n): EvidenceLine => ({
          line: null,
          text: `Ray node ${n.nodeId.slice(0, 12)} died${n.deathReason ? `: ${n.deathReason}` : ''}`,
        }));
      const ev = [...find(c, MARKERS['node-lost']?.strong), ...dead];
      if (!ev.length) return null;
      return {
        confidence: dead.length ? 0.95 : 0.9,
        evidence: ev,
        summary: dead.length
          ? `A cluster node died while the job ran (${dead.length} dead node${dead.length === 1 ? '' : 's'}).`
          : 'A cluster node stopped answering while the job ran.',
      };
    },
  },
  {
    cls: 'nccl-timeout',
    run: (c) => {
      const strong = find(c, MARKERS['nccl-timeout']?.strong);
      const ev = strong.length ? strong : find(c, MARKERS['nccl-timeout']?.weak);
      if (!ev.length) return null;
      return {
        confidence: strong.length ? 0.9 : 0.7,
        evidence: ev,
        summary: 'A collective operation between the trainers (NCCL / gloo) timed out or lost its peer.',
      };
    },
  },
  {
    cls: 'data-loader',
    run: (c) => {
      const ev = find(c, MARKERS['data-loader']?.strong);
      const ex = c.tb?.exception;
      const fileErr =
        ex && DATA_FILE_EXCEPTIONS.has(ex.type.split('.').at(-1) ?? '') && !NOT_DATA_WORDS.test(ex.message)
          ? DATA_WORDS.test(ex.message) || c.tb?.frames.some((f) => DATA_WORDS.test(`${f.path} ${f.fn}`))
          : false;
      if (!ev.length && !fileErr) return null;
      const all = fileErr && ex ? [...ev, { line: ex.index, text: clip((c.e.logTail[ex.index] ?? ex.text).trim()) }] : ev;
      return {
        confidence: ev.length ? 0.9 : 0.8,
        evidence: all,
        summary: fileErr
          ? `The training data could not be read: ${clip(ex?.text ?? '')}`
          : 'A data-loader worker crashed (a killed worker usually means memory or shared memory ran short).',
      };
    },
  },
  {
    cls: 'host-oom',
    run: (c) => {
      const ev = find(c, MARKERS['host-oom']?.weak);
      const m = metricFacts(c.e);
      const facts = [m.oomKills, m.lowMemory].filter((x): x is EvidenceLine => x !== null);
      if (!ev.length && !m.oomKills) return null;
      return {
        confidence: ev.length && facts.length ? 0.85 : facts.length ? 0.6 : 0.55,
        evidence: [...ev, ...facts],
        summary: facts.length
          ? 'A trainer was killed (SIGKILL) while its node was out of memory.'
          : 'A trainer was killed with SIGKILL, most likely by the out-of-memory killer.',
      };
    },
  },
  {
    cls: 'bad-config',
    run: (c) => {
      const ev = find(c, MARKERS['bad-config']?.strong);
      const cfg = c.e.events.find((e) => e.name === 'error' && (e.fields.kind === 'config' || e.fields.kind === 'placement'));
      if (!ev.length && !cfg) return null;
      const why = typeof cfg?.fields.message === 'string' ? cfg.fields.message : firstLine(ev.at(-1)?.text);
      return {
        confidence: 0.95,
        evidence: ev.length ? ev : [{ line: null, text: clip(`trainer error event: ${why}`) }],
        summary: clip(
          cfg?.fields.kind === 'placement'
            ? `The cluster could not place the job's nodes: ${why}`
            : `The training configuration was rejected before training started: ${why}`,
        ),
      };
    },
  },
  {
    cls: 'python-exception',
    run: (c) => {
      const ex = c.tb?.exception;
      const errEvent = c.e.events.findLast((e) => e.name === 'error' && typeof e.fields.kind === 'string');
      if (!ex && !errEvent) return null;
      const ev: EvidenceLine[] = [];
      const frame = c.tb ? trainingFrame(c.tb) : null;
      if (frame) ev.push({ line: frame.index, text: clip((c.e.logTail[frame.index] ?? '').trim()) });
      if (ex) ev.push({ line: ex.index, text: clip((c.e.logTail[ex.index] ?? ex.text).trim()) });
      else ev.push({ line: null, text: clip(`${String(errEvent?.fields.kind)}: ${String(errEvent?.fields.message ?? '')}`) });
      const what = ex ? ex.text : `${String(errEvent?.fields.kind)}: ${String(errEvent?.fields.message ?? '')}`;
      return {
        confidence: frame ? 0.9 : 0.7,
        evidence: ev,
        summary: clip(frame ? `The training code raised ${what} at ${frame.file}:${frame.line}.` : `The training code raised ${what}.`),
      };
    },
  },
];

/** Ray's job supervisor prints `Running entrypoint for job <id>: <command>` at the top of every job log. */
const RAY_ENTRYPOINT_ECHO = /^Running entrypoint for job \S+: /;

/** Classifies a failed attempt. Deterministic: the same evidence always gives the same diagnosis (fixes are added later). */
export function classifyFailure(e: FailureEvidence): Diagnosis {
  // Ray echoes the job's command line; the user's own words there (a run name, a path) must not decide a class.
  const lines = e.logTail.map((l) => (RAY_ENTRYPOINT_ECHO.test(l) ? '' : stripPrefixes(l)));
  const tb = trainingTraceback(lines);
  const frame = tb ? trainingFrame(tb) : null;
  const c: Ctx = {
    e,
    lines,
    messageLines: (e.message ?? '').split('\n').map(stripPrefixes),
    tb,
    location: frame ? { file: frame.file, line: frame.line } : null,
  };
  for (const rule of RULES) {
    const v = rule.run(c);
    if (!v) continue;
    return {
      class: rule.cls,
      confidence: v.confidence,
      summary: v.summary,
      evidence: v.evidence.slice(-MAX_EVIDENCE),
      location: LOCATED.has(rule.cls) ? c.location : null,
      fixes: [],
      explanation: null,
    };
  }
  const msg = firstLine(e.message);
  const tail = [...e.logTail.keys()].slice(-3).map((i) => ({ line: i, text: clip((e.logTail[i] ?? '').trim()) }));
  return {
    class: 'unknown',
    confidence: 0,
    summary: clip(msg ? `No known failure pattern matched; Ray says: ${msg}` : 'No known failure pattern matched the log.'),
    evidence: tail.filter((t) => t.text),
    location: c.location,
    fixes: [],
    explanation: null,
  };
}
