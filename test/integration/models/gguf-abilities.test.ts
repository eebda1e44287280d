// Integration: model abilities read from real GGUF files — Qwen2.5-Coder's FIM tokens found by their text, chat
// template and context length; Gemma 3 270M (base) has neither a chat template nor FIM tokens.
import { describe, expect, it } from 'vitest';
import { inspectGguf } from '../../../native/inference/gguf-file';
import { CODER_0_5B, CODER_1_5B } from '../../fixtures/models/coding-models';
import { HAVE_MODEL, MODEL_PATH, SKIP_REASON } from '../../fixtures/models/default-model';

const QWEN_FIM = {
  prefix: '<|fim_prefix|>',
  suffix: '<|fim_suffix|>',
  middle: '<|fim_middle|>',
  pad: '<|fim_pad|>',
  repoName: '<|repo_name|>',
  fileSep: '<|file_sep|>',
};

describe('GGUF abilities', () => {
  for (const m of [CODER_1_5B, CODER_0_5B]) {
    it.skipIf(!m.present)(
      `${m.id}: chat template, FIM tokens from the vocabulary, 32k context${m.present ? '' : ` (skipped: ${m.skipReason})`}`,
      async () => {
        const { info, metadata } = await inspectGguf(m.path);
        // The premise of text-based detection: these files carry no fim_* id keys.
        const ggml = (info.metadata.tokenizer as { ggml: Record<string, unknown> }).ggml;
        expect(Object.keys(ggml).filter((k) => k.startsWith('fim_'))).toEqual([]);
        expect(metadata.fim).toEqual({ supported: true, tokens: QWEN_FIM });
        expect(metadata.hasChatTemplate).toBe(true);
        expect(metadata.chatTemplate).toContain('<|im_start|>');
        expect(metadata.contextLength).toBe(32_768);
        expect(metadata).toMatchObject({ architecture: 'qwen2', quantization: 'Q4_K_M', sizeBytes: m.sizeBytes });
      },
    );
  }

  it.skipIf(!HAVE_MODEL)(
    `Gemma 3 270M base: no chat template, no FIM tokens${HAVE_MODEL ? '' : ` (skipped: ${SKIP_REASON})`}`,
    async () => {
      const { metadata } = await inspectGguf(MODEL_PATH);
      expect(metadata.fim).toEqual({ supported: false });
      expect(metadata.hasChatTemplate).toBe(false);
      expect(metadata.contextLength).toBe(32_768);
    },
  );
});
