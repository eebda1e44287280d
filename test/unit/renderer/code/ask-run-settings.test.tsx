// The ask panel's candidates (k) and repair rounds (N): a request carries the saved settings (the defaults before they
// load), the fields show what is stored, and the result line says which candidate and round were kept, of how many.
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CandidateRound, GenerateResult } from '../../../../common/codegen/engine';
import type { EvolveApi } from '../../../../common/contracts';
import { DEFAULT_SETTINGS, SettingsSchema } from '../../../../common/contracts/settings';
import { setApi } from '../../../../renderer/api';
import { useStore } from '../../../../renderer/app/store';
import { candidatesLine } from '../../../../renderer/features/code/AskPanel';
import { AskRunSettings } from '../../../../renderer/features/code/AskRunSettings';

let requests: Record<string, unknown>[];
const PRISTINE = useStore.getInitialState().review;

const round = (n: number): CandidateRound => ({ round: n, code: 'x = 1\n', files: [], checks: [], tests: null, tokens: 10, ms: 5 });
const score = { score: 70, breakdown: [] };
function result(p: { selected: number; rounds: number[]; kept: number[]; earlyStop?: boolean }): GenerateResult {
  return {
    generationId: 'g1',
    selected: p.selected,
    code: 'x = 1\n',
    files: [],
    diffs: [],
    candidates: p.rounds.map((n, i) => {
      const rounds = Array.from({ length: n }, (_, r) => round(r));
      return { index: i, rounds, final: rounds[p.kept[i]!]!, score };
    }),
    tests: null,
    scan: { ok: true, findings: [], tools: [], durationMs: 0 },
    score,
    budget: { contextTokens: 4096, reservedForAnswer: 1024, used: 100, parts: [] },
    checked: 'full',
    timings: { totalMs: 1, generateMs: 1, checkMs: 0, testMs: 0 },
    ...(p.earlyStop ? { earlyStop: { candidate: 0, round: 0 } } : {}),
  };
}

beforeEach(() => {
  requests = [];
  setApi({
    codegen: {
      generate: (input: Record<string, unknown>) => {
        requests.push(input);
        return { cancel: () => undefined, result: Promise.resolve({ ok: false, error: { code: 'CANCELLED', message: 'scripted' } }) };
      },
      list: async () => ({ ok: true, value: [] }),
    },
  } as unknown as EvolveApi);
  useStore.setState({ review: PRISTINE, settings: null });
  useStore.getState().setAskDraft({ prompt: 'Write add(a, b).', type: 'function', language: 'python' });
});

function html(): string {
  Object.assign(useStore.getInitialState(), { settings: useStore.getState().settings });
  return renderToString(<AskRunSettings />);
}

describe('ask panel: candidates and repair rounds', () => {
  it('sends the saved candidates and repair rounds with the request', async () => {
    useStore.setState({ settings: { ...DEFAULT_SETTINGS, codegen: { samples: 3, maxRounds: 1 } } });
    await useStore.getState().runAsk();
    expect(requests).toEqual([expect.objectContaining({ prompt: 'Write add(a, b).', samples: 3, maxRounds: 1 })]);
  });

  it('sends the defaults (k=1, N=3) while the settings have not loaded', async () => {
    await useStore.getState().runAsk();
    expect(requests).toEqual([expect.objectContaining({ samples: 1, maxRounds: 3 })]);
  });

  it('shows the stored values in the fields, with their bounds', () => {
    useStore.setState({ settings: { ...DEFAULT_SETTINGS, codegen: { samples: 4, maxRounds: 0 } } });
    const out = html();
    expect(out).toContain('min="1" max="16"');
    expect(out).toContain('min="0" max="10"');
    expect(out).toMatch(/data-testid="ask-samples" value="4"/);
    expect(out).toMatch(/data-testid="ask-max-rounds" value="0"/);
    expect(out).not.toContain('ask-run-settings-error');
  });

  it('refuses out-of-range and fractional values by the same schema the settings service validates with', () => {
    expect(SettingsSchema.shape.codegen.safeParse({ samples: 0, maxRounds: 3 }).success).toBe(false);
    expect(SettingsSchema.shape.codegen.safeParse({ samples: 2, maxRounds: 11 }).success).toBe(false);
    expect(SettingsSchema.shape.codegen.safeParse({ samples: 1.5, maxRounds: 3 }).success).toBe(false);
    expect(SettingsSchema.shape.codegen.safeParse({ samples: 16, maxRounds: 10 }).success).toBe(true);
  });
});

describe('candidatesLine', () => {
  it('names the single candidate and its rounds', () => {
    expect(candidatesLine(result({ selected: 0, rounds: [2], kept: [1] }))).toBe('1 candidate · 2 round(s)');
  });

  it('names the chosen candidate of k and an earlier round it kept', () => {
    expect(candidatesLine(result({ selected: 1, rounds: [4, 3, 1], kept: [3, 0, 0] }))).toBe('candidate 2 of 3 · 3 round(s), round 1 kept');
  });

  it('says when the visible tests ended the generation early', () => {
    expect(candidatesLine(result({ selected: 0, rounds: [1], kept: [0], earlyStop: true }))).toBe(
      '1 candidate · 1 round(s) · stopped early: the visible tests passed',
    );
  });
});
