// The Jobs tab's log search results: matched words marked, context lines around, a removed cluster's job labelled,
// a log line with markup shown as text, paging buttons that follow the total.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { JobLogSearchHit, JobLogSearchResult } from '../../../../common/contracts/job-logs';
import { LogSearchResults, markedPieces } from '../../../../renderer/features/cluster/JobLogSearch';

function hit(over: Partial<JobLogSearchHit> = {}): JobLogSearchHit {
  return {
    jobId: 'j1',
    jobName: 'llama finetune',
    jobStatus: 'FAILED',
    submittedAt: Date.UTC(2026, 0, 2),
    profile: { id: 'lab', name: 'GPU lab', deleted: true },
    submissionId: 'j1-s1',
    line: 6,
    text: 'torch.cuda.OutOfMemoryError: CUDA out of memory',
    truncated: false,
    before: ['Traceback (most recent call last):'],
    after: ['worker exited with code 1'],
    highlights: [
      [0, 5],
      [34, 47],
    ],
    ...over,
  };
}
const result = (hits: JobLogSearchHit[], over: Partial<JobLogSearchResult> = {}): JobLogSearchResult => ({
  hits,
  total: hits.length,
  totalCapped: false,
  offset: 0,
  terms: ['torch*', 'out of memory'],
  ...over,
});
const html = (r: JobLogSearchResult) =>
  renderToString(<LogSearchResults result={r} onOpen={() => {}} onPage={() => {}} />).replace(/<!-- -->/g, '');

describe('job log search results', () => {
  it('marks the matched words and shows the context and a removed cluster', () => {
    const out = html(result([hit()]));
    expect(out).toContain('<mark>torch</mark>');
    expect(out).toContain('<mark>out of memory</mark>');
    expect(out).toContain('Traceback (most recent call last):');
    expect(out).toContain('worker exited with code 1');
    expect(out).toMatch(/data-testid="log-hit-cluster">GPU lab \(deleted cluster\) · FAILED · .* · line 6 of j1-s1/);
    expect(out).toContain('Lines 1–1 of 1');
  });

  it('shows a log line with markup as text', () => {
    const out = html(
      result([
        hit({ text: '<img src=x onerror=alert(1)> boom', highlights: [[29, 33]], profile: { id: null, name: null, deleted: true } }),
      ]),
    );
    expect(out).not.toContain('<img');
    expect(out).toContain('<span>&lt;img src=x onerror=alert(1)&gt; </span><mark>boom</mark>');
    expect(out).toContain('deleted cluster ·');
  });

  it('pages: Previous off on the first page, Next off on the last, a capped total shows +', () => {
    const first = html(result([hit()], { total: 60, totalCapped: true }));
    expect(first).toContain('Lines 1–1 of 60+');
    expect(first).toMatch(/<button type="button" disabled="">Previous<\/button><button type="button">Next<\/button>/);
    const last = html(result([hit()], { total: 26, offset: 25 }));
    expect(last).toMatch(/<button type="button">Previous<\/button><button type="button" disabled="">Next<\/button>/);
    expect(html(result([]))).toContain('No log line matches.');
  });

  it('cuts a line into plain and marked pieces, ignoring spans outside it', () => {
    expect(markedPieces('abc def', [[4, 7]])).toEqual([
      { text: 'abc ', mark: false },
      { text: 'def', mark: true },
    ]);
    expect(markedPieces('abc', [[5, 9]])).toEqual([{ text: 'abc', mark: false }]);
    expect(markedPieces('', [])).toEqual([{ text: '', mark: false }]);
  });
});
