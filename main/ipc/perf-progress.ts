// Turns the perf service's progress (lab events, the codegen engine's events, benchmark repeats) into the `perf`
// contract's events: the engine's stream is summarised (a line per phase/check/test, a token count sent at most every
// TOKEN_EVERY_MS) because the panel shows where the run is; the stored generation keeps every token.
import type { GenerateEvent } from '../../common/codegen/engine';
import type { PerfOptimizeEvent } from '../../common/contracts/perf';
import type { OptimizeProgress } from '../services/perf/lab/perf-service';

export const TOKEN_EVERY_MS = 500;
const MAX_LINE = 500;

/** One line for an engine event worth showing; tokens and context are not lines. */
export function generateLine(e: GenerateEvent): string | undefined {
  switch (e.kind) {
    case 'round':
      return e.phase === 'tests' ? 'writing tests' : `candidate ${e.candidate + 1} round ${e.round + 1}: ${e.phase}`;
    case 'check':
      return `${e.result.name}: ${e.result.ok ? 'ok' : 'high finding'} (${e.result.findings.length} finding(s))`;
    case 'tests': {
      const passed = e.result.cases.filter((c) => c.passed).length;
      return `tests: ${e.result.status} ${passed}/${e.result.cases.length}`;
    }
    case 'scan':
      return `scan: ${e.result.findings.length} finding(s)`;
    case 'score':
      return `candidate ${e.candidate + 1} score ${e.score.score}/100`;
    case 'selected':
      return `selected candidate ${e.candidate + 1}`;
    default:
      return undefined;
  }
}

/** A stateful mapper for one run (it counts tokens); returns null for progress not worth an event now. */
export function progressMapper(now: () => number = Date.now): (p: OptimizeProgress) => PerfOptimizeEvent | null {
  let tokens = 0;
  let lastTokenEventAt = -Infinity;
  return (p) => {
    if (p.event) return p.event;
    if (p.bench) return { kind: 'bench', ...p.bench };
    if (!p.generate) return null;
    if (p.generate.kind === 'tokens') {
      tokens += 1;
      if (now() - lastTokenEventAt < TOKEN_EVERY_MS) return null;
      lastTokenEventAt = now();
      return { kind: 'generate', tokens };
    }
    const line = generateLine(p.generate);
    return line ? { kind: 'generate', tokens, line: line.slice(0, MAX_LINE) } : null;
  };
}
