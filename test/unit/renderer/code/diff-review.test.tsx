// The review pane's markup from the store's review state (server-rendered, so no editor is mounted): one row per
// hunk with its decision, the cursor on the right hunk, the counts, Apply naming the accepted hunks, high findings.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { CodegenGenerationDetail } from '../../../../common/store/codegen-requests';
import { useStore } from '../../../../renderer/app/store';
import { DiffReview } from '../../../../renderer/features/code/DiffReview';
import { hunkKey } from '../../../../renderer/features/code/hunks';

const generation: CodegenGenerationDetail = {
  id: 'g1',
  projectId: 'p1',
  request: 'fix add',
  type: 'edit',
  lang: 'python',
  model: 'qwen',
  code: null,
  diff: [
    {
      path: 'calc.py',
      oldHash: 'a'.repeat(64),
      hunks: [
        { id: 'h1', oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-return a - b', '+return a + b'] },
        { id: 'h2', oldStart: 9, oldLines: 0, newStart: 9, newLines: 1, lines: ['+# done'] },
      ],
    },
  ],
  score: 81,
  breakdown: null,
  findings: [{ tool: 'bandit', ruleId: 'B602', severity: 'high', file: 'calc.py', line: 3, message: 'shell=True' }],
  status: 'done',
  error: null,
  createdAt: 1,
  updatedAt: 1,
  decision: null,
  rounds: [],
  decisions: [],
};

/** Server rendering reads zustand's initial state (useSyncExternalStore's server snapshot), so the test sets that. */
function withReview(patch: Partial<ReturnType<typeof useStore.getState>['review']>): string {
  const initial = useStore.getInitialState();
  Object.assign(initial, { review: { ...initial.review, ...patch } });
  return renderToString(<DiffReview />);
}

const attrs = (html: string, name: string) => [...html.matchAll(new RegExp(`${name}="([^"]*)"`, 'g'))].map((m) => m[1]);

describe('DiffReview markup', () => {
  it('shows each hunk with its decision, the cursor, the counts and the gate warning', () => {
    const html = withReview({ current: generation, cursor: 1, decisions: { [hunkKey('calc.py', 'h1')]: 'accepted' } });
    expect(attrs(html, 'data-decision')).toEqual(['accepted', 'pending']);
    expect(attrs(html, 'data-hunk-index')).toEqual(['0', '1']);
    expect(html).toMatch(/data-hunk-index="1"[^>]*aria-current="true"/);
    expect(html).toContain('@@ -9,0 +9,1 @@');
    expect(html).toMatch(/1<!-- --> accepted · <!-- -->0<!-- --> rejected · <!-- -->1<!-- --> pending of <!-- -->2/);
    expect(html).toMatch(/Apply 1 hunk\(s\)/);
    expect(html).toContain('calc.py:3 shell=True');
    expect(html).toContain('score 81/100');
  });

  it('disables Apply until a hunk is accepted', () => {
    const html = withReview({ current: generation, cursor: 0, decisions: { [hunkKey('calc.py', 'h2')]: 'rejected' } });
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="review-apply"/);
    expect(attrs(html, 'data-decision')).toEqual(['pending', 'rejected']);
  });
});
