// profileCode for Python targets other than a plain function, against the real sandbox and the tools venv: a script
// with arguments, one pytest test by node id, and a 600-deep recursion kept whole.
import { describe, expect, it } from 'vitest';
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { profileCode } from '../../../../main/services/perf/profile';

const support = await sandboxSupport();

// dedup is O(n²) (list membership); norm is linear and called once per element.
const DEDUP = [
  'def norm(x):',
  '    return x % 1000',
  '',
  '',
  'def dedup(xs):',
  '    out = []',
  '    for x in xs:',
  '        y = norm(x)',
  '        if y not in out:',
  '            out.append(y)',
  '    return out',
  '',
].join('\n');
const INPUT =
  'import random\n\n\ndef make_input(n, seed):\n    r = random.Random(seed)\n    return ([r.randrange(10 * n) for _ in range(n)],)\n';
const fnTarget = (files: Record<string, string>, fn = 'dedup', module = 'lib/dedup.py') => ({
  kind: 'function' as const,
  code: { language: 'python' as const, files, module, function: fn },
  input: { source: INPUT, sizes: [100, 1000, 3000] },
  n: 3000,
  calls: 2,
});

describe.skipIf(!support.available)('profileCode (python scripts, tests, deep stacks; real sandbox)', () => {
  it('keeps a deep recursive stack whole (600 frames, past the nesting limit of Python json.loads) and counts the recursive calls exactly', async () => {
    // The work sits at the bottom of the recursion, so nearly every sample holds the full 601-frame stack: a sampler
    // that fires mid-descent (a busy machine, stop 23's CI saw 368) still leaves many samples at full depth.
    const deep =
      'def bottom():\n    return sum(i * i for i in range(20000)) * 0\n\n\ndef depth(n):\n    return bottom() if n == 0 else 1 + depth(n - 1)\n\n\ndef many(k):\n    return sum(depth(600) for _ in range(k))\n';
    const r = await profileCode({
      target: {
        ...fnTarget({ 'deep.py': deep }, 'many', 'deep.py'),
        input: { source: 'def make_input(n, seed):\n    return (n,)\n', sizes: [1, 2, 3] },
        n: 30,
        calls: 1,
      },
      memory: false,
    });
    const depth = r.profile.frames.findIndex((f) => f.name === 'depth');
    expect(Math.max(...r.profile.samples.map((s) => s.filter((i) => i === depth).length))).toBeGreaterThan(500); // > ~490 frames broke json.loads in the driver
    expect(r.hot.find((h) => h.name === 'depth')).toMatchObject({ file: 'deep.py', line: 5, calls: 30 * 601 });
  }, 60_000);

  it('profiles a script with its arguments and a pytest test by node id', async () => {
    const script =
      'import sys\nfrom lib.dedup import dedup\n\n\ndef main(n):\n    return dedup(list(range(n)))\n\n\nif __name__ == "__main__":\n    main(int(sys.argv[1]))\n';
    const s = await profileCode({
      target: {
        kind: 'script',
        language: 'python',
        files: { 'lib/dedup.py': DEDUP, 'lib/__init__.py': '', 'run.py': script },
        path: 'run.py',
        args: ['2500'],
      },
      memory: false,
    });
    expect(s.hot[0]).toMatchObject({ name: 'dedup', file: 'lib/dedup.py', calls: 1 });
    expect(s.profile.frames).toContainEqual({ name: 'main', file: 'run.py', line: 5 });
    expect(s.memory).toBeUndefined();

    const test =
      'from lib.dedup import dedup\n\n\ndef test_big():\n    assert len(dedup(list(range(8000)))) == 1000\n\n\ndef test_other():\n    assert True\n';
    const t = await profileCode({
      target: {
        kind: 'test',
        language: 'python',
        files: { 'lib/dedup.py': DEDUP, 'lib/__init__.py': '', 'tests/test_d.py': test },
        test: 'tests/test_d.py::test_big',
      },
      memory: false,
    });
    expect(t.hot[0]).toMatchObject({ name: 'dedup', file: 'lib/dedup.py', line: 5 });
    expect(t.profile.frames).toContainEqual({ name: 'test_big', file: 'tests/test_d.py', line: 4 });
    expect(t.profile.frames.some((f) => f.name === 'test_other')).toBe(false);
  }, 60_000);
});
