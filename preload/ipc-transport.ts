// The preload's transport: calls go through ipcRenderer.invoke on their own `evolve:<domain>.<verb>`
// channel; each stream gets a private MessagePort carrying the wire protocol (events, acks, cancel, end).
import type { IpcRenderer } from 'electron';
import { STREAM_OPEN_CHANNEL } from '../common/contracts/define';
import { STREAM_ACK_EVERY, ServerMessageSchema } from '../common/contracts/wire';
import { err, type Result } from '../common/result';
import type { ClientTransport, OpenedStream } from '../common/transport/client';

export function ipcTransport(ipc: IpcRenderer): ClientTransport {
  return {
    async call(channel, input) {
      try {
        return (await ipc.invoke(channel, input)) as Result<unknown>;
      } catch (e) {
        return err({ code: 'UNAVAILABLE', message: e instanceof Error ? e.message : String(e) });
      }
    },
    openStream(channel, input, onEvent): OpenedStream {
      const { port1, port2 } = new MessageChannel();
      let unacked = 0;
      let settle: (r: Result<unknown>) => void = () => {};
      const result = new Promise<Result<unknown>>((resolve) => (settle = resolve));
      port1.onmessage = (e: MessageEvent) => {
        const parsed = ServerMessageSchema.safeParse(e.data);
        if (!parsed.success) return;
        const msg = parsed.data;
        if (msg.t === 'event') {
          onEvent(msg.event);
          unacked += 1;
          if (unacked >= STREAM_ACK_EVERY) {
            port1.postMessage({ t: 'ack', id: 0, n: unacked });
            unacked = 0;
          }
        } else {
          settle(msg.result as Result<unknown>);
          port1.close();
        }
      };
      ipc.postMessage(STREAM_OPEN_CHANNEL, { channel, input }, [port2]);
      return { result, cancel: () => port1.postMessage({ t: 'cancel', id: 0 }) };
    },
  };
}
