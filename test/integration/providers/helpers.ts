// Shared helpers for provider integration tests: drain a ChatEvent stream, build a guard, a keyring map.
import type { GetSecret } from '../../../common/providers/provider';
import type { ChatEvent } from '../../../common/providers/types';
import { EgressGuard, type EgressPolicy } from '../../../main/services/providers/egress-guard';

export async function drain(
  stream: AsyncIterable<ChatEvent>,
): Promise<{ text: string; events: ChatEvent[]; done: Extract<ChatEvent, { type: 'done' }> | undefined }> {
  const events: ChatEvent[] = [];
  let text = '';
  for await (const ev of stream) {
    events.push(ev);
    if (ev.type === 'delta') text += ev.text;
  }
  const done = events.find((e): e is Extract<ChatEvent, { type: 'done' }> => e.type === 'done');
  return { text, events, done };
}

export function secrets(map: Record<string, string>): GetSecret {
  return async (id) => map[id];
}

export function guard(policy: EgressPolicy = { offlineOnly: false }): { guard: EgressGuard; policy: EgressPolicy } {
  return { guard: new EgressGuard(() => policy), policy };
}

export async function caught(p: Promise<unknown>): Promise<{ code?: string; message: string; details?: unknown }> {
  try {
    await p;
  } catch (e) {
    const r = e as { code?: string; message: string; details?: unknown };
    return r;
  }
  throw new Error('expected a rejection');
}
