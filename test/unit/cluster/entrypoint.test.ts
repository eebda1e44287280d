// The training entrypoint string: flags for the launcher and a single shell-safe --config-json argument.
import { describe, expect, it } from 'vitest';
import { LaunchOptionsSchema, TrainingConfigSchema } from '../../../common/cluster/training-config';
import { shellQuote, trainingEntrypoint } from '../../../main/services/cluster/entrypoint';

/** Minimal POSIX single-quote unquoting, to check shellQuote round-trips. */
function unquote(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    if (s[i] === "'") {
      const end = s.indexOf("'", i + 1);
      out += s.slice(i + 1, end);
      i = end + 1;
    } else if (s[i] === '\\') {
      out += s[i + 1];
      i += 2;
    } else throw new Error(`unquoted char ${s[i]}`);
  }
  return out;
}

describe('trainingEntrypoint', () => {
  const cfg = TrainingConfigSchema.parse({ run_name: "bob's run", checkpoint_dir: '/ck' });
  const launch = LaunchOptionsSchema.parse({ numNodes: 3 });

  it('quotes the config so quotes in values survive the shell', () => {
    expect(unquote(shellQuote(`a'b"c $HOME`))).toBe(`a'b"c $HOME`);
    const ep = trainingEntrypoint(cfg, launch);
    const json = ep.slice(ep.indexOf('--config-json ') + '--config-json '.length);
    expect(JSON.parse(unquote(json))).toEqual(cfg);
  });

  it('passes the launch flags and adds --resume-from auto only on resume', () => {
    const ep = trainingEntrypoint(cfg, launch);
    expect(ep).toMatch(
      /^python ray_launch\.py --num-nodes 3 --nproc-per-node 1 --cpus-per-node 1 --gpus-per-node 0 --placement-timeout 120 --config-json '/,
    );
    expect(ep).not.toContain('--resume-from');
    expect(trainingEntrypoint(cfg, launch, { resume: true })).toContain('--resume-from auto --config-json');
  });

  it('is stable for the same config', () => {
    expect(trainingEntrypoint(cfg, launch)).toBe(
      trainingEntrypoint(TrainingConfigSchema.parse({ checkpoint_dir: '/ck', run_name: "bob's run" }), launch),
    );
  });
});
