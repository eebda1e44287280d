// relativeSegments: the pure path rules of safe writes (no absolute, no "..", no NUL, no .git, backslashes split).
import { describe, expect, it } from 'vitest';
import { relativeSegments } from '../../../main/services/workspace/safe-write';
import { isEvolveError } from '../../../common/errors';

function refusal(rel: string): string | undefined {
  try {
    relativeSegments(rel);
    return undefined;
  } catch (e) {
    return isEvolveError(e) ? e.code : 'not-typed';
  }
}

describe('relativeSegments', () => {
  it('normalizes ./, empty segments and backslashes', () => {
    expect(relativeSegments('./src//app.py')).toEqual(['src', 'app.py']);
    expect(relativeSegments('src\\pkg\\a.ts')).toEqual(['src', 'pkg', 'a.ts']);
    expect(relativeSegments('naïve/文件.py')).toEqual(['naïve', '文件.py']);
    expect(relativeSegments('..foo/bar..')).toEqual(['..foo', 'bar..']);
  });

  it('refuses absolute paths, "..", home, drive letters, UNC and .git as FORBIDDEN', () => {
    for (const rel of [
      '/etc/passwd',
      '../../outside.txt',
      'src/../../x',
      '..\\..\\x',
      'C:/x',
      'c:x',
      '\\\\server\\share\\x',
      '~/.ssh/id_rsa',
      '.git/config',
      'sub/.GIT/hooks/pre-commit',
    ]) {
      expect(refusal(rel), rel).toBe('FORBIDDEN');
    }
  });

  it('refuses empty, NUL, too long and the root itself as INVALID_ARGUMENT', () => {
    for (const rel of ['', 'a\0b', 'x'.repeat(5000), '.', './'])
      expect(refusal(rel), JSON.stringify(rel.slice(0, 10))).toBe('INVALID_ARGUMENT');
  });
});
