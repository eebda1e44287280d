// `evolve serve`: the browser host on 127.0.0.1, with the same services the desktop app runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createDispatcher } from '../ipc';
import { startHost, type RunningHost } from '../host/server';
import { createAppServices, type AppServices } from '../services';

export interface ServeOptions {
  host: string;
  port: number;
  allowRemote: boolean;
  open: boolean;
  json: boolean;
}

export interface ServeHandle {
  host: RunningHost;
  services: AppServices;
  stop(): Promise<void>;
  /** Resolves with the exit code once SIGINT/SIGTERM has stopped the host cleanly. */
  stopped: Promise<number>;
}

export async function serve(opts: ServeOptions): Promise<ServeHandle> {
  // The app logger writes every line to the data dir; with --json only warnings and errors reach stderr.
  const services = createAppServices({ mode: 'host', stderrLevel: opts.json ? 'warn' : 'info' });
  const log = services.logger.scoped('host');
  const rendererDir = path.join(services.info.rootDir, 'out', 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${rendererDir} is missing): run \`npm run build\` first.`);
  }
  // The store opens (DB worker, keychain) while the host already listens and serves the page: the page's first calls
  // wait for it (startHost's `ready`), so the vault gate shows the real status, just sooner.
  const started = services.start();
  started.catch(() => undefined); // awaited below; this only keeps an early failure from being an unhandled rejection
  const dispatcher = createDispatcher(services);
  let host: RunningHost;
  try {
    host = await startHost({
      dispatcher,
      rendererDir,
      host: opts.host,
      port: opts.port,
      allowRemote: opts.allowRemote,
      log,
      ready: started,
      isLocked: () => services.appLock.isLocked(),
    });
  } catch (e) {
    await started.catch(() => undefined);
    await services.dispose();
    throw e;
  }
  const stop = async () => {
    await started.catch(() => undefined); // a Ctrl+C during start stops after it, never under a half-opened store
    await host.close();
    await services.dispose();
  };
  // Signal handlers go in before the URL is printed, so whoever reads the URL can stop us cleanly.
  const stopped = new Promise<number>((resolve) => {
    const onSignal = () => void stop().then(() => resolve(0));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ event: 'listening', url: host.url, launchUrl: host.launchUrl, port: host.port })}\n`);
  } else {
    process.stdout.write(`\nEvolve Studio ${services.info.version} is running in your browser at:\n\n  ${host.launchUrl}\n\n`);
    process.stdout.write(`Data: ${services.paths.dataDir}\nModels: ${services.paths.modelCacheDir}\nPress Ctrl+C to stop.\n`);
  }
  if (opts.open) openInBrowser(host.launchUrl);
  try {
    await started;
  } catch (e) {
    await stop();
    throw e;
  }
  return { host, services, stop, stopped };
}

function openInBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`Could not open a browser (${cmd}); open the URL above yourself.\n`));
  child.unref();
}
