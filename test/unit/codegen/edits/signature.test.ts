// keepSignature: a signature + docstring prompt keeps its exact signature (kept, restored, completed, missing).
import { describe, expect, it } from 'vitest';
import { keepSignature } from '../../../../main/services/codegen/edits';

const prompt =
  'from typing import List\n\n\ndef top_k(xs: List[int], k: int = 3) -> List[int]:\n    """Return the k largest values, largest first."""\n';

describe('keepSignature (Python)', () => {
  it('kept: the code has the same signature', () => {
    const code = 'from typing import List\n\ndef top_k(xs: List[int], k: int = 3) -> List[int]:\n    return sorted(xs, reverse=True)[:k]\n';
    expect(keepSignature(prompt, code, 'python')).toEqual({ code, status: 'kept', name: 'top_k' });
  });

  it('restored: dropped annotations and a changed default are put back exactly, the import is added', () => {
    const code = 'def top_k(xs, k=5):\n    return sorted(xs, reverse=True)[:k]\n';
    const r = keepSignature(prompt, code, 'python');
    expect(r.status).toBe('restored');
    expect(r.code).toBe(
      'from typing import List\ndef top_k(xs: List[int], k: int = 3) -> List[int]:\n    return sorted(xs, reverse=True)[:k]\n',
    );
  });

  it('mismatch: renamed parameters are not patched over (the body uses them); the expected signature is returned', () => {
    const code = 'def top_k(values, k=3):\n    return sorted(values, reverse=True)[:k]\n';
    expect(keepSignature(prompt, code, 'python')).toEqual({
      code,
      status: 'mismatch',
      name: 'top_k',
      expected: 'def top_k(xs: List[int], k: int = 3) -> List[int]:',
    });
  });

  it('completed: a bare body gets the prompt in front of it', () => {
    const r = keepSignature(prompt, '    return sorted(xs, reverse=True)[:k]\n', 'python');
    expect(r.status).toBe('completed');
    expect(r.code).toBe(`${prompt.trimEnd()}\n    return sorted(xs, reverse=True)[:k]\n`);
  });

  it('a multi-line signature and a method inside a class keep the code indentation', () => {
    const p = 'class Box:\n    def put(\n        self, item: str, *, front: bool = False\n    ) -> None:\n        """Put it."""\n';
    const code = 'class Box:\n    def put(self, item, *, front=False):\n        self.items.append(item)\n';
    const r = keepSignature(p, code, 'python');
    expect(r.status).toBe('restored');
    expect(r.code).toBe(
      'class Box:\n    def put(\n        self, item: str, *, front: bool = False\n    ) -> None:\n        self.items.append(item)\n',
    );
  });

  it('missing: the code defines something else; none: the prompt has no signature', () => {
    expect(keepSignature(prompt, 'def other():\n    pass\n', 'python')).toMatchObject({
      status: 'missing',
      expected: 'def top_k(xs: List[int], k: int = 3) -> List[int]:',
    });
    expect(keepSignature('Write a function that adds', 'def add(a, b): ...\n', 'python').status).toBe('none');
    expect(keepSignature(prompt, 'x', 'go').status).toBe('none');
  });
});

describe('keepSignature (TypeScript)', () => {
  const p = '/** Clamp n into [lo, hi]. */\nexport function clamp(n: number, lo: number, hi: number): number {\n';
  it('kept and restored', () => {
    const same = 'export function clamp(n: number, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, n));\n}\n';
    expect(keepSignature(p, same, 'typescript').status).toBe('kept');
    const untyped = 'export function clamp(n, lo, hi) {\n  return Math.min(hi, Math.max(lo, n));\n}\n';
    const r = keepSignature(p, untyped, 'typescript');
    expect(r.status).toBe('restored');
    expect(r.code.split('\n')[0]).toBe('export function clamp(n: number, lo: number, hi: number): number {');
    const renamed = 'export function clamp(value: number, min: number, max: number) {\n  return value;\n}\n';
    expect(keepSignature(p, renamed, 'typescript').status).toBe('mismatch');
  });
  it('a return type holding an object type is read whole, on one line or several (eval problem ts-api-signup)', () => {
    const signup =
      'Write an async request handler\n\nexport async function handleSignup(\n  req: { method: string; rawBody: string },\n' +
      '  hash: (password: string) => Promise<string>,\n): Promise<{ status: number; headers: Record<string, string>; body: string }>\n\n' +
      'for POST /signup (routing is done already).\n';
    const full =
      'export async function handleSignup(\n  req: { method: string; rawBody: string },\n  hash: (password: string) => Promise<string>,\n' +
      '): Promise<{ status: number; headers: Record<string, string>; body: string }>';
    // What the system prompt tells the model to keep: was cut to `…): Promise<` at the object type's brace.
    expect(keepSignature(signup, '', 'typescript').expected).toBe(full.slice('export '.length));
    const body = ' {\n  return { status: 405, headers: {}, body: "" };\n}\n';
    expect(keepSignature(signup, `${full}${body}`, 'typescript').status).toBe('kept');
    // The answer the truncated rule produced (the type's content dropped), and one with the type over several lines.
    const broken = full.replace(/Promise<\{.*\}>$/, 'Promise< {');
    const restored = keepSignature(signup, broken.replace(/ \{$/, '') + body, 'typescript');
    expect(restored.status).toBe('restored');
    expect(restored.code).toBe(`${full}${body}`);
    const split = full.replace(
      'Promise<{ status: number; headers: Record<string, string>; body: string }>',
      'Promise<{\n  status: number;\n  headers: Record<string, string>;\n  body: string;\n}>',
    );
    const r = keepSignature(signup, `${split}${body}`, 'typescript');
    expect(r.status).toBe('restored');
    expect(r.code).toBe(`${full}${body}`);
  });

  it('an object, arrow or union return type ends at the body brace, not at a brace inside the type', () => {
    const cases: [string, string][] = [
      ['export function box(n: number): { value: number } {', 'export function box(n: number): { value: number }'],
      ['export function make(): (req: Req) => { ok: boolean } {', 'export function make(): (req: Req) => { ok: boolean }'],
      ["export function kind(x: string): 'a' | { other: string } {", "export function kind(x: string): 'a' | { other: string }"],
      ['export function plain(a, b) {', 'export function plain(a, b)'],
    ];
    for (const [line, signature] of cases) {
      const prompt = `${signature}\n`;
      expect(keepSignature(prompt, `${line}\n  return null;\n}\n`, 'typescript')).toMatchObject({ status: 'kept' });
      expect(keepSignature(prompt, '', 'typescript').expected).toBe(signature.replace(/^export /, ''));
    }
  });

  it('a prose prompt that names the function inline is no signature to restore (the code is left whole)', () => {
    // From the eval's ts-kebab-case: taken as a signature, the text ran on to the backtick and broke every candidate.
    const prose = 'Write `export function toKebabCase(name: string): string` converting camelCase,\nsnake_case and spaces.\n';
    const code = 'export function toKebabCase(name: string): string {\n  return name.toLowerCase();\n}\n';
    const r = keepSignature(prose, code, 'typescript');
    expect(r.status).toBe('none');
    expect(r.code).toBe(code);
    expect(
      keepSignature(
        'Write a function add(a, b) that returns the sum.',
        'function add(a: number, b: number): number {\n  return a + b;\n}\n',
        'javascript',
      ).status,
    ).toBe('none');
  });
});
