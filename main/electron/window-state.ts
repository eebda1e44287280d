// Remembers the window's size, position and maximized state across restarts, and never restores it
// onto a display that is no longer there.
import type { BrowserWindow } from 'electron';
import { screen } from 'electron';
import path from 'node:path';
import { z } from 'zod';
import { readJsonOr, writeJsonAtomic } from '../services/json-file';
import { visibleOnSomeDisplay } from './display-geometry';

const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false };

export async function loadWindowState(dataDir: string): Promise<WindowState> {
  const state = await readJsonOr(path.join(dataDir, 'window-state.json'), WindowStateSchema, DEFAULT_STATE);
  if (state.x === undefined || state.y === undefined) return state;
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const rect = { x: state.x, y: state.y, width: state.width, height: state.height };
  return visibleOnSomeDisplay(rect, displays) ? state : { width: state.width, height: state.height, maximized: state.maximized };
}

export function trackWindowState(win: BrowserWindow, dataDir: string): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    void writeJsonAtomic(path.join(dataDir, 'window-state.json'), { ...b, maximized: win.isMaximized() } satisfies WindowState);
  };
  const debounced = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', debounced);
  win.on('move', debounced);
  win.on('maximize', save);
  win.on('unmaximize', save);
  win.on('close', () => {
    clearTimeout(timer);
    save();
  });
}
