// The app's identity (name, version) read once from package.json, wherever the code runs from.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const PackageJsonSchema = z.object({ name: z.string(), productName: z.string().optional(), version: z.string() });

export interface AppInfo {
  name: string;
  version: string;
  rootDir: string;
}

/** Walks up from `start` to the first package.json named evolve-studio (works from sources and from out/). */
export function readAppInfo(start: string = __dirname): AppInfo {
  let dir = start;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const parsed = PackageJsonSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (parsed.success && parsed.data.name === 'evolve-studio') {
        return { name: parsed.data.productName ?? parsed.data.name, version: parsed.data.version, rootDir: dir };
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json of evolve-studio not found above ${start}`);
    dir = parent;
  }
}
