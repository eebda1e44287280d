// Serves the contracts to the desktop window: one ipcMain.handle per channel, sender checked (our own
// top frame on our own origin) before anything is parsed; streams over a MessagePort per stream.
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type MessagePortMain, type WebFrameMain } from 'electron';
import { STREAM_OPEN_CHANNEL } from '../../common/contracts/define';
import { ClientMessageSchema } from '../../common/contracts/wire';
import { err } from '../../common/result';
import { allowedWhileLocked, appLockedError } from '../host/lock-gate';
import type { Dispatcher } from '../ipc/dispatcher';
import { StreamCredits } from '../ipc/stream-credits';
import { APP_ORIGIN } from './app-protocol';
import { isTrustedSender } from './sender-check';
import { z } from 'zod';

const FORBIDDEN = err({ code: 'FORBIDDEN', message: 'Request did not come from the app window' });

const StreamOpenSchema = z.object({ channel: z.string().max(200), input: z.unknown() });

/** `isLocked`: the app lock's state; while true only the lock screen's channels are served (main/host/lock-gate.ts). */
export function registerIpc(
  dispatcher: Dispatcher,
  trustedFrames: () => WebFrameMain[],
  isLocked: () => boolean = () => false,
): () => void {
  const refusedWhileLocked = (channel: string) => isLocked() && !allowedWhileLocked(channel);
  const channels = dispatcher.channels().filter((c) => c.spec.kind === 'call');
  for (const { channel } of channels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event.senderFrame, trustedFrames(), APP_ORIGIN)) return FORBIDDEN;
      if (refusedWhileLocked(channel)) return appLockedError();
      const ac = new AbortController();
      return dispatcher.call(channel, input, { transport: 'electron', signal: ac.signal });
    });
  }
  const onStream = (event: IpcMainEvent, raw: unknown) => {
    const port: MessagePortMain | undefined = event.ports[0];
    if (!port) return;
    const reply = (msg: unknown) => port.postMessage(msg);
    if (!isTrustedSender(event.senderFrame, trustedFrames(), APP_ORIGIN)) {
      reply({ t: 'end', id: 0, result: FORBIDDEN });
      return port.close();
    }
    const open = StreamOpenSchema.safeParse(raw);
    if (!open.success) {
      reply({ t: 'end', id: 0, result: err({ code: 'INVALID_ARGUMENT', message: 'Malformed stream request' }) });
      return port.close();
    }
    if (refusedWhileLocked(open.data.channel)) {
      reply({ t: 'end', id: 0, result: appLockedError() });
      return port.close();
    }
    const ac = new AbortController();
    const credits = new StreamCredits();
    port.on('message', (e) => {
      const msg = ClientMessageSchema.safeParse(e.data);
      if (!msg.success) return;
      if (msg.data.t === 'ack') credits.grant(msg.data.n);
      if (msg.data.t === 'cancel') {
        credits.cancel();
        ac.abort();
      }
    });
    port.on('close', () => {
      credits.cancel();
      ac.abort();
    });
    port.start();
    void dispatcher
      .stream(open.data.channel, open.data.input, { transport: 'electron', signal: ac.signal }, async (ev) => {
        await credits.take();
        reply({ t: 'event', id: 0, event: ev });
      })
      .then((result) => {
        reply({ t: 'end', id: 0, result });
        port.close();
      });
  };
  ipcMain.on(STREAM_OPEN_CHANNEL, onStream);
  return () => {
    for (const { channel } of channels) ipcMain.removeHandler(channel);
    ipcMain.off(STREAM_OPEN_CHANNEL, onStream);
  };
}
