// SettingsService: persists atomically, survives a restart, keeps a corrupt file aside, resets bad fields.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../common/contracts/settings';
import { SettingsService } from '../../../main/services/settings/settings-service';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-settings-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('SettingsService', () => {
  it('returns defaults, persists updates and reads them in a new instance', async () => {
    const dir = tmp();
    const a = SettingsService.inDataDir(dir);
    expect(await a.get()).toEqual(DEFAULT_SETTINGS);
    const changes: string[][] = [];
    a.onChange((_s, changed) => changes.push(changed));
    await a.update({ theme: 'dark', offlineOnly: false });
    expect(changes).toEqual([['theme', 'offlineOnly']]);
    const b = SettingsService.inDataDir(dir);
    expect(await b.get()).toMatchObject({ theme: 'dark', offlineOnly: false });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps an unreadable file aside instead of losing it, and warns', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'settings.json'), '{ this is not json');
    const warnings: string[] = [];
    const s = SettingsService.inDataDir(dir, (w) => warnings.push(w));
    expect(await s.get()).toEqual(DEFAULT_SETTINGS);
    expect(warnings[0]).toMatch(/kept aside/);
    const aside = fs.readdirSync(dir).find((f) => f.startsWith('settings.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(fs.readFileSync(path.join(dir, aside ?? ''), 'utf8')).toBe('{ this is not json');
  });

  it('resets only the invalid field of a hand-edited file', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ theme: 'purple', offlineOnly: false, unknown: 1 }));
    const warnings: string[] = [];
    const s = SettingsService.inDataDir(dir, (w) => warnings.push(w));
    expect(await s.get()).toEqual({ ...DEFAULT_SETTINGS, offlineOnly: false });
    expect(warnings).toEqual(['settings.theme was invalid and reset to its default']);
  });

  it('gives a file written before the codegen field its defaults, and resets an out-of-range one', async () => {
    const dir = tmp();
    const { codegen: _absent, ...older } = DEFAULT_SETTINGS;
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...older, theme: 'dark' }));
    const warnings: string[] = [];
    expect(await SettingsService.inDataDir(dir, (w) => warnings.push(w)).get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(DEFAULT_SETTINGS.codegen).toEqual({ samples: 1, maxRounds: 3 });
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ codegen: { samples: 40, maxRounds: 1 } }));
    expect((await SettingsService.inDataDir(dir, (w) => warnings.push(w)).get()).codegen).toEqual(DEFAULT_SETTINGS.codegen);
    expect(warnings).toEqual(['settings.codegen was invalid and reset to its default']);
    const s = SettingsService.inDataDir(dir);
    await s.update({ codegen: { samples: 3, maxRounds: 0 } });
    expect((await SettingsService.inDataDir(dir).get()).codegen).toEqual({ samples: 3, maxRounds: 0 });
  });

  it('serialises quick successive updates so the last one wins on disk', async () => {
    const dir = tmp();
    const s = SettingsService.inDataDir(dir);
    await Promise.all([s.update({ theme: 'light' }), s.update({ theme: 'dark' }), s.update({ lastSection: 'audit' })]);
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'));
    expect(onDisk).toMatchObject({ theme: 'dark', lastSection: 'audit' });
  });
});
