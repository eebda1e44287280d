// The conventions part with learned conventions: marked as learned, of the request's language family only, in effect
// only, and within the part's room (learned first, the detected paragraph only if it still fits; never over).
import { describe, expect, it } from 'vitest';
import type { LearnedConvention } from '../../../../common/store/experience-requests';
import { assemblePrompt } from '../../../../main/services/codegen/prompt';
import { fillConventions, learnedFor } from '../../../../main/services/codegen/prompt/learned-conventions';
import { SECTION_TITLES } from '../../../../main/services/codegen/prompt/sections';
import { charCounter, superCounter } from './helpers';

const measure = async (t: string) => (t ? charCounter(`${t}\n\n`) : 0);
function conv(over: Partial<LearnedConvention> & Pick<LearnedConvention, 'id' | 'text'>): LearnedConvention {
  return {
    projectId: 'p',
    lang: 'python',
    kind: 'error-style',
    value: 'raise',
    userEdited: false,
    removed: false,
    inEffect: true,
    sources: [],
    createdAt: 1,
    updatedAt: 1,
    ...over,
  };
}
const detected = { body: '- Python >=3.11\n- tests: pytest', sources: ['pyproject.toml'] };

describe('learned conventions in the prompt', () => {
  it('keeps those in effect for the language family (TypeScript and JavaScript share)', () => {
    const list = [
      conv({ id: 'py', text: 'Raise ValueError.' }),
      conv({ id: 'ts', text: 'Throw TypeError.', lang: 'typescript' }),
      conv({ id: 'old', text: 'Return None.', inEffect: false }),
    ];
    expect(learnedFor(list, 'python').map((c) => c.id)).toEqual(['py']);
    expect(learnedFor(list, 'javascript').map((c) => c.id)).toEqual(['ts']);
  });

  it('renders the detected paragraph and the learned block under its own title, with items for both', async () => {
    const f = await fillConventions(detected, [conv({ id: 'c1', text: 'Raise ValueError on bad input.' })], 384, measure);
    expect(f.text).toBe(
      `${SECTION_TITLES.conventions}\n${detected.body}\n\n${SECTION_TITLES.learnedConventions}\n- Raise ValueError on bad input.`,
    );
    expect(f.items).toEqual(['pyproject.toml', 'learned:c1']);
    expect(f.tokens).toBe(await measure(f.text));
    expect(f.dropped).toBe(0);
  });

  it('fills learned ones first when the room is short, never over it', async () => {
    const learned = [conv({ id: 'c1', text: 'Raise ValueError on bad input.' }), conv({ id: 'c2', kind: 'quotes', text: 'x'.repeat(400) })];
    for (const room of [0, 10, 40, 60, 80, 200]) {
      const f = await fillConventions(detected, learned, room, measure);
      expect(f.tokens).toBeLessThanOrEqual(room);
      expect(f.items.length + f.dropped).toBe(3);
    }
    const tight = await fillConventions(detected, learned, 40, measure);
    expect(tight.items).toEqual(['learned:c1']);
    expect(tight.text).not.toContain(SECTION_TITLES.conventions + '\n');
  });

  it('through assemblePrompt: in the conventions part when there is room, cut with it when there is not, never over budget', async () => {
    const learned = [conv({ id: 'c1', text: 'Raise ValueError on bad input.' })];
    const input = (contextTokens: number) => ({
      type: 'function' as const,
      language: 'python' as const,
      prompt: 'Write parse_sku(text) for ids like SKU-12',
      project: { id: 'p', root: '/nonexistent-evolve-root' },
      contextTokens,
      reservedForAnswer: 64,
    });
    for (const countTokens of [charCounter, superCounter]) {
      const deps = {
        countTokens,
        experience: async () => ({ accepted: [], rejected: [], conventions: learned }),
        rules: async () => [],
      };
      const roomy = await assemblePrompt(input(4096), deps);
      expect(roomy.messages[1]!.content).toContain(`${SECTION_TITLES.learnedConventions}\n- Raise ValueError on bad input.`);
      expect(roomy.budget.parts.find((p) => p.name === 'conventions')!.items).toContain('learned:c1');
      const seen = new Set<boolean>();
      for (let ctx = 150; ctx <= 320; ctx += 5) {
        const p = await assemblePrompt(input(ctx), deps).catch((e: Error) => e);
        if (p instanceof Error) continue; // RESOURCE_EXHAUSTED: the instructions alone do not fit
        expect(p.budget.used).toBeLessThanOrEqual(ctx - 64);
        const part = p.budget.parts.find((x) => x.name === 'conventions')!;
        const inPrompt = p.messages[1]!.content.includes('Raise ValueError on bad input.');
        expect(part.items.includes('learned:c1')).toBe(inPrompt);
        seen.add(inPrompt);
      }
      expect([...seen].sort()).toEqual([false, true]); // both sides of the cut were exercised
    }
  });
});
