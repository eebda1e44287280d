// `evolve start`: the desktop app when Electron's binary is installed; otherwise says how to get it and
// runs the browser host instead, so the app always starts.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readAppInfo } from '../services/app/app-info';

/** Path of the Electron binary that `npm install electron` would have fetched, or null with the reason. */
export function electronBinary(rootDir: string): { path: string } | { missing: string } {
  const pkgDir = path.join(rootDir, 'node_modules', 'electron');
  if (!existsSync(pkgDir)) return { missing: 'the electron package is not installed (run npm ci)' };
  const pathTxt = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathTxt)) return { missing: 'the Electron binary was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD or offline install)' };
  const bin = path.join(pkgDir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? { path: bin } : { missing: `the Electron binary is missing at ${bin}` };
}

export const ELECTRON_HELP = [
  'To get the desktop window, download Electron once with network access:',
  '  node node_modules/electron/install.js        (or: npx install-electron)',
  'Behind a mirror: ELECTRON_MIRROR=https://<mirror>/ node node_modules/electron/install.js',
].join('\n');

export async function start(opts: { fallback: boolean; onFallback: () => Promise<void> }): Promise<number> {
  const { rootDir } = readAppInfo();
  const bin = electronBinary(rootDir);
  if ('path' in bin) {
    const child = spawn(bin.path, [rootDir], { stdio: 'inherit' });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
  }
  process.stderr.write(`Electron is not available: ${bin.missing}.\n${ELECTRON_HELP}\n`);
  if (!opts.fallback) return 2;
  process.stderr.write('\nStarting the browser host instead (same app, in your browser).\n');
  await opts.onFallback();
  return 0;
}
