// Syslog forwarding settings in the encrypted store's settings table (the DB worker audits each change as settings.change).
import { DEFAULT_SYSLOG_SETTINGS, SyslogSettingsSchema, type SyslogSettings } from '../../../../common/contracts/security-events';
import { EvolveError } from '../../../../common/errors';
import type { Json } from '../../../../common/store/rows';
import type { StoreService } from '../../store/store-service';

export const SYSLOG_SETTINGS_KEY = 'security.syslog';

export type SyslogStorePort = Pick<StoreService, 'ready' | 'client'>;

export class SyslogSettingsStore {
  constructor(private readonly store: SyslogStorePort) {}

  /** Saved settings; a stored value that no longer validates reads as the defaults (forwarding off). */
  async load(): Promise<SyslogSettings> {
    if (!this.store.ready) return DEFAULT_SYSLOG_SETTINGS;
    const row = await this.store.client.call('setting.get', { key: SYSLOG_SETTINGS_KEY });
    const parsed = SyslogSettingsSchema.safeParse(row?.value);
    return parsed.success ? parsed.data : DEFAULT_SYSLOG_SETTINGS;
  }

  /** Validates, then writes; bad input throws INVALID_ARGUMENT and changes nothing. The CA is public, not a secret. */
  async save(input: unknown): Promise<SyslogSettings> {
    const p = SyslogSettingsSchema.safeParse(input);
    if (!p.success) {
      const i = p.error.issues[0];
      throw new EvolveError(
        'INVALID_ARGUMENT',
        `Invalid syslog settings (${i?.path.join('.') || 'settings'}: ${i?.message ?? 'bad value'})`,
      );
    }
    if (!this.store.ready) throw new EvolveError('UNAVAILABLE', 'Unlock the encrypted store first: syslog settings live there');
    await this.store.client.call('setting.set', { key: SYSLOG_SETTINGS_KEY, value: p.data as unknown as Json });
    return p.data;
  }
}
