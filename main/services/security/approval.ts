// ApprovalGuard: actions that model output asks for and that would run OUTSIDE the codegen sandbox — a command, a file
// deletion, a network call, a write outside the project — are classified, held as pending approvals until the user
// approves or denies them (or they expire), and every step is audited (security.approval).
//
// Where it is wired today: nowhere needs it yet, and that is deliberate, not an omission. A survey of main/ (Dec 2026):
// generated code runs only inside the codegen sandbox (tests, checks: no approval needed); generated files reach the
// project only through workspace.applyGeneration, which the user clicks (gate, checkpoint, audit); chat has no tools;
// the local OpenAI-compatible server returns model tool calls to its API client and never executes them; cluster
// diagnosis fixes are chosen by rules and started by the user, not by model output. The first feature that executes a
// model's tool call or command in the app must call `gate()` before it runs anything.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { EvolveError } from '../../../common/errors';
import type { AuditEvent } from '../../../common/store/audit';

export const ACTION_KINDS = ['command', 'file-delete', 'network', 'file-write-outside'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** What model output proposes to do. `sandboxed`: runs inside the codegen sandbox (no approval needed). */
export const ProposedActionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run'),
    command: z.string().min(1).max(10_000),
    cwd: z.string().max(4096).optional(),
    sandboxed: z.boolean(),
  }),
  z.object({ type: z.literal('delete'), path: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('fetch'), url: z.string().min(1).max(4096), method: z.string().max(10).optional() }),
  z.object({ type: z.literal('write'), path: z.string().min(1).max(4096), root: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('tool-call'), name: z.string().min(1).max(200), arguments: z.string().max(100_000) }),
]);
export type ProposedAction = z.infer<typeof ProposedActionSchema>;

export interface Classification {
  /** The most serious kind this action is (null: needs no approval). */
  action: ActionKind | null;
  /** Every kind it touches, and why, for the approval prompt. */
  kinds: ActionKind[];
  reasons: string[];
  summary: string;
}

