// The app lock's page side with a scripted API (the service itself runs for real in L1's tests and in
// test/e2e/app-lock.test.ts): the unlock flow (wrong passphrase, the second-factor step, the lockout countdown with the
// input disabled), the whole app replaced by the lock screen, the Security panel's states (QR as a local data URI,
// recovery codes shown once, inline errors), activity throttling, the strength hint and the Ctrl+L shortcut.
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvolveApi } from '../../../../common/contracts';
import type { ErrorInfo } from '../../../../common/errors';
import type { AppLockStatus } from '../../../../common/security/app-lock';
import { setApi } from '../../../../renderer/api';
import { App } from '../../../../renderer/app/App';
import { useStore } from '../../../../renderer/app/store';
import { AppLockPanel } from '../../../../renderer/features/lock/AppLockPanel';
import { LockScreen, formatWait } from '../../../../renderer/features/lock/LockScreen';
import { ACTIVITY_REPORT_MS } from '../../../../renderer/features/lock/lock-slice';
import { passphraseStrength } from '../../../../renderer/features/lock/passphrase-strength';
import { groupSecret, qrImageSrc } from '../../../../renderer/features/lock/TotpSection';
import { isLockShortcut } from '../../../../renderer/features/lock/useAppLock';

const PASS = 'correct horse battery staple';
const CODES = Array.from({ length: 10 }, (_, i) => `abcd${i}-efgh${i}`);
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><path d="M0 0h7v7H0z"/></svg>';

const base = (p: Partial<AppLockStatus> = {}): AppLockStatus => ({
  enabled: true,
  locked: true,
  totp: 'on',
  recoveryCodesLeft: 10,
  idleMinutes: 15,
  lockedUntil: null,
  failedAttempts: 0,
  ...p,
});

let status: AppLockStatus;
let calls: string[];
/** What unlock answers next (the scripted service's verdict). */
let unlockAnswer: (i: { passphrase: string; code?: string }) => { ok: true; value: AppLockStatus } | { ok: false; error: ErrorInfo };
const PRISTINE = useStore.getInitialState();

const answer = <T,>(value: T) => ({ ok: true as const, value });

beforeEach(() => {
  status = base();
  calls = [];
  unlockAnswer = () => answer((status = base({ locked: false })));
  setApi({
    appLock: {
      status: async () => (calls.push('status'), answer(status)),
      unlock: async (i: { passphrase: string; code?: string }) => (calls.push(`unlock:${i.code ?? '-'}`), unlockAnswer(i)),
      lock: async () => (calls.push('lock'), answer((status = base()))),
      activity: async () => (calls.push('activity'), answer({ ok: true })),
      enable: async (i: { passphrase: string; idleMinutes: number }) =>
        i.passphrase === PASS
          ? answer((status = base({ locked: false, totp: 'off', idleMinutes: i.idleMinutes })))
          : { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'The keychain refused the new key copy' } },
      totpBegin: async () =>
        answer({ otpauthUri: 'otpauth://totp/Evolve%20Studio?secret=JBSWY3DPEHPK3PXP', qrSvg: SVG, secretBase32: 'JBSWY3DPEHPK3PXP' }),
      totpConfirm: async (i: { code: string }) =>
        i.code === '123456'
          ? ((status = base({ locked: false })), answer({ recoveryCodes: CODES }))
          : { ok: false, error: { code: 'UNAUTHENTICATED', message: 'That code is not the current one' } },
    },
    store: {
      status: async () => (calls.push('store.status'), { ok: false, error: { code: 'UNAUTHENTICATED', message: 'x' } }),
      // Main counts a store opened by the recovery key as an unlock: the next lock status says unlocked.
      unlockWithRecoveryKey: async (i: { recoveryKey: string }) =>
        i.recoveryKey === 'ABCD-EFGH-IJKL'
          ? ((status = base({ locked: false })), answer({ state: 'ready' }))
          : { ok: false, error: { code: 'UNAUTHENTICATED', message: 'That recovery key does not open this store' } },
    },
    app: { status: async () => (calls.push('app.status'), { ok: false, error: { code: 'UNAUTHENTICATED', message: 'x' } }) },
    settings: { get: async () => (calls.push('settings.get'), { ok: false, error: { code: 'UNAUTHENTICATED', message: 'x' } }) },
  } as unknown as EvolveApi);
  useStore.setState(PRISTINE, true);
});

/** renderToString reads zustand's initial state: make it the current one. */
function render(node: React.ReactElement): string {
  Object.assign(useStore.getInitialState(), useStore.getState());
  return renderToString(node).replace(/<!-- -->/g, '');
}

