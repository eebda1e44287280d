// The doctor's keychain check: a real round trip through the secret store the app would use (keytar's
// set → findCredentials → delete, or Electron safeStorage where the desktop app runs), then a pure verdict.
import { randomUUID } from 'node:crypto';
import { toErrorInfo } from '../../../common/errors';
import { loadKeytar, type Keytar } from '../../../native/keychain/keytar-keychain';
import type { SafeStorageLike } from '../../../native/keychain/safe-storage-keychain';
import type { CheckContext, CheckDef, CheckOutcome } from './checks';

/** What was found, as plain data, so the verdict is testable without an OS keychain. */
export interface KeychainFacts {
  platform: NodeJS.Platform;
  /** Inside the desktop app: what Electron's safeStorage reported (the app keeps its key there). */
  safeStorage?: { available: boolean; backend?: string };
  /** Whether keytar (optional dependency) loaded, and why not. */
  keytar: { loaded: true } | { loaded: false; why: string };
  /** The set → findCredentials → delete round trip through keytar, when it loaded. */
  roundTrip?: { ok: true } | { ok: false; why: string };
}

const NATIVE: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'macOS Keychain',
  win32: 'Windows Credential Manager',
  linux: 'Secret Service (libsecret)',
};

function keytarHint(platform: NodeJS.Platform): string {
  if (platform === 'linux')
    return 'Install libsecret and rebuild keytar (sudo apt-get install -y libsecret-1-dev pkg-config && npm rebuild keytar); until then a passphrase protects the store key.';
  return 'Reinstall dependencies (npm ci) so keytar is built for this platform; until then a passphrase protects the store key.';
}

export function keychainVerdict(f: KeychainFacts): CheckOutcome {
  const store = NATIVE[f.platform] ?? 'OS keychain';
  if (f.safeStorage) {
    if (!f.safeStorage.available)
      return {
        status: 'warn',
        detail: 'Electron safeStorage reports encryption unavailable: the store key is protected by a passphrase',
        hint:
          f.platform === 'linux'
            ? 'Run inside a desktop session with gnome-keyring or KWallet.'
            : 'Sign in to a user session with a keychain.',
      };
    if (f.platform === 'linux' && f.safeStorage.backend === 'basic_text')
      return {
        status: 'warn',
        detail: 'safeStorage would use basic_text (no OS keyring): refused, a passphrase protects the store key',
        hint: 'Run inside a desktop session with gnome-keyring or KWallet.',
      };
    return { status: 'ok', detail: `Electron safeStorage (${f.safeStorage.backend ?? store}): encryption available` };
  }
  if (!f.keytar.loaded) return { status: 'warn', detail: `passphrase keychain in use — ${f.keytar.why}`, hint: keytarHint(f.platform) };
  if (!f.roundTrip) return { status: 'warn', detail: `keytar loaded but ${store} was not tried` };
  if (!f.roundTrip.ok)
    return {
      status: 'warn',
      detail: `${store} did not complete a write/read/delete round trip (${f.roundTrip.why}): a passphrase protects the store key`,
      hint:
        f.platform === 'linux'
          ? 'Install and unlock gnome-keyring (apt install gnome-keyring) or KWallet in a session with D-Bus.'
          : 'Unlock your login keychain and allow Evolve Studio to use it.',
    };
  return { status: 'ok', detail: `${store} via keytar: write, find and delete round trip succeeded` };
}

/** Writes a throwaway entry, finds it with findCredentials, deletes it; bounded in time (a locked keyring can prompt). */
export async function keytarRoundTrip(keytar: Keytar, timeoutMs = 8_000): Promise<{ ok: true } | { ok: false; why: string }> {
  const service = 'evolve-studio-doctor';
  const account = `probe-${randomUUID()}`;
  const secret = randomUUID();
  const trip = async () => {
    await keytar.setPassword(service, account, secret);
    try {
      const found = await keytar.findCredentials(service);
      if (!found.some((c) => c.account === account && c.password === secret)) throw new Error('the written entry was not found again');
    } finally {
      await keytar.deletePassword(service, account);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      trip(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (e) {
    return { ok: false, why: toErrorInfo(e).message.split('\n')[0] ?? 'failed' };
  } finally {
    clearTimeout(timer);
  }
}

export async function gatherKeychainFacts(
  ctx: Pick<CheckContext, 'safeStorage'>,
  platform: NodeJS.Platform = process.platform,
  load: () => Promise<Keytar> = () => loadKeytar(),
): Promise<KeychainFacts> {
  if (ctx.safeStorage)
    return { platform, keytar: { loaded: false, why: 'not used in the desktop app' }, safeStorage: safeFacts(ctx.safeStorage, platform) };
  let keytar: Keytar;
  try {
    keytar = await load();
  } catch (e) {
    return { platform, keytar: { loaded: false, why: toErrorInfo(e).message } };
  }
  return { platform, keytar: { loaded: true }, roundTrip: await keytarRoundTrip(keytar) };
}

function safeFacts(s: SafeStorageLike, platform: NodeJS.Platform): KeychainFacts['safeStorage'] {
  const available = s.isEncryptionAvailable();
  return { available, ...(available && platform === 'linux' ? { backend: s.getSelectedStorageBackend() } : {}) };
}

export const keychainCheck: CheckDef = {
  id: 'keychain',
  label: 'OS keychain',
  async run(ctx) {
    return keychainVerdict(await gatherKeychainFacts(ctx));
  },
};