const DELETE_CMD =
  /(?:^|[;&|\s(`"'])(?:rm|rmdir|del|erase|rd|unlink|shred|truncate)\s|\bgit\s+clean\b|\bfind\b[^\n]*\s-delete\b|\bRemove-Item\b/i;
const NETWORK_CMD =
  /(?:^|[;&|\s(`"'])(?:curl|wget|nc|ncat|netcat|ssh|scp|sftp|rsync|ftp|telnet|Invoke-WebRequest|iwr)\s|\bgit\s+(?:push|fetch|pull|clone)\b|\b(?:npm|pnpm|yarn)\s+(?:install|i|add|publish)\b|\bpip3?\s+install\b|https?:\/\//i;
const SHELL_TOOLS = /^(?:run_shell|shell|bash|sh|exec|execute(?:_command)?|run_command|run_terminal_cmd|terminal|python|run_code)$/i;
const DELETE_TOOLS = /^(?:delete_file|remove_file|rm|delete|unlink|delete_directory)$/i;
const NETWORK_TOOLS = /^(?:fetch|http_request|web_fetch|browse|open_url|download|send_email|post|request)$/i;
const WRITE_TOOLS = /^(?:write_file|create_file|edit_file|apply_patch|save_file)$/i;
const clip = (s: string, n = 200): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Resolved `p` is `root` or below it (no `..` escape); both must be absolute. */
function insideRoot(p: string, root: string): boolean {
  const norm = (s: string): string => s.replace(/\\/g, '/').replace(/\/+$/, '');
  const parts: string[] = [];
  for (const seg of norm(p).split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  const resolved = `/${parts.join('/')}`;
  const r = norm(root) || '/';
  return resolved === r || resolved.startsWith(`${r}/`);
}

function classifyCommand(command: string, kinds: Set<ActionKind>, reasons: string[]): void {
  kinds.add('command');
  reasons.push('runs a command on this computer, outside the sandbox');
  if (DELETE_CMD.test(command)) {
    kinds.add('file-delete');
    reasons.push('the command deletes files');
  }
  if (NETWORK_CMD.test(command)) {
    kinds.add('network');
    reasons.push('the command reaches the network');
  }
}

/** Classifies a proposed action; pure. */
export function classifyAction(raw: ProposedAction): Classification {
  const a = ProposedActionSchema.parse(raw);
  const kinds = new Set<ActionKind>();
  const reasons: string[] = [];
  let summary: string;
  switch (a.type) {
    case 'run':
      summary = `run: ${clip(a.command)}`;
      if (!a.sandboxed) classifyCommand(a.command, kinds, reasons);
      break;
    case 'delete':
      summary = `delete ${clip(a.path)}`;
      kinds.add('file-delete');
      reasons.push('deletes a file');
      break;
    case 'fetch':
      summary = `${a.method ?? 'GET'} ${clip(a.url)}`;
      kinds.add('network');
      reasons.push('makes a network request');
      break;
    case 'write':
      summary = `write ${clip(a.path)}`;
      if (!insideRoot(a.path, a.root)) {
        kinds.add('file-write-outside');
        reasons.push('writes outside the project folder');
      }
      break;
    case 'tool-call': {
      summary = `tool ${a.name}(${clip(a.arguments, 160)})`;
      if (SHELL_TOOLS.test(a.name)) classifyCommand(a.arguments, kinds, reasons);
      else if (DELETE_TOOLS.test(a.name)) {
        kinds.add('file-delete');
        reasons.push('a tool that deletes files');
      } else if (NETWORK_TOOLS.test(a.name)) {
        kinds.add('network');
        reasons.push('a tool that reaches the network');
      } else if (WRITE_TOOLS.test(a.name)) {
        kinds.add('file-write-outside');
        reasons.push('a tool that writes files outside the reviewed apply path');
      } else {
        // An unknown tool may do anything: held like a command.
        kinds.add('command');
        reasons.push(`an unknown tool (${clip(a.name, 60)}): it may do anything`);
      }
      break;
    }
  }
  const order: ActionKind[] = ['file-delete', 'network', 'file-write-outside', 'command'];
  const list = order.filter((k) => kinds.has(k));
  return { action: list[0] ?? null, kinds: list, reasons, summary };
}

export interface PendingApproval {
  id: string;
  origin: string;
  action: ProposedAction;
  classification: Classification;
  createdAt: number;
  expiresAt: number;
}

export interface ApprovalGuardOptions {
  /** Records each step (the store's audit.append). Awaited: an action is not held, approved or run unaudited. */
  audit: (ev: AuditEvent) => Promise<unknown>;
  now?: () => number;
  /** How long a held action waits for the user before it expires (denied). */
  ttlMs?: number;
  /** Told when the pending list changes (the renderer's approval prompt). */
  onChange?: (pending: readonly PendingApproval[]) => void;
}

export const DEFAULT_APPROVAL_TTL_MS = 10 * 60_000;

interface Waiter {
  pending: PendingApproval;
  settle: (approved: boolean, reason: string) => void;
}

export class ApprovalGuard {
  private readonly waiting = new Map<string, Waiter>();
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(private readonly o: ApprovalGuardOptions) {
    this.now = o.now ?? Date.now;
    this.ttlMs = o.ttlMs ?? DEFAULT_APPROVAL_TTL_MS;
  }

  pending(): PendingApproval[] {
    this.expireOld();
    return [...this.waiting.values()].map((w) => w.pending);
  }

  /**
   * Runs `exec` if the action needs no approval; otherwise holds it and runs `exec` only after approve(id).
   * Denied or expired: rejects with FORBIDDEN and `exec` never runs. `onHeld` gets the pending entry (to show it).
   */
  async gate<T>(origin: string, action: ProposedAction, exec: () => Promise<T>, onHeld?: (p: PendingApproval) => void): Promise<T> {
    const classification = classifyAction(action);
    if (!classification.action) return exec();
    const at = this.now();
    const pending: PendingApproval = { id: randomUUID(), origin, action, classification, createdAt: at, expiresAt: at + this.ttlMs };
    await this.record(pending, 'held');
    const decision = new Promise<{ approved: boolean; reason: string }>((resolve) => {
      this.waiting.set(pending.id, { pending, settle: (approved, reason) => resolve({ approved, reason }) });
    });
    this.changed();
    onHeld?.(pending);
    const { approved, reason } = await decision;
    if (!approved) throw new EvolveError('FORBIDDEN', `Not run: ${classification.summary} (${reason})`, { approvalId: pending.id });
    return exec();
  }

  /** Approves a held action: it is audited, then runs. NOT_FOUND for an unknown id; CONFLICT once it has expired. */
  async approve(id: string, reason?: string): Promise<void> {
    const w = this.take(id);
    await this.record(w.pending, 'approved', reason);
    w.settle(true, reason ?? 'approved');
  }

  /** Denies a held action: audited, and its `gate` rejects with FORBIDDEN. */
  async deny(id: string, reason?: string): Promise<void> {
    const w = this.take(id);
    await this.record(w.pending, 'denied', reason);
    w.settle(false, reason ? `denied: ${reason}` : 'denied by the user');
  }

  private take(id: string): Waiter {
    const expired = (this.waiting.get(id)?.pending.expiresAt ?? Infinity) <= this.now();
    this.expireOld();
    if (expired) throw new EvolveError('CONFLICT', `Approval ${id} expired before it was answered; the action was not run.`);
    const w = this.waiting.get(id);
    if (!w) throw new EvolveError('NOT_FOUND', `No pending approval ${id} (it was decided, or it expired).`);
    this.waiting.delete(id);
    this.changed();
    return w;
  }

  /** Expired entries are denied (audited as expired); called on every read. */
  private expireOld(): void {
    const t = this.now();
    for (const [id, w] of this.waiting) {
      if (w.pending.expiresAt > t) continue;
      this.waiting.delete(id);
      void this.record(w.pending, 'expired').finally(() => w.settle(false, 'expired without an answer'));
    }
  }

  private changed(): void {
    this.o.onChange?.([...this.waiting.values()].map((w) => w.pending));
  }

  private record(p: PendingApproval, decision: 'held' | 'approved' | 'denied' | 'expired', reason?: string): Promise<unknown> {
    return this.o.audit({
      kind: 'security.approval',
      data: {
        decision,
        approvalId: p.id,
        action: p.classification.action!,
        origin: p.origin.slice(0, 500) || 'unknown',
        summary: p.classification.summary.slice(0, 2000),
        ...(reason ? { reason: reason.slice(0, 2000) } : {}),
      },
    });
  }
}
