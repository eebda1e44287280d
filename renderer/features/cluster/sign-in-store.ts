// The page's view of each cluster profile's sign-in (who, until when, role from claims — never a token) and the
// device-code sign-in in progress (its code and URL, cancellable). Only these actions call the sign-in API.
import { create } from 'zustand';
import type { AuthStatus, DeviceCodePrompt } from '../../../common/cluster/auth';
import { getApi } from '../../api';

interface PendingSignIn {
  profileId: string;
  prompt: DeviceCodePrompt | null;
  cancel: () => void;
}

interface SignInState {
  status: Record<string, AuthStatus>;
  pending: PendingSignIn | null;
  error: { profileId: string; message: string } | null;
  load(profileId: string): Promise<void>;
  signIn(profileId: string): Promise<void>;
  cancel(): void;
  signOut(profileId: string): Promise<void>;
}

export const useClusterSignIn = create<SignInState>((set, get) => ({
  status: {},
  pending: null,
  error: null,
  async load(profileId) {
    const r = await getApi().cluster.authStatus({ profileId });
    if (r.ok) set({ status: { ...get().status, [profileId]: r.value } });
  },
  async signIn(profileId) {
    get().pending?.cancel();
    const handle = getApi().cluster.signIn({ profileId }, (prompt) => {
      const p = get().pending;
      if (p?.profileId === profileId) set({ pending: { ...p, prompt } });
    });
    set({ pending: { profileId, prompt: null, cancel: handle.cancel }, error: null });
    const r = await handle.result;
    if (get().pending?.profileId === profileId) set({ pending: null });
    if (r.ok) set({ status: { ...get().status, [profileId]: r.value } });
    else if (r.error.code !== 'CANCELLED') set({ error: { profileId, message: r.error.message } });
  },
  cancel() {
    get().pending?.cancel();
    set({ pending: null });
  },
  async signOut(profileId) {
    const r = await getApi().cluster.signOut({ profileId });
    if (r.ok) set({ status: { ...get().status, [profileId]: r.value }, error: null });
    else set({ error: { profileId, message: r.error.message } });
  },
}));
