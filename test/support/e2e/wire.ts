// Watches the wire protocol between a page and the browser host (the page's real WebSocket frames), so a
// test can wait for "settings.get has answered" instead of sleeping, and see what the page sent.
import type { Page, WebSocket } from 'playwright-core';

export interface WireRecord {
  socket: number;
  dir: 'sent' | 'received';
  msg: { t: string; id: number; channel?: string; result?: { ok: boolean; error?: { code: string; message: string } } };
  channel: string | undefined;
}

export class WireRecorder {
  readonly records: WireRecord[] = [];
  private sockets = 0;
  private waiters: (() => void)[] = [];

  constructor(page: Page) {
    page.on('websocket', (ws) => this.attach(ws));
  }

  private attach(ws: WebSocket): void {
    const socket = ++this.sockets;
    const channels = new Map<number, string>();
    const record = (dir: WireRecord['dir'], payload: string | Buffer) => {
      let msg: WireRecord['msg'];
      try {
        msg = JSON.parse(String(payload)) as WireRecord['msg'];
      } catch {
        return;
      }
      if (dir === 'sent' && typeof msg.channel === 'string') channels.set(msg.id, msg.channel);
      this.records.push({ socket, dir, msg, channel: channels.get(msg.id) });
      for (const w of this.waiters.splice(0)) w();
    };
    ws.on('framesent', (f) => record('sent', f.payload));
    ws.on('framereceived', (f) => record('received', f.payload));
  }

  /** Final answers (call results and stream ends) received for `channel`, e.g. 'evolve:settings.get'. */
  answers(channel: string): WireRecord[] {
    return this.records.filter((r) => r.dir === 'received' && (r.msg.t === 'result' || r.msg.t === 'end') && r.channel === channel);
  }

  sent(channel: string): WireRecord[] {
    return this.records.filter((r) => r.dir === 'sent' && r.channel === channel);
  }

  /** Resolves once `channel` has at least `count` answers in total; rejects after `timeoutMs`. */
  async waitForAnswers(channel: string, count: number, timeoutMs = 15_000): Promise<WireRecord[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.answers(channel).length < count) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for answer #${count} of ${channel} (have ${this.answers(channel).length})`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.answers(channel);
  }
}

/**
 * Runs `load` (a goto or a reload) and waits until the app is interactive: the new page's settings.get and
 * app.status have answered (so the section restored from settings cannot override a click made too early).
 */
export async function loadApp(page: Page, wire: WireRecorder, load: () => Promise<unknown>, timeoutMs = 20_000): Promise<void> {
  const settingsBefore = wire.answers('evolve:settings.get').length;
  const statusBefore = wire.answers('evolve:app.status').length;
  await load();
  await wire.waitForAnswers('evolve:settings.get', settingsBefore + 1, timeoutMs);
  await wire.waitForAnswers('evolve:app.status', statusBefore + 1, timeoutMs);
  await page.getByTestId('status-version').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Opens `url` (e.g. the host's launch URL) and waits until the app is interactive. */
export function gotoApp(page: Page, wire: WireRecorder, url: string, timeoutMs = 20_000): Promise<void> {
  return loadApp(page, wire, () => page.goto(url, { waitUntil: 'load', timeout: timeoutMs }), timeoutMs);
}
