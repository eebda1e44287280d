// The only bridge between the page and main: exposes `window.evolve.<domain>.<verb>`, generated from
// the contracts. No ipcRenderer, no generic invoke(channel), nothing else reaches the page.
import { contextBridge, ipcRenderer } from 'electron';
import { createClient } from '../common/transport/client';
import { ipcTransport } from './ipc-transport';

contextBridge.exposeInMainWorld('evolve', createClient(ipcTransport(ipcRenderer)));
