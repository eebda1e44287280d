// Settings → Usage: tokens, cost and latency per provider and model (stored in the encrypted store), this session's detail and the cache hit rate.
import { useEffect } from 'react';
import { useStore } from '../../app/store';
import { BarChart } from './BarChart';

const usd = (v: number) => `$${v.toFixed(v < 0.01 ? 6 : 2)}`;
const tokens = (v: number) => `${Math.round(v).toLocaleString('en-US')} tok`;
const ms = (v: number) => `${Math.round(v)} ms`;

export function UsagePanel() {
  const ready = useStore((s) => s.vault.status?.state === 'ready');
  const usage = useStore((s) => s.providers.usage);
  const cache = useStore((s) => s.providers.cache);
  const budgets = useStore((s) => s.providers.budgets);
  const error = useStore((s) => s.providers.error);
  const load = useStore((s) => s.loadUsage);
  useEffect(() => {
    if (ready) void load();
  }, [ready, load]);
  if (!ready) return null;
  const stored = usage?.stored ?? [];
  const key = (r: { provider: string; model: string }) => `${r.provider} / ${r.model}`;
  const totalIn = stored.reduce((a, r) => a + r.inputTokens, 0);
  const totalOut = stored.reduce((a, r) => a + r.outputTokens, 0);
  const totalCost = stored.reduce((a, r) => a + r.costUsd, 0);
  const calls = stored.reduce((a, r) => a + r.calls, 0);
  const session = Object.entries(usage?.byProvider ?? {});
  return (
    <fieldset data-testid="usage-panel">
      <legend>Usage</legend>
      <div className="row">
        <button type="button" onClick={() => void load()} data-testid="usage-refresh">
          Refresh
        </button>
        <span data-testid="usage-totals">
          {calls} calls · {tokens(totalIn)} in · {tokens(totalOut)} out · {usd(totalCost)}
        </span>
        {cache && (
          <span data-testid="usage-cache">
            Cache: {Math.round(cache.hitRate * 100)}% hit rate ({cache.hits} hits / {cache.misses} misses, {cache.entries} entries, in
            memory)
          </span>
        )}
        {budgets && <span>Spent today: {usd(budgets.spent.totalUsd)}</span>}
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error.code}: {error.message}
        </p>
      )}
      <div className="charts">
        <BarChart
          title="Tokens per provider / model"
          testId="chart-tokens"
          bars={stored.map((r) => ({ label: key(r), value: r.inputTokens, value2: r.outputTokens }))}
          format={tokens}
          legend={['prompt', 'completion']}
        />
        <BarChart
          title="Cost per provider / model"
          testId="chart-cost"
          bars={stored.map((r) => ({ label: key(r), value: r.costUsd }))}
          format={usd}
        />
        <BarChart
          title="Average latency per provider / model"
          testId="chart-latency"
          bars={stored.map((r) => ({ label: key(r), value: r.avgLatencyMs }))}
          format={ms}
        />
        <BarChart
          title="Time to first token this session (per provider)"
          testId="chart-ttft"
          bars={session.filter(([, t]) => t.avgTtftMs !== null).map(([p, t]) => ({ label: p, value: t.avgTtftMs ?? 0 }))}
          format={ms}
        />
        <BarChart
          title="Tokens per project this session"
          testId="chart-project"
          bars={Object.entries(usage?.byProject ?? {}).map(([p, t]) => ({ label: p, value: t.promptTokens, value2: t.completionTokens }))}
          format={tokens}
          legend={['prompt', 'completion']}
        />
      </div>
      {usage && usage.series.length > 0 && (
        <table className="audit-table" data-testid="usage-series">
          <caption>This session by hour</caption>
          <thead>
            <tr>
              <th>Hour (UTC)</th>
              <th>Provider</th>
              <th>Calls</th>
              <th>Tokens</th>
              <th>Cost</th>
              <th>Avg latency</th>
            </tr>
          </thead>
          <tbody>
            {usage.series.map((p) => (
              <tr key={`${p.bucket}-${p.group}`}>
                <td>{new Date(p.bucket).toISOString().slice(0, 13).replace('T', ' ')}:00</td>
                <td>{p.group}</td>
                <td>{p.totals.calls}</td>
                <td>{p.totals.promptTokens + p.totals.completionTokens}</td>
                <td>{usd(p.totals.costUsd)}</td>
                <td>{ms(p.totals.avgLatencyMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </fieldset>
  );
}
