// The checks' input validation (relative, inside the root, unique, bounded) and the documented severity mapping of
// each engine, without running any engine.
import { describe, expect, it } from 'vitest';
import { hasExt, validateFiles } from '../../../main/services/codegen/checks/files';
import {
  banditSeverity,
  eslintLintSeverity,
  eslintSecuritySeverity,
  ruffSeverity,
  secretlintSeverity,
  sortFindings,
  tscSeverity,
} from '../../../main/services/codegen/checks/severity';

describe('validateFiles', () => {
  it('normalises relative paths (backslashes, ./, inner ..) and keeps the content', () => {
    expect(
      validateFiles([
        { path: '.\\pkg\\a.py', content: 'x' },
        { path: 'src/x/../b.ts', content: 'y' },
      ]),
    ).toEqual([
      { path: 'pkg/a.py', content: 'x' },
      { path: 'src/b.ts', content: 'y' },
    ]);
  });

  it.each([
    ['absolute', [{ path: '/etc/passwd', content: '' }]],
    ['drive letter', [{ path: 'C:\\x.py', content: '' }]],
    ['escaping', [{ path: 'a/../../x.py', content: '' }]],
    ['dot', [{ path: '.', content: '' }]],
    ['NUL', [{ path: 'a\0.py', content: '' }]],
    ['empty path', [{ path: '', content: '' }]],
    [
      'duplicate after normalising',
      [
        { path: 'a.py', content: '' },
        { path: 'b/../a.py', content: '' },
      ],
    ],
    ['not an array', { path: 'a.py', content: '' }],
    ['content not a string', [{ path: 'a.py', content: 42 }]],
    ['too many files', Array.from({ length: 201 }, (_, i) => ({ path: `f${i}.py`, content: '' }))],
  ])('refuses %s with INVALID_ARGUMENT', (_name, input) => {
    expect(() => validateFiles(input)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('matches extensions case-insensitively', () => {
    expect(hasExt({ path: 'A.PY', content: '' }, ['.py'])).toBe(true);
    expect(hasExt({ path: 'a.pyc', content: '' }, ['.py'])).toBe(false);
  });
});

describe('severity mapping', () => {
  it('ruff: syntax and certain runtime errors high, bugbear medium, the rest low', () => {
    expect([null, 'invalid-syntax', 'E902', 'F821', 'PLE0101'].map(ruffSeverity)).toEqual(['high', 'high', 'high', 'high', 'high']);
    expect(['B006', 'ASYNC230'].map(ruffSeverity)).toEqual(['medium', 'medium']);
    expect(['F401', 'F841', 'E711'].map(ruffSeverity)).toEqual(['low', 'low', 'low']);
  });

  it('bandit: its own severity, eval/exec raised to high, one step down at LOW confidence', () => {
    expect(banditSeverity('HIGH', 'HIGH', 'B602')).toBe('high');
    expect(banditSeverity('MEDIUM', 'HIGH', 'B307')).toBe('high');
    expect(banditSeverity('MEDIUM', 'HIGH', 'B108')).toBe('medium');
    expect(banditSeverity('HIGH', 'LOW', 'B602')).toBe('medium');
    expect(banditSeverity('LOW', 'LOW', 'B404')).toBe('info');
  });

  it('tsc: errors high except unused-declaration codes; warnings medium; suggestions info', () => {
    expect(tscSeverity('error', 2322)).toBe('high');
    expect(tscSeverity('error', 6133)).toBe('low');
    expect(tscSeverity('warning', 1)).toBe('medium');
    expect(tscSeverity('suggestion', 80001)).toBe('info');
  });

  it('eslint: parse error high in the check and info in the scan; security rules by impact', () => {
    expect(eslintLintSeverity(null, 2)).toBe('high');
    expect(eslintLintSeverity('@typescript-eslint/no-unused-vars', 2)).toBe('low');
    expect(eslintLintSeverity('no-dupe-keys', 2)).toBe('medium');
    expect(eslintSecuritySeverity(null)).toBe('info');
    expect(eslintSecuritySeverity('security/detect-eval-with-expression')).toBe('high');
    expect(eslintSecuritySeverity('no-unsanitized/property')).toBe('high');
    expect(eslintSecuritySeverity('security/detect-object-injection')).toBe('low');
    expect(eslintSecuritySeverity('some-plugin/unknown-rule')).toBe('medium');
  });

  it('secretlint: error high, warning medium, info low', () => {
    expect(['error', 'warning', 'info'].map(secretlintSeverity)).toEqual(['high', 'medium', 'low']);
  });

  it('sorts findings by file, line, column, tool and rule', () => {
    const f = (file: string, line: number, tool: string) => ({ tool, ruleId: 'r', severity: 'low' as const, file, line, message: '' });
    expect(
      sortFindings([f('b.py', 1, 'x'), f('a.py', 9, 'x'), f('a.py', 2, 'z'), f('a.py', 2, 'y')]).map(
        (x) => `${x.file}:${x.line}:${x.tool}`,
      ),
    ).toEqual(['a.py:2:y', 'a.py:2:z', 'a.py:9:x', 'b.py:1:x']);
  });
});
