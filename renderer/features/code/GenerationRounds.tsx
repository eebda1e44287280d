// Every stored round of the generation under review, by candidate: tokens, time, checks and tests in one line, and
// on opening it the round's code, findings, failing tests, test output and the feedback that went back to the model.
import { useMemo } from 'react';
import type { CodegenRound } from '../../../common/store/codegen-requests';
import { listRounds, type ListedRound } from './rounds';

const MAX_LISTED = 20;

function RoundDetail({ item }: { item: ListedRound }) {
  const d = item.detail;
  const findings = d?.checks.flatMap((c) => c.findings.map((f) => ({ ...f, check: c.name }))) ?? [];
  const failing = d?.tests?.cases.filter((c) => !c.passed) ?? [];
  return (
    <div className="round-detail">
      {item.round.code ? <pre className="round-code">{item.round.code}</pre> : <p className="muted">No code in this round.</p>}
      {d?.error && <p className="warn-text">{d.error}</p>}
      {findings.length > 0 && (
        <ul className="round-findings" aria-label="Findings">
          {findings.slice(0, MAX_LISTED).map((f, i) => (
            <li key={i}>
              <code>
                {f.file}:{f.line}
              </code>{' '}
              {f.severity} {f.ruleId} ({f.check}): {f.message}
            </li>
          ))}
          {findings.length > MAX_LISTED && <li className="muted">…and {findings.length - MAX_LISTED} more</li>}
        </ul>
      )}
      {failing.length > 0 && (
        <ul className="round-failing" aria-label="Failing tests">
          {failing.slice(0, MAX_LISTED).map((c) => (
            <li key={c.id}>
              <code>{c.id}</code> <span className="muted">({c.origin})</span>
              {c.message ? `: ${c.message.split('\n')[0]}` : ''}
            </li>
          ))}
          {failing.length > MAX_LISTED && <li className="muted">…and {failing.length - MAX_LISTED} more</li>}
        </ul>
      )}
      {/* A round without code stores its error as the test output too: shown once, above. */}
      {item.round.testOutput && item.round.testOutput !== d?.error && (
        <>
          <h5>Test output</h5>
          <pre className="round-output">{item.round.testOutput}</pre>
        </>
      )}
      {d?.feedback && (
        <>
          <h5>Sent back to the model</h5>
          <pre className="round-output">{d.feedback}</pre>
        </>
      )}
    </div>
  );
}

export function GenerationRounds({ rounds, offeredCode }: { rounds: readonly CodegenRound[]; offeredCode: string | null }) {
  // The review re-renders on every hunk decision and j/k move: the stored details are parsed once per generation.
  const groups = useMemo(() => listRounds(rounds, offeredCode), [rounds, offeredCode]);
  if (groups.length === 0) return null;
  return (
    <details className="generation-rounds" data-testid="generation-rounds">
      <summary>
        Rounds ({rounds.length}, {groups.length} candidate{groups.length === 1 ? '' : 's'})
      </summary>
      {groups.map((g) => (
        <div key={g.candidate} className="round-candidate">
          <h4>Candidate {g.candidate + 1}</h4>
          {g.rounds.map((item) => (
            <details key={item.round.round} className="round" data-testid="generation-round" data-offered={item.offered}>
              <summary>
                {item.summary}
                {item.offered ? <strong> · offered</strong> : null}
              </summary>
              <RoundDetail item={item} />
            </details>
          ))}
        </div>
      ))}
    </details>
  );
}
