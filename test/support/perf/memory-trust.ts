// The workspace's real trust rule (TrustStore) over an in-memory settings table, for tests of services that refuse
// untrusted projects; `clear()` forgets every decision.
import type { StoreCaller } from '../../../main/services/codegen/codegen-store';
import { TrustStore } from '../../../main/services/workspace/trust';

export function memoryTrust(): { trust: TrustStore; clear(): void } {
  const settings = new Map<string, unknown>();
  const store = {
    call: async (method: string, params: { key: string; value?: unknown }) => {
      if (method === 'setting.get') return settings.has(params.key) ? { key: params.key, value: settings.get(params.key) } : null;
      if (method === 'setting.set') return void settings.set(params.key, params.value);
      throw new Error(`unexpected ${method}`);
    },
  } as unknown as StoreCaller;
  return { trust: new TrustStore(store), clear: () => settings.clear() };
}
