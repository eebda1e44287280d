// Finds the Electron binary that `npm install` downloads (node_modules/electron/path.txt names it inside
// dist/); when it is missing (offline installs, ELECTRON_SKIP_BINARY_DOWNLOAD) says why, for a clear skip.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './host';

export type ElectronBinary = { available: true; path: string } | { available: false; reason: string };

export function findElectronBinary(root = REPO_ROOT): ElectronBinary {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(pkgDir, 'package.json'))) return { available: false, reason: 'electron package not installed' };
  const pathTxt = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathTxt)) {
    return { available: false, reason: 'Electron binary not downloaded — ELECTRON_SKIP_BINARY_DOWNLOAD / offline' };
  }
  const bin = path.join(pkgDir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(bin))
    return {
      available: false,
      reason: `Electron binary missing at ${path.relative(root, bin)} — re-run node node_modules/electron/install.js`,
    };
  return { available: true, path: bin };
}
