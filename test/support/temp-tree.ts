// Temporary file trees for tests: write `files` (relative path → text) under a fresh temp dir; every tree made
// through one helper is removed by its cleanup (call it from afterEach).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export function tempTrees(prefix: string): { make(files: Record<string, string>): Promise<string>; cleanup(): Promise<void> } {
  const dirs: string[] = [];
  return {
    async make(files) {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
      dirs.push(dir);
      for (const [rel, text] of Object.entries(files)) {
        await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
        await fs.writeFile(path.join(dir, rel), text);
      }
      return dir;
    },
    async cleanup() {
      for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
    },
  };
}
