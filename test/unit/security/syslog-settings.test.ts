// Syslog settings validation, and the new "syslog" egress feature reading settings files written before it existed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYSLOG_SETTINGS, SyslogSettingsSchema } from '../../../common/contracts/security-events';
import { SettingsSchema } from '../../../common/contracts/settings';

const ok = (p: object) => SyslogSettingsSchema.safeParse({ ...DEFAULT_SYSLOG_SETTINGS, ...p }).success;

describe('syslog settings', () => {
  it('accepts the defaults and a TLS receiver with a private CA', () => {
    expect(ok({})).toBe(true);
    expect(ok({ enabled: true, host: 'siem.example.org', caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' })).toBe(
      true,
    );
    expect(ok({ enabled: true, host: '10.0.0.5', port: 514, tls: false })).toBe(true);
  });

  it('refuses what would break the message or the connection', () => {
    expect(ok({ enabled: true, host: '' })).toBe(false);
    expect(ok({ host: 'a b' })).toBe(false);
    expect(ok({ host: 'evil.example/path' })).toBe(false);
    expect(ok({ port: 0 })).toBe(false);
    expect(ok({ appName: 'has space' })).toBe(false);
    expect(ok({ appName: 'x'.repeat(49) })).toBe(false);
    expect(ok({ caPem: 'not a certificate' })).toBe(false);
    expect(SyslogSettingsSchema.safeParse({ ...DEFAULT_SYSLOG_SETTINGS, extra: 1 }).success).toBe(false);
  });

  it('an older settings file without the syslog allow-list keeps its other allowed destinations', () => {
    const old = { providers: ['api.openai.com'], 'model-downloads': [], cluster: ['ray.lab:8265'], notifications: [] };
    expect(SettingsSchema.shape.egressAllow.parse(old)).toEqual({ ...old, syslog: [] });
  });
});
