// Where other apps keep their models (LM Studio, Jan, Ollama) and how to list the GGUFs in a folder without copying.
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import { basename, join } from 'node:path';
import type { ModelSource } from '../../../common/inference/models';
import { listOllamaModels } from './ollama';

export interface ModelFolder {
  path: string;
  source: Exclude<ModelSource, 'download' | 'imported' | 'cache'> | 'cache';
  /** 'gguf-tree' = look for *.gguf files; 'ollama' = an Ollama store (manifests + blobs). */
  layout: 'gguf-tree' | 'ollama';
}

export interface FoundModel {
  path: string;
  displayName: string;
  source: ModelFolder['source'];
}

/** The folders LM Studio, Jan and Ollama use by default on this OS (existing or not; scanning skips absent ones). */
export function defaultModelFolders(home = os.homedir(), platform = process.platform, env = process.env): ModelFolder[] {
  const appData =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_DATA_HOME ?? join(home, '.local', 'share'));
  return [
    { path: join(home, '.lmstudio', 'models'), source: 'lmstudio', layout: 'gguf-tree' },
    { path: join(home, '.cache', 'lm-studio', 'models'), source: 'lmstudio', layout: 'gguf-tree' },
    { path: join(appData, 'Jan', 'data', 'llamacpp', 'models'), source: 'jan', layout: 'gguf-tree' },
    { path: join(appData, 'Jan', 'data', 'models'), source: 'jan', layout: 'gguf-tree' },
    { path: join(home, 'jan', 'models'), source: 'jan', layout: 'gguf-tree' },
    { path: env.OLLAMA_MODELS ?? join(home, '.ollama', 'models'), source: 'ollama', layout: 'ollama' },
  ];
}

const MAX_DEPTH = 5;

/** Lists the models in one folder. Projector files (mmproj) and partial downloads are not chat models: skipped. */
export async function scanFolder(folder: ModelFolder): Promise<FoundModel[]> {
  if (folder.layout === 'ollama') {
    const models = await listOllamaModels(folder.path);
    return models.map((m) => ({ path: m.blobPath, displayName: m.name, source: folder.source }));
  }
  const out: FoundModel[] = [];
  await walk(folder.path, 0, (p) => {
    const name = basename(p);
    if (!/\.gguf$/i.test(name) || /mmproj/i.test(name)) return;
    // Split GGUFs (…-00002-of-00003.gguf) load from their first part only.
    const split = /-(\d{5})-of-(\d{5})\.gguf$/i.exec(name);
    if (split && split[1] !== '00001') return;
    out.push({ path: p, displayName: name.replace(/\.gguf$/i, ''), source: folder.source });
  });
  return out;
}

async function walk(dir: string, depth: number, onFile: (p: string) => void): Promise<void> {
  if (depth > MAX_DEPTH) return;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // missing or unreadable folder: nothing to list
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, depth + 1, onFile);
    else if (e.isFile() || e.isSymbolicLink()) onFile(p);
  }
}
