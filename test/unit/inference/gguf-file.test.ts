// Unit: GGUF metadata reading and integrity checks (magic, header, truncation) on small synthetic files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectGguf, quantName } from '../../../native/inference/gguf-file';
import { tinyGguf, writeTinyGguf } from '../../fixtures/models/tiny-gguf';
import { tempDir } from '../../support/temp-tree';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('gguf-unit-'));
});
afterAll(() => cleanup());

describe('inspectGguf', () => {
  it('reads architecture, name, quantization, context length, layers and parameter count', async () => {
    const p = join(dir, 'ok.gguf');
    const bytes = writeTinyGguf(p, { elements: 256 });
    const { metadata } = await inspectGguf(p);
    expect(metadata).toMatchObject({
      architecture: 'llama',
      name: 'Tiny Test',
      quantization: 'F32',
      fileType: 0,
      contextLength: 128,
      layerCount: 1,
      tensorCount: 1,
      parameterCount: 256,
      sizeBytes: bytes.length,
      ggufVersion: 3,
      hasChatTemplate: false,
    });
  });

  it('reports a chat template when the file has one', async () => {
    const p = join(dir, 'tmpl.gguf');
    writeTinyGguf(p, { chatTemplate: '{% for m in messages %}{{ m.content }}{% endfor %}' });
    const { metadata } = await inspectGguf(p);
    expect(metadata.hasChatTemplate).toBe(true);
    expect(metadata.chatTemplate).toContain('for m in messages');
  });

  it('CORRUPT for a truncated file even though its header parses', async () => {
    const p = join(dir, 'trunc.gguf');
    const full = tinyGguf({ elements: 1024 });
    writeFileSync(p, full.subarray(0, full.length - 100));
    await expect(inspectGguf(p)).rejects.toMatchObject({ code: 'CORRUPT', message: /truncated/ });
  });

  it('CORRUPT for wrong magic, garbage header, and tiny files', async () => {
    const bad = join(dir, 'bad.gguf');
    const b = tinyGguf();
    b.write('XXXX', 0);
    writeFileSync(bad, b);
    await expect(inspectGguf(bad)).rejects.toMatchObject({ code: 'CORRUPT', message: /magic/ });

    const garbage = join(dir, 'garbage.gguf');
    const g = Buffer.alloc(4096, 0xff);
    g.write('GGUF', 0);
    writeFileSync(garbage, g);
    await expect(inspectGguf(garbage)).rejects.toMatchObject({ code: 'CORRUPT' });

    const text = join(dir, 'notes.gguf');
    writeFileSync(text, 'hello, this is not a model at all, just some text in a file');
    await expect(inspectGguf(text)).rejects.toMatchObject({ code: 'CORRUPT' });

    const tiny = join(dir, 'tiny.gguf');
    writeFileSync(tiny, 'GGUF');
    await expect(inspectGguf(tiny)).rejects.toMatchObject({ code: 'CORRUPT' });
  });

  it('NOT_FOUND for a missing file, INVALID_ARGUMENT for a directory', async () => {
    await expect(inspectGguf(join(dir, 'missing.gguf'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(inspectGguf(dir)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('names quantizations the way llama.cpp does', () => {
    expect(quantName({ 15: 'MOSTLY_Q4_K_M', 0: 'ALL_F32' }, 15)).toBe('Q4_K_M');
    expect(quantName({ 0: 'ALL_F32' }, 0)).toBe('F32');
    expect(quantName({}, 99)).toBe('type-99');
    expect(quantName({}, undefined)).toBe('unknown');
  });
});
