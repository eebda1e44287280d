// Keychain backend over keytar (OS keychain: libsecret/Secret Service on Linux) for Node/host mode.
import { EvolveError } from '../../common/errors';
import type { Keychain } from './keychain';

/** The part of keytar's API we use, declared here so type-checking does not need the optional package installed. */
export interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

/**
 * keytar is an optional dependency (its build needs libsecret on Linux): where it is missing or not built this
 * rejects with UNAVAILABLE and a one-line reason, and the app falls back to the passphrase keychain.
 */
export async function loadKeytar(importer: () => Promise<unknown> = () => import('keytar')): Promise<Keytar> {
  try {
    const mod = (await importer()) as Keytar & { default?: Keytar };
    return mod.default ?? mod;
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
    throw new EvolveError(
      'UNAVAILABLE',
      `keytar, the OS keychain client, is not installed or not built (optional; needs libsecret): ${first}`,
    );
  }
}

/** keytar is loaded lazily: a missing native build or a missing Secret Service becomes UNAVAILABLE, not a crash at import. */
export class KeytarKeychain implements Keychain {
  readonly backend = 'keytar';
  readonly isSecure = true;

  constructor(private readonly keytar: Keytar) {}

  /** Loads keytar and proves the Secret Service answers (a read of a probe entry). */
  static async create(): Promise<KeytarKeychain> {
    const kc = new KeytarKeychain(await loadKeytar());
    await kc.get('evolve-studio', '__probe__');
    return kc;
  }

  private async wrap<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw new EvolveError('UNAVAILABLE', `The OS keychain did not answer (${what}): ${(e as Error).message}`);
    }
  }

  get(service: string, account: string): Promise<string | null> {
    return this.wrap('get', () => this.keytar.getPassword(service, account));
  }
  set(service: string, account: string, secret: string): Promise<void> {
    return this.wrap('set', () => this.keytar.setPassword(service, account, secret));
  }
  delete(service: string, account: string): Promise<boolean> {
    return this.wrap('delete', () => this.keytar.deletePassword(service, account));
  }
}
