// The Content-Security-Policy of every way the renderer is served — the browser host's header, the Electron scheme's
// header, and the meta tag in renderer/index.html — parsed directive by directive: scripts only from our files (no
// inline, no eval), styles only from our files plus one nonce, connections only to our own origin (and the host's
// WebSocket), no plugins, no <base>, no framing, no form posts, and no wildcard or bare-scheme source anywhere.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cspFor } from '../../../main/electron/app-protocol';
import { CSP_NONCE_PLACEHOLDER } from '../../../main/host/csp-nonce';
import { contentSecurityPolicy } from '../../../main/host/security';

// app-protocol.ts imports Electron's net/protocol for its handler; cspFor itself is a pure string (no Electron here).
vi.mock('electron', () => ({ net: {}, protocol: {} }));

type Policy = Map<string, string[]>;

function parse(policy: string): Policy {
  const out: Policy = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(out.has(name), `directive ${name} appears twice`).toBe(false);
    out.set(name.toLowerCase(), sources);
  }
  return out;
}

const NONCE = 'oLG7YzUiUpmWvwL2MG+R1w==';
const FORBIDDEN = ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", "'strict-dynamic'", '*'];
const BARE_SCHEMES = /^(https?|wss?|blob|filesystem|file):$/i;

/** The rules every served policy must keep; `connect` is what connect-src may list beyond 'self'. */
function expectStrict(p: Policy, connect: string[], opts: { styleNonce: string | null; frameAncestors: boolean }): void {
  expect(p.get('default-src')).toEqual(["'self'"]);
  expect(p.get('script-src')).toEqual(["'self'"]);
  expect(p.get('style-src')).toEqual(opts.styleNonce ? ["'self'", `'nonce-${opts.styleNonce}'`] : ["'self'"]);
  expect(p.get('connect-src')).toEqual(["'self'", ...connect]);
  expect(p.get('object-src')).toEqual(["'none'"]);
  expect(p.get('base-uri')).toEqual(["'none'"]);
  expect(p.get('form-action')).toEqual(["'none'"]);
  if (opts.frameAncestors) expect(p.get('frame-ancestors')).toEqual(["'none'"]);
  expect(p.get('img-src')).toEqual(["'self'", 'data:']);
  for (const [name, sources] of p) {
    for (const s of sources) {
      expect(FORBIDDEN, `${name} allows ${s}`).not.toContain(s);
      expect(s, `${name} allows a whole scheme`).not.toMatch(BARE_SCHEMES);
      expect(s, `${name} allows a wildcard host`).not.toContain('*');
    }
  }
  // Directives that would relax scripts through another door are absent (they fall back to script-src 'self').
  for (const d of ['script-src-elem', 'script-src-attr', 'worker-src', 'child-src', 'frame-src', 'trusted-types'])
    expect(p.has(d), `${d} is set`).toBe(false);
}

describe('renderer Content-Security-Policy', () => {
  it('browser host header: strict, connect-src only our origin and our own WebSocket', () => {
    expectStrict(parse(contentSecurityPolicy('127.0.0.1:41234', NONCE)), ['ws://127.0.0.1:41234'], {
      styleNonce: NONCE,
      frameAncestors: true,
    });
    // Without a nonce (a non-HTML response) style elements are refused altogether.
    expectStrict(parse(contentSecurityPolicy('127.0.0.1:41234')), ['ws://127.0.0.1:41234'], { styleNonce: null, frameAncestors: true });
  });

  it('Electron evolve:// header: strict, connect-src only our origin', () => {
    expectStrict(parse(cspFor(NONCE)), [], { styleNonce: NONCE, frameAncestors: true });
  });

  it('the meta CSP in renderer/index.html: strict (frame-ancestors is header-only)', () => {
    const html = fs.readFileSync(path.join(__dirname, '../../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta, 'renderer/index.html has a meta CSP').toBeDefined();
    expectStrict(parse(meta ?? ''), [], { styleNonce: CSP_NONCE_PLACEHOLDER, frameAncestors: false });
  });

  it('fails on a relaxed policy (the checks above can fail)', () => {
    const relaxed = contentSecurityPolicy('127.0.0.1:1', NONCE).replace("script-src 'self'", "script-src 'self' 'unsafe-eval'");
    expect(() => expectStrict(parse(relaxed), ['ws://127.0.0.1:1'], { styleNonce: NONCE, frameAncestors: true })).toThrow();
    const open = contentSecurityPolicy('127.0.0.1:1', NONCE).replace('connect-src', 'connect-src https:');
    expect(() => expectStrict(parse(open), ['ws://127.0.0.1:1'], { styleNonce: NONCE, frameAncestors: true })).toThrow();
  });
});
