// The review's round list renders each stored round's code, findings, failing tests, test output and the feedback sent
// back to the model, marks the offered one, and renders nothing without rounds. (That the rows are what the engine's
// store adapter writes is test/unit/codegen/engine/stored-rounds.test.ts.)
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { StoredRoundDetail } from '../../../../common/codegen/engine';
import type { CodegenRound } from '../../../../common/store/codegen-requests';
import { GenerationRounds } from '../../../../renderer/features/code/GenerationRounds';
import { FAILED_EXAMPLE_RUN, FEEDBACK, FIXED_CODE, TS2322_CHECK, TYPE_ERROR_CODE } from '../../../support/codegen/round-fixtures';

function row(candidate: number, round: number, code: string, detail: StoredRoundDetail, testOutput = ''): CodegenRound {
  return { candidate, round, code, checks: detail, testOutput, promptTokens: 100, completionTokens: 40, ms: 2500, at: 1 };
}

const { output, ...storedTests } = FAILED_EXAMPLE_RUN;
const failing = row(
  0,
  0,
  TYPE_ERROR_CODE,
  { checks: [TS2322_CHECK], tests: storedTests, feedback: FEEDBACK, files: ['solution.ts'] },
  output,
);
const passing = row(1, 0, FIXED_CODE, {
  checks: [],
  tests: {
    status: 'passed',
    runner: 'node --test',
    cases: [{ id: 'examples.test.js::example 1', origin: 'docstring', passed: true }],
    durationMs: 200,
  },
  files: ['solution.ts'],
});

describe('GenerationRounds', () => {
  it('renders the code, the finding, the failing test, the test output and the feedback of each round', () => {
    const html = renderToString(<GenerationRounds rounds={[failing, passing]} offeredCode={FIXED_CODE} />).replace(/<!-- -->/g, '');
    expect(html).toContain('Rounds (2, 2 candidates)');
    expect(html).toContain('round 1 · 40 tokens · 2.5 s · 1 finding(s), 1 high · tests 1/2');
    expect(html).toContain('const s: string = a;');
    expect(html).toContain('solution.ts:2</code> high TS2322 (typescript): Type &#x27;number&#x27; is not assignable');
    expect(html).toContain(
      'examples.test.js::example 1</code> <span class="muted">(docstring)</span>: Expected values to be strictly equal:',
    );
    expect(html).toContain('AssertionError: -1 !== 5');
    expect(html).toContain('Sent back to the model');
    expect(html.match(/data-offered="true"/g)).toHaveLength(1);
  });

  it('shows the error of a round without code once (the store keeps it as the test output too)', () => {
    const error = 'The answer holds no code block';
    const html = renderToString(
      <GenerationRounds rounds={[row(0, 1, '', { checks: [], tests: null, error, files: [] }, error)]} offeredCode={FIXED_CODE} />,
    );
    expect(html).toContain('No code in this round.');
    expect(html.split(error)).toHaveLength(3); // the summary line and the detail, not the test output
    expect(html).not.toContain('Test output');
  });

  it('renders nothing for a generation without stored rounds', () => {
    expect(renderToString(<GenerationRounds rounds={[]} offeredCode={null} />)).toBe('');
  });
});
