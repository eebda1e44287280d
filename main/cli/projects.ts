// `evolve index DIR [--json]` and `evolve search DIR "QUERY" [--k N] [--expand] [--json]`: the project index from a
// terminal, through the same services as the app (encrypted store, index and embedding workers).
import { parseArgs } from 'node:util';
import type { IndexProgress } from '../../common/contracts/projects';
import { EvolveError } from '../../common/errors';
import type { IndexedProject } from '../../common/store/index-requests';
import { createAppServices, type AppServices } from '../services';
import { resolveProjectRoot } from '../services/projects/project-root';
import { unlockForCli } from './lock-gate';

/**
 * Opens the store the way the app does (OS keychain), or with EVOLVE_PASSPHRASE in passphrase mode; with the app lock
 * on, only after EVOLVE_LOCK_PASSPHRASE (+ EVOLVE_LOCK_CODE) unlocked it (lock-gate.ts).
 */
export async function openServices(): Promise<AppServices> {
  const s = createAppServices({ mode: 'host', stderrLevel: 'warn' });
  s.projects.autoWatch = false; // a one-shot command: no watchers
  await s.store.init();
  try {
    await unlockForCli(s.appLock);
  } catch (e) {
    await s.dispose();
    throw e;
  }
  if (!s.store.ready && process.env.EVOLVE_PASSPHRASE) await s.store.unlockWithPassphrase(process.env.EVOLVE_PASSPHRASE);
  if (!s.store.ready) {
    await s.dispose();
    throw new EvolveError(
      'UNAUTHENTICATED',
      `The encrypted store is locked (${s.store.status().state}): unlock it in the app, or set EVOLVE_PASSPHRASE`,
    );
  }
  return s;
}

export async function projectFor(s: AppServices, dir: string, create: boolean): Promise<IndexedProject> {
  const root = await resolveProjectRoot(dir);
  const found = (await s.projects.service.list()).find((p) => p.rootPath === root);
  if (found) return found;
  if (!create) throw new EvolveError('NOT_FOUND', `${root} is not indexed yet: run \`evolve index ${dir}\` first`);
  return s.projects.service.add({ path: root });
}

const bar = (p: IndexProgress): string => {
  const handled = p.filesDone + p.unchanged + p.skipped + p.errors;
  const total = p.filesTotal ?? p.filesSeen;
  const eta = p.etaSec === null ? '' : ` ETA ${Math.ceil(p.etaSec)}s`;
  return `\r${p.phase.padEnd(9)} ${handled}/${total}${p.filesTotal === null ? '+' : ''} files, ${p.chunks} chunks, ${p.filesPerSec.toFixed(1)} files/s${eta}   `;
};

export async function indexCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const dir = positionals[0];
  if (!dir || positionals.length > 1) throw new EvolveError('INVALID_ARGUMENT', 'Usage: evolve index DIR [--json]');
  const s = await openServices();
  try {
    const project = await projectFor(s, dir, true);
    const ac = new AbortController();
    const onSigint = () => {
      s.projects.service.cancel(project.id);
      ac.abort();
    };
    process.once('SIGINT', onSigint);
    const r = await s.projects.service.index(project.id, (p) => {
      if (process.stderr.isTTY) process.stderr.write(bar(p));
      else if (values.json) process.stderr.write(`${JSON.stringify(p)}\n`);
    });
    process.off('SIGINT', onSigint);
    if (process.stderr.isTTY) process.stderr.write(`${bar(r)}\n`);
    for (const pr of r.problems) process.stderr.write(`  ! ${pr.rel}: ${pr.message}\n`);
    const after = await s.projects.service.get(project.id);
    if (values.json) process.stdout.write(`${JSON.stringify({ project: after, run: r })}\n`);
    else
      process.stdout.write(
        `${after.name}: ${after.files} files, ${after.chunks} chunks (${r.phase}; ${r.filesDone} indexed, ${r.unchanged} unchanged, ${r.skipped} skipped, ${r.errors} errors in ${(r.elapsedMs / 1000).toFixed(1)} s)${r.vectorsOff ? `\n  text search only: ${r.vectorsOff}` : ''}\n`,
      );
    return r.phase === 'done' ? 0 : 130;
  } finally {
    await s.dispose();
  }
}

export async function searchCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      k: { type: 'string', default: '10' },
      expand: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const [dir, query] = positionals;
  const k = Number(values.k);
  if (!dir || !query || positionals.length > 2)
    throw new EvolveError('INVALID_ARGUMENT', 'Usage: evolve search DIR "QUERY" [--k N] [--expand] [--json]');
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new EvolveError('INVALID_ARGUMENT', `--k must be 1-100, got ${values.k}`);
  const s = await openServices();
  try {
    const project = await projectFor(s, dir, false);
    const r = await s.projects.service.search(project.id, query, k, 1_000_000, { expand: values.expand });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return 0;
    }
    const f = (n: number | null) => (n === null ? '   -  ' : n.toFixed(3).padStart(6));
    if (r.expansion) process.stdout.write(`also searched (words from the local model): ${r.expansion.join(', ')}\n`);
    for (const h of r.chunks) {
      process.stdout.write(
        `${h.rel}:${h.startLine}-${h.endLine}  fused ${f(h.scores.fused)} bm25 ${f(h.scores.bm25)} vector ${f(h.scores.vector)}\n`,
      );
      const first = h.text.split('\n').find((l) => l.trim()) ?? '';
      process.stdout.write(`    ${first.trim().slice(0, 120)}\n`);
    }
    if (r.chunks.length === 0) process.stdout.write('no hits\n');
    return 0;
  } finally {
    await s.dispose();
  }
}
