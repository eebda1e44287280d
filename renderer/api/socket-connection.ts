// Connects the page to the browser host: one WebSocket to /ws on the same origin (the HttpOnly launch
// cookie authenticates it), wrapped as the typed API.
import { createClient } from '../../common/transport/client';
import { WireClient, socketPipe } from '../../common/transport/wire-client';
import type { EvolveApi } from '../../common/contracts';

export function connectToHost(location: Location = window.location): Promise<EvolveApi> {
  return new Promise((resolve, reject) => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws`);
    const timer = setTimeout(() => reject(new Error('Timed out connecting to the app')), 10_000);
    ws.addEventListener('open', () => {
      clearTimeout(timer);
      resolve(createClient(new WireClient(socketPipe(ws))));
    });
    ws.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error('Could not connect to the app: reopen the URL printed by `evolve serve`.'));
    });
  });
}