describe('lock screen', () => {
  it('replaces the whole app while locked: no section, no sidebar, only the lock screen (and the status bar)', async () => {
    await useStore.getState().loadAppLock();
    let html = render(<App />);
    expect(html).toContain('data-testid="lock-screen"');
    expect(html).not.toContain('section-panel');
    expect(html).not.toContain('data-testid="nav-assistant"');
    status = base({ locked: false });
    await useStore.getState().loadAppLock();
    html = render(<App />);
    expect(html).not.toContain('data-testid="lock-screen"');
    expect(html).toContain('section-panel');
    expect(html).toContain('data-testid="lock-now"');
  });

  it('with TOTP on: the passphrase step sends nothing, passphrase + code go together; a wrong pair goes back to step one', async () => {
    await useStore.getState().loadAppLock();
    // The passphrase step only moves on (main checks neither factor alone).
    useStore.getState().askForCode();
    let html = render(<LockScreen />);
    expect(html).toContain('data-testid="lock-code"');
    expect(html).not.toContain('data-testid="lock-passphrase"');
    expect(calls.filter((c) => c.startsWith('unlock'))).toEqual([]);

    unlockAnswer = () => ({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: 'Wrong passphrase or code', details: { failedAttempts: 1, retryAfterMs: 0 } },
    });
    expect(await useStore.getState().unlockApp('not the passphrase', '123456')).toBe(false);
    html = render(<LockScreen />);
    expect(html).toMatch(/data-testid="lock-error"[^>]*>Wrong passphrase or code/);
    expect(html).toContain('data-testid="lock-passphrase"');
    expect(html).not.toContain('data-testid="lock-code"');

    // A code missing (TOTP turned on since the status was read): main's INVALID_ARGUMENT brings the code step.
    unlockAnswer = (i) =>
      i.code === undefined
        ? { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Enter the code from your authenticator app or a recovery code' } }
        : answer((status = base({ locked: false })));
    expect(await useStore.getState().unlockApp(PASS)).toBe(false);
    expect(useStore.getState().appLock.needsCode).toBe(true);
    expect(useStore.getState().appLock.unlockError).toBeNull();

    expect(await useStore.getState().unlockApp(PASS, '123456')).toBe(true);
    expect(useStore.getState().appLock.status?.locked).toBe(false);
    expect(calls).toEqual(expect.arrayContaining(['unlock:123456', 'unlock:-', 'store.status', 'app.status', 'settings.get']));
    // Back to the first step for the next lock.
    expect(useStore.getState().appLock.needsCode).toBe(false);
  });

  it('a forgotten passphrase: the recovery key opens the store and the app, a wrong one is an inline error', async () => {
    await useStore.getState().loadAppLock();
    expect(render(<LockScreen />)).toContain('data-testid="lock-use-recovery-key"');
    expect(await useStore.getState().unlockAppWithRecoveryKey(' WRONG-KEY-0000 ')).toBe(false);
    expect(useStore.getState().appLock.unlockError?.message).toBe('That recovery key does not open this store');
    expect(useStore.getState().appLock.status?.locked).toBe(true);
    expect(await useStore.getState().unlockAppWithRecoveryKey(' ABCD-EFGH-IJKL ')).toBe(true);
    expect(useStore.getState().appLock.status?.locked).toBe(false);
  });

  it('with TOTP off a wrong passphrase is an inline error and the passphrase step stays', async () => {
    status = base({ totp: 'off', recoveryCodesLeft: 0 });
    await useStore.getState().loadAppLock();
    unlockAnswer = () => ({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: 'Wrong passphrase or code', details: { failedAttempts: 1, retryAfterMs: 0 } },
    });
    expect(await useStore.getState().unlockApp('not the passphrase')).toBe(false);
    const html = render(<LockScreen />);
    expect(html).toMatch(/data-testid="lock-error"[^>]*>Wrong passphrase or code/);
    expect(html).toMatch(/data-testid="lock-unlock"[^>]*>Unlock</);
  });

  it('during a lockout shows the countdown and disables the input and the button', async () => {
    await useStore.getState().loadAppLock();
    unlockAnswer = () => ({
      ok: false,
      error: { code: 'RESOURCE_EXHAUSTED', message: 'Too many attempts', details: { failedAttempts: 4, retryAfterMs: 30_000 } },
    });
    const before = Date.now();
    expect(await useStore.getState().unlockApp('wrong wrong')).toBe(false);
    await useStore.getState().loadAppLock(); // a status without lockedUntil keeps the refusal's retry time
    const retryAt = useStore.getState().appLock.retryAt!;
    expect(retryAt - before).toBeGreaterThanOrEqual(30_000);
    expect(retryAt - Date.now()).toBeLessThanOrEqual(30_000);
    const html = render(<LockScreen />);
    expect(html).toMatch(/data-testid="lock-countdown"[^>]*>Too many failed attempts\. Try again in 0:(30|29)/);
    expect(html).toMatch(/<input[^>]*disabled=""[^>]*data-testid="lock-passphrase"/);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="lock-unlock"/);
    // The lockout also shows after a reload: from the status's lockedUntil.
    useStore.setState(PRISTINE, true);
    status = base({ lockedUntil: Date.now() + 60_000, failedAttempts: 5 });
    await useStore.getState().loadAppLock();
    expect(render(<LockScreen />)).toMatch(/Try again in (1:00|0:59)/);
    expect(formatWait(61_001)).toBe('1:02');
    expect(formatWait(0)).toBe('0:00');
  });
});

