// Tag extraction per language (definitions and references from the tag queries) on the chunker's samples.
import { describe, expect, it } from 'vitest';
import { extractTags } from '../../../native/index/tags';
import { SAMPLES } from './samples';

describe.each(SAMPLES)('extractTags: $lang', (s) => {
  it('finds the definitions and the call between them', async () => {
    const { defs, refs } = await extractTags(s.rel, s.text);
    const defNames = defs.map((d) => d.name);
    const smallName = s.small.split('.').pop()!;
    expect(defNames).toContain(smallName);
    expect(defNames).toContain(s.big);
    const call = refs.find((r) => r.name === s.call);
    expect(call, `reference to ${s.call}`).toBeDefined();
    expect(call!.kind).toBe('call');
    // Lines are 1-based and point at the name.
    const def = defs.find((d) => d.name === smallName)!;
    expect(s.text.split('\n')[def.line - 1]).toContain(smallName);
    for (const t of [...defs, ...refs]) expect(t.rel).toBe(s.rel);
  });
});

describe('extractTags', () => {
  it('tags TypeScript types, interfaces and imports', async () => {
    const text = `import { Thing } from './thing';\nexport interface Shape { area(): number }\nexport type Id = string;\nexport class Square implements Shape {\n  area(): number { return helper(new Thing()); }\n}\nconst run = (s: Shape) => s.area();\n`;
    const { defs, refs } = await extractTags('shapes.ts', text);
    expect(defs.map((d) => `${d.kind}:${d.name}`).sort()).toEqual(
      ['class:Square', 'function:run', 'interface:Shape', 'method:area', 'method:area', 'type:Id'].sort(),
    );
    expect(refs.map((r) => r.name)).toEqual(expect.arrayContaining(['Thing', 'helper', 'Shape', 'area']));
  });

  it('has no tags for files without a grammar', async () => {
    expect(await extractTags('notes.md', '# hello')).toEqual({ defs: [], refs: [] });
  });
});
