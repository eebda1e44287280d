// The doctor's git check: checkpoints and undo run the system `git` (a shadow repository per project), so it must be
// on PATH and recent enough for the plumbing they use.
import { probe, type ProbeResult } from './probe';
import type { CheckDef, CheckOutcome } from './checks';

/** checkout-index --stdin, update-index --stdin -z, GIT_CONFIG_NOSYSTEM and -c core.hooksPath all predate 2.20. */
export const MIN_GIT: readonly [number, number] = [2, 20];

const INSTALL_HINT =
  'Install git (apt install git, brew install git, or git-scm.com) and make sure it is on PATH; checkpoints and undo need it.';

/** Verdict from a `git --version` probe (pure, so it is testable without changing PATH). */
export function gitVerdict(r: ProbeResult): CheckOutcome {
  if (!r.ok) return { status: 'warn', detail: `git: ${r.why ?? 'failed'} — checkpoints and undo are unavailable`, hint: INSTALL_HINT };
  const m = /git version (\d+)\.(\d+)/.exec(r.stdout);
  if (!m) return { status: 'warn', detail: `unrecognised git version output: ${r.stdout.trim().slice(0, 80)}`, hint: INSTALL_HINT };
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const detail = r.stdout.trim();
  if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1]))
    return { status: 'warn', detail: `${detail} (older than ${MIN_GIT.join('.')})`, hint: `Update git to ${MIN_GIT.join('.')} or newer.` };
  return { status: 'ok', detail };
}

export const gitCheck: CheckDef = {
  id: 'git',
  label: 'git (checkpoints and undo)',
  async run(ctx) {
    return gitVerdict(await probe('git', ['--version'], 8_000, ctx.env));
  },
};