describe('Security panel', () => {
  it('offers the enable form while off; a refusal keeps the form and shows the error inline', async () => {
    status = base({ enabled: false, locked: false, totp: 'off', recoveryCodesLeft: 0 });
    await useStore.getState().loadAppLock();
    let html = render(<AppLockPanel />);
    expect(html).toContain('data-testid="app-lock-enable-form"');
    expect(await useStore.getState().enableAppLock('something else', 5)).toBe(false);
    html = render(<AppLockPanel />);
    expect(html).toMatch(/data-testid="app-lock-error"[^>]*>The keychain refused/);
    expect(html).toContain('data-testid="app-lock-enable-form"');
    expect(await useStore.getState().enableAppLock(PASS, 5)).toBe(true);
    html = render(<AppLockPanel />);
    expect(html).toContain('data-testid="app-lock-now"');
    expect(html).toContain('it locks after 5 idle minutes');
    expect(html).not.toContain('data-testid="app-lock-error"');
  });

  it('enrols TOTP: the QR is a local data URI image, the secret is shown, then the 10 codes once', async () => {
    status = base({ locked: false, totp: 'off', recoveryCodesLeft: 0 });
    await useStore.getState().loadAppLock();
    expect(await useStore.getState().beginTotp(PASS)).toBe(true);
    let html = render(<AppLockPanel />);
    expect(html).toContain(`src="${qrImageSrc(SVG).replace(/&/g, '&amp;')}"`);
    expect(qrImageSrc(SVG)).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    // The SVG itself is never put into the page's markup (it could carry script there; in an <img> it cannot).
    expect(html).not.toContain('<svg xmlns');
    expect(html).toContain('JBSW Y3DP EHPK 3PXP');
    expect(await useStore.getState().confirmTotp('000000')).toBe(false);
    html = render(<AppLockPanel />);
    expect(html).toMatch(/data-testid="app-lock-error"[^>]*>That code is not the current one/);
    expect(html).toContain('data-testid="totp-enrolment"'); // still enrolling: nothing lost
    expect(await useStore.getState().confirmTotp('123456')).toBe(true);
    html = render(<AppLockPanel />);
    for (const c of CODES) expect(html).toContain(c);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="recovery-codes-done"/);
    useStore.getState().dismissRecoveryCodes();
    html = render(<AppLockPanel />);
    for (const c of CODES) expect(html).not.toContain(c);
    expect(html).toContain('data-testid="totp-manage"');
  });
});

describe('helpers', () => {
  it('reports activity at most every ACTIVITY_REPORT_MS, and only while the lock is on and unlocked', async () => {
    status = base({ locked: false });
    await useStore.getState().loadAppLock();
    const t0 = 10_000_000_000;
    for (const dt of [0, 1, 1000, ACTIVITY_REPORT_MS - 1, ACTIVITY_REPORT_MS, ACTIVITY_REPORT_MS + 5])
      useStore.getState().reportActivity(t0 + dt);
    expect(calls.filter((c) => c === 'activity')).toHaveLength(2);
    status = base({ locked: false, idleMinutes: 0 });
    await useStore.getState().loadAppLock();
    useStore.getState().reportActivity(t0 + 10 * ACTIVITY_REPORT_MS);
    expect(calls.filter((c) => c === 'activity')).toHaveLength(2);
  });

  it('rates passphrases and groups the secret', () => {
    expect(passphraseStrength('short')).toBe('too-short');
    expect(passphraseStrength('12345678')).toBe('weak');
    expect(passphraseStrength('password')).toBe('weak');
    expect(passphraseStrength('Tr0ub4dor&3')).toBe('strong');
    expect(passphraseStrength(PASS)).toBe('strong');
    expect(groupSecret('JBSWY3DPEHPK3PXP==')).toBe('JBSW Y3DP EHPK 3PXP');
  });

  it('locks on Ctrl/Cmd+L unless something in the page (the editor) already took the key', () => {
    const k = { key: 'l', ctrlKey: true, metaKey: false, altKey: false, shiftKey: false, defaultPrevented: false };
    expect(isLockShortcut(k)).toBe(true);
    expect(isLockShortcut({ ...k, ctrlKey: false, metaKey: true, key: 'L' })).toBe(true);
    expect(isLockShortcut({ ...k, defaultPrevented: true })).toBe(false);
    expect(isLockShortcut({ ...k, shiftKey: true })).toBe(false);
    expect(isLockShortcut({ ...k, ctrlKey: false })).toBe(false);
  });
});
