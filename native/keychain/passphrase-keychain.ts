// Keychain backend for machines without an OS keychain: secrets sealed with AES-256-GCM under a scrypt key from a passphrase.
import { z } from 'zod';
import { EvolveError } from '../../common/errors';
import { deriveKey, newScryptParams, ScryptParamsSchema, SealedSchema, seal, unseal } from './aead';
import { entryId, type Keychain } from './keychain';
import { readJsonFile, writeJsonFileAtomic } from './secret-file';

const FileSchema = z.object({
  version: z.literal(1),
  kdf: ScryptParamsSchema,
  /** A sealed constant: proves the passphrase at unlock, before any entry is touched. */
  check: SealedSchema,
  entries: z.record(z.string(), SealedSchema),
});
type FileShape = z.infer<typeof FileSchema>;

const CHECK_AAD = 'evolve/passphrase-check/v1';
const CHECK_TEXT = 'evolve-passphrase-ok';

/**
 * The file holds the salt, scrypt parameters, nonces and ciphertexts only. The derived key is kept in memory for the
 * life of the object (unlock once per session).
 */
export class PassphraseKeychain implements Keychain {
  readonly backend = 'passphrase';
  readonly isSecure = true;

  private constructor(
    private readonly path: string,
    private readonly key: Buffer,
    private file: FileShape,
  ) {}

  /** Opens `path` with `passphrase`, creating the file on first use. Wrong passphrase → UNAUTHENTICATED. */
  static async unlock(path: string, passphrase: string, opts: { scryptN?: number } = {}): Promise<PassphraseKeychain> {
    if (passphrase.length < 8) throw new EvolveError('INVALID_ARGUMENT', 'The passphrase must be at least 8 characters');
    const existing = readJsonFile(path, FileSchema);
    if (existing) {
      const key = await deriveKey(passphrase, existing.kdf);
      unseal(key, existing.check, CHECK_AAD, 'passphrase keychain');
      return new PassphraseKeychain(path, key, existing);
    }
    const kdf = newScryptParams(opts.scryptN ?? 2 ** 17);
    const key = await deriveKey(passphrase, kdf);
    const file: FileShape = { version: 1, kdf, check: seal(key, Buffer.from(CHECK_TEXT), CHECK_AAD), entries: {} };
    writeJsonFileAtomic(path, file);
    return new PassphraseKeychain(path, key, file);
  }

  async get(service: string, account: string): Promise<string | null> {
    const id = entryId(service, account);
    const s = this.file.entries[id];
    return s ? unseal(this.key, s, id, `secret ${service}/${account}`).toString('utf8') : null;
  }

  async set(service: string, account: string, secret: string): Promise<void> {
    const id = entryId(service, account);
    const next: FileShape = { ...this.file, entries: { ...this.file.entries, [id]: seal(this.key, Buffer.from(secret, 'utf8'), id) } };
    writeJsonFileAtomic(this.path, next);
    this.file = next;
  }

  async delete(service: string, account: string): Promise<boolean> {
    const id = entryId(service, account);
    if (!(id in this.file.entries)) return false;
    const entries = { ...this.file.entries };
    delete entries[id];
    const next = { ...this.file, entries };
    writeJsonFileAtomic(this.path, next);
    this.file = next;
    return true;
  }
}
