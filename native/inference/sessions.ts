// Per-thread chat sessions on a loaded model: one KV sequence each, so a thread's next turn only evaluates
// the new tokens. Sequences are few (each costs a context's worth of KV), so the least recently used
// thread gives its sequence up; it then re-evaluates its history once on its next turn.
import type { ChatWrapper, LlamaChat, LlamaContext, TokenPredictor } from 'node-llama-cpp';
import { EvolveError } from '../../common/errors';
import type { NodeLlamaCpp } from './llama-module';
import { sequenceFreed } from './sequence-freed';

export interface ThreadSession {
  threadId: string;
  chat: LlamaChat;
  busy: boolean;
  lastUsed: number;
}

export class SessionPool {
  private readonly sessions = new Map<string, ThreadSession>();

  constructor(
    private readonly nlc: NodeLlamaCpp,
    private readonly context: LlamaContext,
    private readonly wrapper: ChatWrapper,
    private readonly makePredictor: (() => TokenPredictor) | undefined,
    /** Sessions this pool may hold at once; the context is shared with other pools, so each has its quota. */
    private readonly maxSessions: number,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** True while any thread of this pool is generating. */
  get busy(): boolean {
    for (const s of this.sessions.values()) if (s.busy) return true;
    return false;
  }

  /** The session for `threadId`, creating it (and evicting the least recently used idle one) if needed. */
  async acquire(threadId: string): Promise<ThreadSession> {
    let s = this.sessions.get(threadId);
    if (s) {
      if (s.busy) throw new EvolveError('CONFLICT', `Thread ${threadId} is already generating; stop it first`);
    } else {
      if (this.sessions.size >= this.maxSessions || this.context.sequencesLeft === 0) {
        this.evictOne();
        await sequenceFreed(this.context, 'a chat thread');
      }
      // Another acquire may have created this thread's session while this one waited.
      if (this.sessions.has(threadId)) return this.acquire(threadId);
      const predictor = this.makePredictor?.();
      const sequence = this.context.getSequence(predictor ? { tokenPredictor: predictor } : {});
      s = {
        threadId,
        chat: new this.nlc.LlamaChat({ contextSequence: sequence, chatWrapper: this.wrapper, autoDisposeSequence: true }),
        busy: false,
        lastUsed: 0,
      };
      this.sessions.set(threadId, s);
    }
    s.busy = true;
    s.lastUsed = performance.now();
    return s;
  }

  release(s: ThreadSession): void {
    s.busy = false;
    s.lastUsed = performance.now();
  }

  /** Forget a thread's KV state (e.g. after the user edited an earlier message in a way we cannot reuse). */
  reset(threadId: string): boolean {
    const s = this.sessions.get(threadId);
    if (!s) return false;
    if (s.busy) throw new EvolveError('CONFLICT', `Thread ${threadId} is generating; stop it first`);
    s.chat.dispose({ disposeSequence: true });
    this.sessions.delete(threadId);
    return true;
  }

  private evictOne(): void {
    let victim: ThreadSession | undefined;
    for (const s of this.sessions.values()) if (!s.busy && (!victim || s.lastUsed < victim.lastUsed)) victim = s;
    if (!victim)
      throw new EvolveError(
        'RESOURCE_EXHAUSTED',
        'All chat sessions of this model are busy; wait for one to finish or load it with more sequences',
      );
    this.reset(victim.threadId);
  }

  disposeAll(): void {
    for (const s of this.sessions.values()) s.chat.dispose({ disposeSequence: true });
    this.sessions.clear();
  }
}
