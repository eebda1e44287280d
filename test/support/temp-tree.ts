// Temporary directories for tests: `tempDir` (one empty dir) and `tempTrees` (fresh dirs holding `files`, relative
// path → text); each comes with a cleanup that removes what it made — call it from afterEach/afterAll so a failing test
// leaves nothing behind in the OS temp dir either.
import { mkdtempSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

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
