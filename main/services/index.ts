// Builds the main-process services once, from plain options, for both front doors (Electron and the
// browser host) and for tests, which pass a temporary directory instead of patching modules.
import type { AppStatus } from '../../common/contracts/app';
import { readAppInfo, type AppInfo } from './app/app-info';
import { BackendRegistry } from './app/backend-registry';
import { EventHub } from './app/event-hub';
import type { CheckDef } from './doctor/checks';
import { DoctorService } from './doctor/doctor-service';
import { resolvePaths, type AppPaths } from './paths';
import { SettingsService } from './settings/settings-service';

export interface ServicesOptions {
  mode: AppStatus['mode'];
  paths?: Partial<AppPaths>;
  env?: NodeJS.ProcessEnv;
  log?: (level: 'info' | 'warn' | 'error', msg: string, data?: unknown) => void;
  /** Replaces the environment checks (tests run a quick subset of the real ones). */
  doctorChecks?: CheckDef[];
}

export interface AppServices {
  info: AppInfo;
  paths: AppPaths;
  mode: AppStatus['mode'];
  startedAt: string;
  settings: SettingsService;
  doctor: DoctorService;
  backends: BackendRegistry;
  events: EventHub;
  log: NonNullable<ServicesOptions['log']>;
  status(): Promise<AppStatus>;
  dispose(): Promise<void>;
}

export function createAppServices(opts: ServicesOptions): AppServices {
  const env = opts.env ?? process.env;
  const info = readAppInfo();
  const paths = resolvePaths(opts.paths, env);
  const log = opts.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const backends = new BackendRegistry();
  const electronVersion = process.versions.electron ?? null;
  const services: AppServices = {
    info,
    paths,
    mode: opts.mode,
    startedAt,
    settings: SettingsService.inDataDir(paths.dataDir, (m) => log('warn', m)),
    doctor: new DoctorService({ paths, rootDir: info.rootDir, electronVersion, env }, opts.doctorChecks),
    backends,
    events: new EventHub(),
    log,
    async status() {
      return {
        name: info.name,
        version: info.version,
        mode: opts.mode,
        platform: process.platform,
        arch: process.arch,
        versions: { node: process.versions.node, electron: electronVersion, chrome: process.versions.chrome ?? null },
        dataDir: paths.dataDir,
        modelCacheDir: paths.modelCacheDir,
        startedAt,
        backends: await backends.snapshot(),
      };
    },
    async dispose() {},
  };
  return services;
}
