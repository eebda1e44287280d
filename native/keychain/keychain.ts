// The one Keychain interface every secret backend implements (OS keychain, Electron safeStorage, passphrase file).

export interface Keychain {
  /** Stable backend name, recorded next to the database so a backend change is noticed (e.g. 'keytar', 'safeStorage:gnome_libsecret', 'passphrase'). */
  readonly backend: string;
  /** False when secrets would be readable by anyone with the disk (the app refuses such backends for the DB key). */
  readonly isSecure: boolean;
  get(service: string, account: string): Promise<string | null>;
  set(service: string, account: string, secret: string): Promise<void>;
  /** Resolves true when something was deleted. */
  delete(service: string, account: string): Promise<boolean>;
}

export function entryId(service: string, account: string): string {
  return `${service}\u0000${account}`;
}
