// Who may call main over IPC: only the top frame of one of our windows, showing our own origin
// (VS Code's validatedIpcMain). Pure, so it is unit-tested without Electron.
export interface FrameLike {
  readonly processId: number;
  readonly routingId: number;
  readonly url: string;
  readonly parent: FrameLike | null;
}

export function isTrustedSender(frame: FrameLike | null | undefined, trusted: readonly FrameLike[], origin: string): boolean {
  if (!frame || frame.parent !== null) return false;
  if (!trusted.some((f) => f.processId === frame.processId && f.routingId === frame.routingId)) return false;
  try {
    // Compare scheme and host: for a custom scheme, WHATWG `URL.origin` is the opaque "null" in Node.
    const u = new URL(frame.url);
    const o = new URL(origin);
    return u.protocol === o.protocol && u.host === o.host && u.host !== '';
  } catch {
    return false;
  }
}
