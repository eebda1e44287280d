// The layering rule of DESIGN.md §7 really bites: upward and platform imports are lint errors in the
// layers that must not have them, and allowed where they belong.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layering lint rule', () => {
  it('forbids the renderer from importing main, native, preload or Node', async () => {
    const msgs = await restricted(
      'renderer/probe.ts',
      "import { a } from '../main/ipc';\nimport { b } from '../native/rpc/serve';\nimport fs from 'node:fs';\nimport os from 'os';\nexport const x = [a, b, fs, os];\n",
    );
    expect(msgs).toHaveLength(4);
  });

  it('forbids common from importing anything platform-specific', async () => {
    const msgs = await restricted(
      'common/probe.ts',
      "import { app } from 'electron';\nimport { c } from '../renderer/api';\nimport http from 'node:http';\nexport const x = [app, c, http];\n",
    );
    expect(msgs).toHaveLength(3);
  });

  it('keeps Electron out of main services but allows it in main/electron and preload', async () => {
    expect(await restricted('main/services/probe.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await restricted('main/services/probe.ts', "import type { App } from 'electron';\nexport type X = App;\n")).toHaveLength(0);
    expect(await restricted('main/electron/probe.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(0);
    expect(await restricted('preload/probe.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n")).toHaveLength(
      0,
    );
  });

  it('lets main import common and native (down the picture)', async () => {
    expect(
      await restricted(
        'main/services/probe.ts',
        "import { a } from '../../common/errors';\nimport { b } from '../../native/rpc/protocol';\nexport const x = [a, b];\n",
      ),
    ).toHaveLength(0);
  });
});
