// Browser-host gatekeeping helpers: loopback detection, static path containment, token comparison.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, tokensEqual } from '../../../main/host/security';
import { resolveStatic } from '../../../main/host/static-files';

describe('host security helpers', () => {
  it('knows loopback from everything else', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '128.0.0.1', '']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('never resolves a static path outside the root', () => {
    const root = path.resolve('/srv/app');
    expect(resolveStatic(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStatic(root, '/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
    for (const bad of ['/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../x', '/a%00b', '/%E0%A4%A']) {
      expect(resolveStatic(root, bad), bad).toBeNull();
    }
  });

  it('compares tokens in constant time and rejects missing or different ones', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual(undefined, 'abc')).toBe(false);
    expect(tokensEqual('abd', 'abc')).toBe(false);
    expect(tokensEqual('abcd', 'abc')).toBe(false);
  });
});
