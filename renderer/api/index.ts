// The page's one handle on the app: `window.evolve` from the preload in Electron, or the same API over
// the browser host's WebSocket. Only store slices call it.
import type { EvolveApi } from '../../common/contracts';
import { connectToHost } from './socket-connection';

declare global {
  interface Window {
    evolve?: EvolveApi;
  }
}

let api: EvolveApi | undefined;

export async function initApi(): Promise<EvolveApi> {
  api = window.evolve ?? (await connectToHost());
  return api;
}

export function getApi(): EvolveApi {
  if (!api) throw new Error('API used before initApi()');
  return api;
}

/** Tests and the Electron preload can install an API directly. */
export function setApi(next: EvolveApi): void {
  api = next;
}
