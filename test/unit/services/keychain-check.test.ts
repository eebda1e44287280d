// The doctor's keychain check: the pure verdict per platform and backend, the keytar round trip against an
// in-memory keytar (and a broken one), and against the real Secret Service where the suite provides one.
import { describe, expect, it } from 'vitest';
import { gatherKeychainFacts, keychainVerdict, keytarRoundTrip } from '../../../main/services/doctor/keychain-check';
import { loadKeytar, type Keytar } from '../../../native/keychain/keytar-keychain';
import type { SafeStorageLike } from '../../../native/keychain/safe-storage-keychain';

/** A keytar with the real API's semantics over a Map; `lose` drops writes to model a keyring that forgets. */
function mapKeytar(opts: { lose?: boolean } = {}): Keytar & { size(): number } {
  const m = new Map<string, string>();
  const k = (s: string, a: string) => `${s}\u0000${a}`;
  return {
    size: () => m.size,
    getPassword: async (s, a) => m.get(k(s, a)) ?? null,
    setPassword: async (s, a, p) => {
      if (!opts.lose) m.set(k(s, a), p);
    },
    deletePassword: async (s, a) => m.delete(k(s, a)),
    findCredentials: async (s) =>
      [...m.entries()]
        .filter(([key]) => key.startsWith(`${s}\u0000`))
        .map(([key, password]) => ({ account: key.split('\u0000')[1]!, password })),
  };
}

function safeStorage(available: boolean, backend = 'gnome_libsecret'): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => Buffer.from(s),
    decryptString: (b: Buffer) => b.toString(),
    getSelectedStorageBackend: () => backend as ReturnType<SafeStorageLike['getSelectedStorageBackend']>,
  };
}

describe('keychainVerdict', () => {
  it('is ok only after a successful round trip, on every platform', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const ok = keychainVerdict({ platform, keytar: { loaded: true }, roundTrip: { ok: true } });
      expect(ok.status).toBe('ok');
      expect(ok.detail).toContain(
        platform === 'darwin' ? 'macOS Keychain' : platform === 'win32' ? 'Credential Manager' : 'Secret Service',
      );
      const failed = keychainVerdict({ platform, keytar: { loaded: true }, roundTrip: { ok: false, why: 'denied' } });
      expect(failed.status).toBe('warn');
      expect(failed.detail).toContain('denied');
      expect(failed.hint).toBeTruthy();
      expect(keychainVerdict({ platform, keytar: { loaded: true } }).status).toBe('warn');
    }
  });

  it('names the passphrase fallback and how to get keytar when it is missing', () => {
    const v = keychainVerdict({ platform: 'linux', keytar: { loaded: false, why: 'Cannot find module keytar' } });
    expect(v.status).toBe('warn');
    expect(v.detail).toMatch(/passphrase keychain in use.*Cannot find module keytar/);
    expect(v.hint).toContain('libsecret-1-dev');
    expect(keychainVerdict({ platform: 'darwin', keytar: { loaded: false, why: 'x' } }).hint).toContain('npm ci');
  });

  it('in the desktop app judges safeStorage: unavailable and Linux basic_text are warnings', () => {
    const base = { keytar: { loaded: false as const, why: 'not used' } };
    expect(keychainVerdict({ ...base, platform: 'darwin', safeStorage: { available: true } }).status).toBe('ok');
    expect(keychainVerdict({ ...base, platform: 'win32', safeStorage: { available: false } }).status).toBe('warn');
    expect(keychainVerdict({ ...base, platform: 'linux', safeStorage: { available: true, backend: 'basic_text' } })).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('basic_text'),
    });
    expect(keychainVerdict({ ...base, platform: 'linux', safeStorage: { available: true, backend: 'kwallet5' } }).detail).toContain(
      'kwallet5',
    );
  });
});

describe('gathering the facts', () => {
  it('round-trips through keytar and leaves nothing behind', async () => {
    const kt = mapKeytar();
    expect(await keytarRoundTrip(kt)).toEqual({ ok: true });
    expect(kt.size()).toBe(0);
  });

  it('fails the round trip when the keychain forgets, throws, or hangs', async () => {
    expect(await keytarRoundTrip(mapKeytar({ lose: true }))).toEqual({ ok: false, why: 'the written entry was not found again' });
    const throwing = { ...mapKeytar(), setPassword: async () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')) };
    expect(await keytarRoundTrip(throwing)).toMatchObject({ ok: false, why: expect.stringContaining('D-Bus') });
    const hanging = { ...mapKeytar(), setPassword: () => new Promise<void>(() => {}) };
    expect(await keytarRoundTrip(hanging, 50)).toMatchObject({ ok: false, why: expect.stringContaining('no answer') });
  });

  it('reports a keytar that cannot be loaded as UNAVAILABLE with a one-line reason', async () => {
    const err = await loadKeytar(() => Promise.reject(new Error("Cannot find module 'keytar'\nRequire stack:\n- x"))).catch((e) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
    expect(err.message).toContain("Cannot find module 'keytar'");
    expect(err.message).not.toContain('Require stack');
    const facts = await gatherKeychainFacts({}, 'linux', () =>
      loadKeytar(() => Promise.reject(new Error('libsecret-1.so.0: cannot open'))),
    );
    expect(facts.keytar).toMatchObject({ loaded: false, why: expect.stringContaining('libsecret-1.so.0') });
    expect(keychainVerdict(facts).status).toBe('warn');
  });

  it('uses safeStorage, not keytar, when the desktop app passes it', async () => {
    let loaded = false;
    const facts = await gatherKeychainFacts({ safeStorage: safeStorage(true) }, 'linux', async () => {
      loaded = true;
      return mapKeytar();
    });
    expect(loaded).toBe(false);
    expect(facts.safeStorage).toEqual({ available: true, backend: 'gnome_libsecret' });
  });

  // The real thing: with-keyring.sh (the suite's runner) provides an unlocked gnome-keyring on a private D-Bus.
  it.skipIf(!process.env.DBUS_SESSION_BUS_ADDRESS)('completes a real round trip through the Secret Service', async () => {
    const facts = await gatherKeychainFacts({}, 'linux');
    expect(facts).toEqual({ platform: 'linux', keytar: { loaded: true }, roundTrip: { ok: true } });
    expect(keychainVerdict(facts).status).toBe('ok');
  });
});
