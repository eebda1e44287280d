// Keychain backend over keytar (OS keychain: libsecret/Secret Service on Linux) for Node/host mode.
import { EvolveError } from '../../common/errors';
import type * as KeytarModule from 'keytar';
import type { Keychain } from './keychain';

type Keytar = typeof KeytarModule;

/** keytar is loaded lazily: a missing native build or a missing Secret Service becomes UNAVAILABLE, not a crash at import. */
export class KeytarKeychain implements Keychain {
  readonly backend = 'keytar';
  readonly isSecure = true;

  private constructor(private readonly keytar: Keytar) {}

  /** Loads keytar and proves the Secret Service answers (a read of a probe entry). */
  static async create(): Promise<KeytarKeychain> {
    let keytar: Keytar;
    try {
      const mod = (await import('keytar')) as Keytar & { default?: Keytar };
      keytar = mod.default ?? mod;
    } catch (e) {
      throw new EvolveError('UNAVAILABLE', `keytar is not installed or not built: ${(e as Error).message}`);
    }
    const kc = new KeytarKeychain(keytar);
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
