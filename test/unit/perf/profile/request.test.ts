// profileCode refuses a bad request before anything runs: schema errors, a named file that is not among the files,
// paths that leave the code, an already-cancelled signal; and test ids split into file and name.
import { describe, expect, it } from 'vitest';
import { profileCode } from '../../../../main/services/perf/profile';
import { splitTestId } from '../../../../main/services/perf/profile/node';

const code = { language: 'python' as const, files: { 'a.py': 'def f(x):\n    return x\n' }, module: 'a.py', function: 'f' };
const input = { source: 'def make_input(n, seed):\n    return (n,)\n', sizes: [1, 2, 3] };

describe('profileCode request validation', () => {
  it('names what is wrong with the request', async () => {
    await expect(profileCode({ target: { kind: 'function', code, input, n: 0 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('target.n'),
    });
    await expect(profileCode({ target: { kind: 'function', code, input: { ...input, sizes: [1] }, n: 5 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('target.input.sizes'),
    });
    await expect(profileCode({ target: { kind: 'function', code: { ...code, function: 'a.b.c' }, input, n: 5 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      profileCode({ target: { kind: 'script', language: 'python', files: { '/etc/x.py': '' }, path: '/etc/x.py' } }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('a relative path inside the code'),
    });
    await expect(
      profileCode({ target: { kind: 'script', language: 'ruby' as never, files: { 'a.rb': '' }, path: 'a.rb' } }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(profileCode({ target: { kind: 'function', code, input, n: 5 }, wallMs: 10 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('refuses a module, script or test file that is not one of the files', async () => {
    await expect(profileCode({ target: { kind: 'function', code: { ...code, module: 'b.py' }, input, n: 5 } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'b.py is not one of the files given (a.py)',
    });
    await expect(
      profileCode({ target: { kind: 'test', language: 'python', files: { 'a.py': '' }, test: 'test_a.py::test_x' } }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('test_a.py is not one of the files'),
    });
  });

  it('does not start when the signal is already aborted', async () => {
    await expect(profileCode({ target: { kind: 'function', code, input, n: 5 } }, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});

describe('splitTestId', () => {
  it('splits file::name and keeps a bare file whole', () => {
    expect(splitTestId('test/a.test.ts::adds two')).toEqual(['test/a.test.ts', 'adds two']);
    expect(splitTestId('test/a.test.ts')).toEqual(['test/a.test.ts', undefined]);
    expect(splitTestId('test/a.test.ts::')).toEqual(['test/a.test.ts', undefined]);
  });
});
