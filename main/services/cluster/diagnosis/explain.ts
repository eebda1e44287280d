// The local coding model's short explanation of a diagnosis (≤ 3 sentences); the rules chose the class, never the model.
import { toErrorInfo } from '../../../../common/errors';
import type { Diagnosis } from '../../../../common/cluster/diagnosis';
import type { CompleteOptions, Completion, EngineMessage } from '../../codegen/engine/types';
import { wrapUntrusted } from '../../security/untrusted';

/** The part of a model the explainer needs (the codegen engine's local-model port has it). */
export interface ExplainModel {
  complete(messages: EngineMessage[], opts: CompleteOptions): Promise<Completion>;
}

export interface ExplainerOptions {
  /** Loads the local coding model; rejects when none is installed (then there is no explanation). */
  model: (signal?: AbortSignal) => Promise<ExplainModel>;
  timeoutMs?: number;
  maxTokens?: number;
  /** Runs the call at the machine's background priority (the work scheduler), when given. */
  schedule?: <T>(label: string, fn: () => Promise<T>) => Promise<T>;
  log?: (level: 'warn' | 'info', msg: string) => void;
}

export type Explainer = (d: Diagnosis, context: { jobName: string }, signal?: AbortSignal) => Promise<string | null>;

export const EXPLAIN_MAX_TOKENS = 120;
const EXPLAIN_TIMEOUT_MS = 45_000;
const MAX_EVIDENCE_CHARS = 1200;

const CLASS_WORDS: Record<Diagnosis['class'], string> = {
  'host-oom': 'a node ran out of host memory and the process was killed',
  'cuda-oom': 'a GPU ran out of memory',
  'nccl-timeout': 'a collective operation between training processes timed out or lost its peer',
  'gpu-xid': 'the NVIDIA driver reported a GPU hardware fault (XID)',
  'node-lost': 'a cluster node died during the job',
  'disk-full': 'a disk filled up',
  'data-loader': 'loading the training data failed',
  'bad-config': 'the training configuration was rejected',
  'python-exception': 'the training code raised an exception',
  unknown: 'no known failure pattern matched',
};

export function explainMessages(d: Diagnosis, jobName: string): EngineMessage[] {
  let evidence = '';
  for (const e of d.evidence) {
    const line = `${e.line === null ? '-' : `line ${e.line + 1}`}: ${e.text}\n`;
    if (evidence.length + line.length > MAX_EVIDENCE_CHARS) break;
    evidence += line;
  }
  const fixes = d.fixes.map((f) => f.label).join('; ') || 'none';
  return [
    {
      role: 'system',
      content:
        'You explain why a machine-learning training job failed, for the engineer who ran it. Write at most 3 short ' +
        'sentences of plain prose: what happened, the likely cause, and what to try. Do not repeat the log lines, do ' +
        'not use lists, headings or code blocks, and do not contradict the given diagnosis.',
    },
    {
      role: 'user',
      content:
        `Job: ${jobName}\nDiagnosis (decided by rules): ${CLASS_WORDS[d.class]}.\nSummary: ${d.summary}\n` +
        (d.location ? `Location: ${d.location.file}:${d.location.line}\n` : '') +
        // Log lines are job output (anyone's code prints them): marked as data, flagged when they carry instructions.
        `Evidence from the log:\n${wrapUntrusted('job-log', `${jobName} log`, evidence).text}\nFixes the app offers: ${fixes}`,
    },
  ];
}

/** Plain prose of at most 3 sentences: fences, list markers and extra sentences are cut; empty → null. */
export function cleanExplanation(text: string): string | null {
  const prose = text
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .split('\n')
    .map((l) =>
      l
        .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
        .replace(/^#+\s*/, '')
        .trim(),
    )
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!prose) return null;
  // A sentence ends at . ! ? followed by a space or the end ("2.00 GiB" and "train.py" stay inside one).
  const sentences = (prose.match(/(?:[^.!?]|[.!?](?!\s|$))+(?:[.!?]+|$)/g) ?? [prose]).map((x) => x.trim()).filter(Boolean);
  // An answer cut by the token cap ends mid-sentence: drop that fragment when a whole sentence precedes it.
  const whole = sentences.filter((x) => /[.!?]$/.test(x));
  const out = (whole.length ? whole : sentences).slice(0, 3).join(' ');
  return out.length > 600 ? `${out.slice(0, 599)}…` : out;
}

/** An Explainer over the local model: any failure (no model, timeout, cancel) gives null, with the reason logged. */
export function modelExplainer(o: ExplainerOptions): Explainer {
  const timeoutMs = o.timeoutMs ?? EXPLAIN_TIMEOUT_MS;
  return async (d, ctx, signal) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const s = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const run = async (): Promise<string | null> => {
      const model = await o.model(s);
      const answer = await model.complete(explainMessages(d, ctx.jobName), {
        maxTokens: o.maxTokens ?? EXPLAIN_MAX_TOKENS,
        temperature: 0,
        signal: s,
      });
      return cleanExplanation(answer.text);
    };
    try {
      return await (o.schedule ? o.schedule('cluster: failure explanation', run) : run());
    } catch (e) {
      o.log?.(
        'warn',
        `no explanation for the ${d.class} diagnosis: ${timeout.aborted ? `no answer within ${timeoutMs} ms` : toErrorInfo(e).message}`,
      );
      return null;
    }
  };
}
