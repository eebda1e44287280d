// eval:codegen --speculation: option parsing (modes, --draft only with draft, refused with --ci), the default results
// file's suffix, resume refused across a change of decoding, and the summary header naming it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DRAFT_MODEL, defaultOutFile, parseEvalArgs } from '../../../eval/codegen/run/options';
import { openResults, saveResults, type RunSettings } from '../../../eval/codegen/run/results';
import { formatSummary, summarize } from '../../../eval/codegen/run/summary';

const BASE: RunSettings = { model: 'qwen2.5-coder-1.5b-instruct-q4_k_m', samples: 1, maxRounds: 0, seed: 1 };

describe('--speculation option', () => {
  it('is off unless asked, and takes lookup or draft with an optional --draft model', () => {
    expect(parseEvalArgs([]).speculation).toBe('off');
    expect(parseEvalArgs(['--speculation', 'lookup']).speculation).toBe('lookup');
    expect(parseEvalArgs(['--speculation', 'draft']).speculation).toBe('draft');
    expect(parseEvalArgs(['--speculation', 'draft']).draft).toBeUndefined();
    expect(parseEvalArgs(['--speculation', 'draft', '--draft', 'm/small.gguf']).draft).toBe('m/small.gguf');
    expect(DEFAULT_DRAFT_MODEL).toMatch(/0\.5b/);
  });

  it('refuses an unknown mode, a --draft without draft mode, and speculation in the fixed CI slice', () => {
    const refused = (argv: string[], what: string) =>
      expect(() => parseEvalArgs(argv)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(what) }),
      );
    refused(['--speculation', 'fast'], '--speculation:');
    refused(['--draft', 'x.gguf'], '--draft names the draft model of --speculation draft, not of off');
    refused(['--speculation', 'lookup', '--draft', 'x.gguf'], 'not of lookup');
    refused(['--ci', '--speculation', 'lookup'], '--speculation is not part of it');
  });

  it('gives the default results file a -lookup / -draft suffix, so plain and speculative seconds never share a file', () => {
    expect(path.basename(defaultOutFile('/r', BASE))).toBe('codegen-qwen2.5-coder-1.5b-instruct-q4_k_m-k1-n0.json');
    expect(path.basename(defaultOutFile('/r', { ...BASE, speculation: { mode: 'lookup' } }))).toBe(
      'codegen-qwen2.5-coder-1.5b-instruct-q4_k_m-k1-n0-lookup.json',
    );
    expect(path.basename(defaultOutFile('/r', { ...BASE, speculation: { mode: 'draft', draft: 'd' } }))).toMatch(/-n0-draft\.json$/);
  });
});

describe('resume across a change of decoding', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'evolve-eval-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fileWith = (name: string, settings: RunSettings): string => {
    const f = path.join(dir, name);
    saveResults(f, { version: 1, settings, startedAt: new Date().toISOString(), problems: {} });
    return f;
  };
  const refused = (f: string, s: RunSettings, what: RegExp) =>
    expect(() => openResults(f, s, true)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(what) }),
    );

  it('a plain file is not resumed with lookup, nor a lookup file plainly, nor a draft run with another draft', () => {
    const plain = fileWith('plain.json', BASE);
    const lookup = fileWith('lookup.json', { ...BASE, speculation: { mode: 'lookup' } });
    const draft = fileWith('draft.json', { ...BASE, speculation: { mode: 'draft', draft: 'small-a' } });
    refused(plain, { ...BASE, speculation: { mode: 'lookup' } }, /speculation off → lookup/);
    refused(lookup, BASE, /speculation lookup → off/);
    refused(draft, { ...BASE, speculation: { mode: 'draft', draft: 'small-b' } }, /speculation draft small-a → draft small-b/);
    expect(openResults(lookup, { ...BASE, speculation: { mode: 'lookup' } }, true).settings.speculation).toEqual({ mode: 'lookup' });
  });
});

describe('summary header', () => {
  it('names the decoding, plain included, so a speculative figure is never read as the plain one', () => {
    const s = summarize([]);
    expect(formatSummary(s, BASE)).toContain('speculation: off');
    expect(formatSummary(s, { ...BASE, speculation: { mode: 'draft', draft: 'small-a' } })).toContain('speculation: draft small-a');
  });
});
