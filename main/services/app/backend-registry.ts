// Each subsystem (inference, database, keychain, cluster) registers how to report its state; the status
// bar and `evolve doctor` read them here instead of each knowing about every subsystem.
import type { AppStatus, BackendState } from '../../../common/contracts/app';

export type BackendName = keyof AppStatus['backends'];
export type BackendProbe = () => Promise<BackendState> | BackendState;

const NOT_YET: Record<BackendName, BackendState> = {
  inference: { state: 'pending', detail: 'Local inference is not wired into this build yet' },
  database: { state: 'pending', detail: 'Encrypted store is not wired into this build yet' },
  keychain: { state: 'pending', detail: 'Keychain is not wired into this build yet' },
  cluster: { state: 'pending', detail: 'No cluster profile configured' },
};

export class BackendRegistry {
  private readonly probes = new Map<BackendName, BackendProbe>();

  register(name: BackendName, probe: BackendProbe): void {
    this.probes.set(name, probe);
  }

  async snapshot(): Promise<AppStatus['backends']> {
    const entries = await Promise.all(
      (Object.keys(NOT_YET) as BackendName[]).map(async (name): Promise<[BackendName, BackendState]> => {
        const probe = this.probes.get(name);
        if (!probe) return [name, NOT_YET[name]];
        try {
          return [name, await probe()];
        } catch (e) {
          return [name, { state: 'unavailable', detail: e instanceof Error ? e.message : String(e) }];
        }
      }),
    );
    return Object.fromEntries(entries) as AppStatus['backends'];
  }
}
