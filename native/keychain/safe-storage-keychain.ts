// Keychain backend over Electron safeStorage (desktop app): ciphertexts in a file, the OS keyring holds safeStorage's key.
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import { EvolveError } from '../../common/errors';
import { entryId, type Keychain } from './keychain';
import { readJsonFile, writeJsonFileAtomic } from './secret-file';

/** The part of Electron's safeStorage we use; passed in so this file never loads Electron itself. */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

const FileSchema = z.object({ version: z.literal(1), backend: z.string(), entries: z.record(z.string(), z.string()) });
type FileShape = z.infer<typeof FileSchema>;

export class SafeStorageKeychain implements Keychain {
  readonly backend: string;
  readonly isSecure = true;

  /**
   * Refuses to exist when safeStorage would not protect anything: encryption unavailable, or on Linux the
   * 'basic_text' backend (a hard-coded key: Electron's docs call it plaintext-equivalent).
   */
  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly path: string,
    platform: NodeJS.Platform = process.platform,
  ) {
    if (!safeStorage.isEncryptionAvailable())
      throw new EvolveError('UNAVAILABLE', 'Electron safeStorage encryption is not available on this system');
    const linuxBackend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
    if (linuxBackend === 'basic_text') {
      throw new EvolveError(
        'FORBIDDEN',
        'safeStorage is using the basic_text backend (no OS keyring): secrets would be readable by anyone with the disk',
        {
          backend: 'basic_text',
        },
      );
    }
    this.backend = linuxBackend ? `safeStorage:${linuxBackend}` : `safeStorage:${platform}`;
  }

  private read(): FileShape {
    return readJsonFile(this.path, FileSchema) ?? { version: 1, backend: this.backend, entries: {} };
  }

  async get(service: string, account: string): Promise<string | null> {
    const file = this.read();
    const ct = file.entries[entryId(service, account)];
    if (ct === undefined) return null;
    try {
      return this.safeStorage.decryptString(Buffer.from(ct, 'base64'));
    } catch {
      // The OS keyring (or its key) changed since this was written: Signal-Desktop#6962. The caller falls back to recovery.
      throw new EvolveError(
        'UNAUTHENTICATED',
        `safeStorage cannot decrypt ${service}/${account}: the OS keyring changed since it was stored`,
        {
          storedWith: file.backend,
          now: this.backend,
        },
      );
    }
  }

  async set(service: string, account: string, secret: string): Promise<void> {
    const file = this.read();
    const ct = this.safeStorage.encryptString(secret).toString('base64');
    writeJsonFileAtomic(this.path, { ...file, backend: this.backend, entries: { ...file.entries, [entryId(service, account)]: ct } });
  }

  async delete(service: string, account: string): Promise<boolean> {
    const file = this.read();
    const id = entryId(service, account);
    if (!(id in file.entries)) return false;
    const entries = { ...file.entries };
    delete entries[id];
    writeJsonFileAtomic(this.path, { ...file, entries });
    return true;
  }
}
