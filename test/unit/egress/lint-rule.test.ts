// The one-guard lint rule really bites: network client imports and globals fail outside main/platform/egress, while
// the guard itself, servers, type-only imports and the layering rule keep working.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function egressErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'egress/no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => `${m.ruleId}: ${m.message}`);
}

describe('egress lint rule', () => {
  it('fails on every network client import in main services and native workers', async () => {
    const code = [
      "import http from 'node:http';",
      "import https from 'https';",
      "import net from 'node:net';",
      "import tls from 'node:tls';",
      "import dns from 'node:dns/promises';",
      "import { fetch as f } from 'undici';",
      "import WebSocket from 'ws';",
      "import nodemailer from 'nodemailer';",
      'export const x = [http, https, net, tls, dns, f, WebSocket, nodemailer];',
    ].join('\n');
    expect(await egressErrors('main/services/cluster/probe.ts', code)).toHaveLength(8);
    expect(await egressErrors('native/inference/probe.ts', code)).toHaveLength(8);
  });

  it("fails on global fetch / WebSocket and Electron's net", async () => {
    const msgs = await egressErrors(
      'main/services/models/probe.ts',
      "import { net } from 'electron';\nexport const a = () => fetch('https://example.com');\nexport const b = () => new WebSocket('wss://x');\nexport const c = net;\n",
    );
    expect(msgs).toHaveLength(3);
    expect(msgs.join('\n')).toMatch(/Global fetch bypasses the egress guard/);
  });

  it('allows the guard module, the servers and type-only imports', async () => {
    const clientCode = "import http from 'node:http';\nimport WebSocket from 'ws';\nexport const x = [http, WebSocket, fetch];\n";
    expect(await egressErrors('main/platform/egress/probe.ts', clientCode)).toEqual([]);
    expect(
      await egressErrors(
        'main/host/server.ts',
        "import http from 'node:http';\nimport { WebSocketServer } from 'ws';\nexport const x = [http, WebSocketServer];\n",
      ),
    ).toEqual([]);
    expect(
      await egressErrors(
        'main/services/cluster/probe.ts',
        "import type http from 'node:http';\nimport type WebSocket from 'ws';\nexport type X = [http.IncomingHttpHeaders, WebSocket.RawData];\n",
      ),
    ).toEqual([]);
    // Tests may open sockets (fixtures, recorders).
    expect(await egressErrors('test/integration/egress/probe.test.ts', clientCode)).toEqual([]);
  });

  it('adds to the layering rule instead of replacing it', async () => {
    const [result] = await eslint.lintText("import { app } from 'electron';\nexport const x = app;\n", {
      filePath: path.join(root, 'main/services/probe.ts'),
    });
    expect((result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')).toHaveLength(1);
  });
});
