// The environment checks behind `evolve doctor` and Settings → Diagnostics: one function per real
// component, each returning what it found and, when something is missing, how to fix it.
import fs from 'node:fs/promises';
import { constants as fsConstants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DoctorCheck } from '../../../common/contracts/doctor';
import type { AppPaths } from '../paths';
import type { SafeStorageLike } from '../../../native/keychain/safe-storage-keychain';
import { keychainCheck } from './keychain-check';
import { gitCheck } from './git-check';
import { sandboxCheck } from './sandbox-check';
import { firstVersionLine, probe } from './probe';

export type CheckOutcome = Omit<DoctorCheck, 'id' | 'label' | 'durationMs'>;

export interface CheckContext {
  paths: AppPaths;
  rootDir: string;
  /** Set when running inside Electron (process.versions.electron). */
  electronVersion: string | null;
  env: NodeJS.ProcessEnv;
  /** Electron's safeStorage when running in the desktop app (where the app keeps its key). */
  safeStorage?: SafeStorageLike;
}

export interface CheckDef {
  id: string;
  label: string;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

const MIN_NODE = [20, 19];

async function writable(dir: string): Promise<string | null> {
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.access(dir, fsConstants.W_OK);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Python to use: the project venv first (what setup installs into), then python3 on PATH. */
export function pythonCandidates(rootDir: string): string[] {
  return [path.join(rootDir, '.venv', 'bin', 'python'), 'python3'];
}

async function versionOf(cmd: string, args: string[], label: string, hint: string, warnOnly = true): Promise<CheckOutcome> {
  const r = await probe(cmd, args);
  if (r.ok) return { status: 'ok', detail: firstVersionLine(r.stdout || r.stderr) || `${label} present` };
  return { status: warnOnly ? 'warn' : 'fail', detail: `${label}: ${r.why ?? 'failed'}`, hint };
}

export const CHECKS: CheckDef[] = [
  {
    id: 'node',
    label: 'Node.js',
    async run() {
      const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
      const okVersion = major > MIN_NODE[0]! || (major === MIN_NODE[0] && minor >= MIN_NODE[1]!);
      return okVersion
        ? { status: 'ok', detail: `v${process.versions.node}` }
        : { status: 'fail', detail: `v${process.versions.node}`, hint: 'Install Node.js 20.19 or newer (22 LTS recommended).' };
    },
  },
  {
    id: 'electron',
    label: 'Electron runtime',
    async run(ctx) {
      if (ctx.electronVersion) return { status: 'ok', detail: `running in Electron ${ctx.electronVersion}` };
      const pathTxt = path.join(ctx.rootDir, 'node_modules', 'electron', 'path.txt');
      if (existsSync(pathTxt)) {
        const bin = path.join(ctx.rootDir, 'node_modules', 'electron', 'dist', readFileSync(pathTxt, 'utf8').trim());
        if (existsSync(bin)) return { status: 'ok', detail: `binary at ${bin}` };
      }
      return {
        status: 'warn',
        detail: 'Electron binary not downloaded (desktop window unavailable; the browser host works)',
        hint: 'Run `npx install-electron` (or `node node_modules/electron/install.js`) with network access, or use `evolve serve`.',
      };
    },
  },
  {
    id: 'data-dir',
    label: 'Data directory',
    async run(ctx) {
      const problem = await writable(ctx.paths.dataDir);
      return problem
        ? { status: 'fail', detail: `${ctx.paths.dataDir}: ${problem}`, hint: 'Set EVOLVE_DATA_DIR to a writable directory.' }
        : { status: 'ok', detail: ctx.paths.dataDir };
    },
  },
  {
    id: 'model-cache',
    label: 'Model cache',
    async run(ctx) {
      const problem = await writable(ctx.paths.modelCacheDir);
      if (problem)
        return {
          status: 'fail',
          detail: `${ctx.paths.modelCacheDir}: ${problem}`,
          hint: 'Set EVOLVE_MODEL_CACHE to a writable directory.',
        };
      const ggufs = await countGguf(ctx.paths.modelCacheDir);
      const stat = await fs.statfs(ctx.paths.modelCacheDir);
      const freeGiB = (Number(stat.bavail) * Number(stat.bsize)) / 2 ** 30;
      const detail = `${ctx.paths.modelCacheDir} — ${ggufs} GGUF file(s), ${freeGiB.toFixed(1)} GiB free`;
      if (ggufs === 0) return { status: 'warn', detail, hint: 'Run `npm run setup:models` to install the default model (Gemma 3 270M).' };
      return { status: freeGiB < 2 ? 'warn' : 'ok', detail, hint: freeGiB < 2 ? 'Less than 2 GiB free for models.' : undefined };
    },
  },
  keychainCheck,
  gitCheck,
  {
    id: 'gpu',
    label: 'GPU backend',
    async run() {
      if (process.platform === 'darwin') return { status: 'ok', detail: 'Metal (Apple GPU)' };
      const nvidia = await probe('nvidia-smi', ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader']);
      if (nvidia.ok && nvidia.stdout.trim()) return { status: 'ok', detail: `CUDA: ${nvidia.stdout.trim().split('\n').join('; ')}` };
      const vulkan = await probe('vulkaninfo', ['--summary']);
      if (vulkan.ok) return { status: 'ok', detail: 'Vulkan available' };
      return {
        status: 'warn',
        detail: 'no CUDA or Vulkan GPU found: local models run on the CPU',
        hint: 'Install the NVIDIA driver (CUDA) or Vulkan drivers (mesa-vulkan-drivers) for GPU offload.',
      };
    },
  },
  {
    id: 'python',
    label: 'Python',
    async run(ctx) {
      for (const py of pythonCandidates(ctx.rootDir)) {
        const r = await probe(py, ['--version']);
        if (r.ok) return { status: 'ok', detail: `${firstVersionLine(r.stdout || r.stderr)} (${py})` };
      }
      return {
        status: 'warn',
        detail: 'python3 not found',
        hint: 'Install Python 3.10+ to run the training code and a local Ray cluster.',
      };
    },
  },
  {
    id: 'ray',
    label: 'Ray (cluster client)',
    async run(ctx) {
      for (const py of pythonCandidates(ctx.rootDir)) {
        const r = await probe(py, ['-c', 'import ray; print(ray.__version__)'], 20_000);
        if (r.ok) return { status: 'ok', detail: `ray ${r.stdout.trim()} (${py})` };
      }
      return {
        status: 'warn',
        detail: 'ray not importable',
        hint: 'Run `bash scripts/python/setup-python.sh` (installs ray[default] into .venv).',
      };
    },
  },
  {
    id: 'prometheus',
    label: 'Prometheus',
    run: () =>
      versionOf('prometheus', ['--version'], 'prometheus', 'apt install prometheus (or point a cluster profile at a remote Prometheus).'),
  },
  {
    id: 'alertmanager',
    label: 'Alertmanager',
    run: () =>
      versionOf(
        'prometheus-alertmanager',
        ['--version'],
        'alertmanager',
        'apt install prometheus-alertmanager (or use a remote Alertmanager).',
      ),
  },
  {
    id: 'node-exporter',
    label: 'node-exporter',
    run: () => versionOf('prometheus-node-exporter', ['--version'], 'node-exporter', 'apt install prometheus-node-exporter on each node.'),
  },
  {
    id: 'chromium',
    label: 'Chromium (browser host / E2E)',
    run: () => versionOf('chromium', ['--version'], 'chromium', 'apt install chromium — or open the `evolve serve` URL in any browser.'),
  },
  sandboxCheck,
];

async function countGguf(dir: string, depth = 0): Promise<number> {
  if (depth > 3) return 0;
  let n = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isFile() && entry.name.toLowerCase().endsWith('.gguf')) n += 1;
    else if (entry.isDirectory()) n += await countGguf(path.join(dir, entry.name), depth + 1);
  }
  return n;
}
