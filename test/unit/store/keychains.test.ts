// Unit tests for the file-based keychains: passphrase (real scrypt + AES-GCM) and safeStorage (with a hand-written stand-in).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PassphraseKeychain } from '../../../native/keychain/passphrase-keychain';
import { SafeStorageKeychain, type SafeStorageLike } from '../../../native/keychain/safe-storage-keychain';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'evolve-kc-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('PassphraseKeychain', () => {
  it('stores secrets that only the passphrase opens; the file holds no plaintext', async () => {
    const path = join(tmp(), 'kc.json');
    const kc = await PassphraseKeychain.unlock(path, 'correct horse battery', { scryptN: 2 ** 12 });
    await kc.set('evolve', 'db-key', 'SECRET-VALUE-123');
    expect(await kc.get('evolve', 'db-key')).toBe('SECRET-VALUE-123');
    expect(await kc.get('evolve', 'other')).toBeNull();
    expect(readFileSync(path, 'utf8')).not.toContain('SECRET-VALUE-123');
    const again = await PassphraseKeychain.unlock(path, 'correct horse battery');
    expect(await again.get('evolve', 'db-key')).toBe('SECRET-VALUE-123');
    expect(await again.delete('evolve', 'db-key')).toBe(true);
    expect(await again.delete('evolve', 'db-key')).toBe(false);
  });
  it('refuses a wrong passphrase, a short one, and a tampered entry', async () => {
    const path = join(tmp(), 'kc.json');
    const kc = await PassphraseKeychain.unlock(path, 'correct horse battery', { scryptN: 2 ** 12 });
    await kc.set('evolve', 'db-key', 'v');
    await expect(PassphraseKeychain.unlock(path, 'wrong horse battery')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(PassphraseKeychain.unlock(join(tmp(), 'x.json'), 'short')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // Moving a ciphertext to another entry fails: the entry id is bound as AAD.
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.entries['evolve\u0000stolen'] = file.entries['evolve\u0000db-key'];
    writeFileSync(path, JSON.stringify(file));
    const reopened = await PassphraseKeychain.unlock(path, 'correct horse battery');
    await expect(reopened.get('evolve', 'stolen')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
  it('reports a malformed file as CORRUPT instead of starting over', async () => {
    const path = join(tmp(), 'kc.json');
    writeFileSync(path, '{"version":1}');
    await expect(PassphraseKeychain.unlock(path, 'correct horse battery')).rejects.toMatchObject({ code: 'CORRUPT' });
  });
});

// A stand-in for Electron's safeStorage: Electron cannot run in unit tests here, so this hand-written object implements
// the four methods we use (XOR "encryption" is enough to show the keychain never stores what it was given).
function fakeSafeStorage(
  backend: ReturnType<SafeStorageLike['getSelectedStorageBackend']>,
  available = true,
): SafeStorageLike & { keyringChanged: boolean } {
  const o = {
    keyringChanged: false,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (s: string) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (b: Buffer) => {
      if (o.keyringChanged) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8');
    },
  };
  return o;
}

describe('SafeStorageKeychain', () => {
  it('round-trips through safeStorage and names its backend', async () => {
    const path = join(tmp(), 'safe.json');
    const kc = new SafeStorageKeychain(fakeSafeStorage('gnome_libsecret'), path, 'linux');
    expect(kc.backend).toBe('safeStorage:gnome_libsecret');
    await kc.set('evolve', 'db-key', 'abc');
    expect(await kc.get('evolve', 'db-key')).toBe('abc');
    expect(readFileSync(path, 'utf8')).not.toContain('abc"');
    expect(await kc.delete('evolve', 'db-key')).toBe(true);
    expect(await kc.get('evolve', 'db-key')).toBeNull();
  });
  it('refuses basic_text on Linux as insecure', () => {
    expect(() => new SafeStorageKeychain(fakeSafeStorage('basic_text'), join(tmp(), 's.json'), 'linux')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });
  it('accepts other platforms (no Linux backend question) and refuses when encryption is unavailable', () => {
    expect(new SafeStorageKeychain(fakeSafeStorage('unknown'), join(tmp(), 's.json'), 'darwin').backend).toBe('safeStorage:darwin');
    expect(() => new SafeStorageKeychain(fakeSafeStorage('gnome_libsecret', false), join(tmp(), 's.json'), 'linux')).toThrow(
      expect.objectContaining({ code: 'UNAVAILABLE' }),
    );
  });
  it('turns a decrypt failure (keyring changed) into UNAUTHENTICATED, not a crash', async () => {
    const path = join(tmp(), 'safe.json');
    const ss = fakeSafeStorage('gnome_libsecret');
    const kc = new SafeStorageKeychain(ss, path, 'linux');
    await kc.set('evolve', 'db-key', 'v');
    ss.keyringChanged = true;
    await expect(kc.get('evolve', 'db-key')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
