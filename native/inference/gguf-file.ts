// Reads a GGUF file's metadata and checks its integrity (magic, header, truncation) with typed CORRUPT errors.
import { stat } from 'node:fs/promises';
import type { GgufFileInfo } from 'node-llama-cpp';
import { nodeLlamaCpp } from './llama-module';
import { EvolveError } from '../../common/errors';
import { detectFimTokens } from '../../common/inference/fim-tokens';
import type { ModelMetadata } from '../../common/inference/models';

export interface GgufInspection {
  info: GgufFileInfo;
  metadata: ModelMetadata;
}

/**
 * Reads the header and tensor table of `path`. Throws NOT_FOUND for a missing file and CORRUPT for anything
 * that is not a complete GGUF file: wrong magic, unparseable header, or a file shorter than its tensor data
 * (a truncated download parses fine header-wise, so the size check is what catches it).
 */
export async function inspectGguf(path: string): Promise<GgufInspection> {
  let sizeBytes: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new EvolveError('INVALID_ARGUMENT', `${path} is not a file`);
    sizeBytes = st.size;
  } catch (e) {
    if (e instanceof EvolveError) throw e;
    throw new EvolveError('NOT_FOUND', `Model file not found: ${path}`, { path });
  }
  if (sizeBytes < 32) throw corrupt(path, `the file is only ${sizeBytes} bytes`);
  // Outside the try: failing to load the library is our bug (INTERNAL), not a property of the file.
  const { readGgufFileInfo, GgufFileType } = await nodeLlamaCpp();
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/magic/i.test(msg)) throw corrupt(path, 'it does not start with the GGUF magic bytes (not a GGUF file)');
    throw corrupt(path, `its header could not be parsed (${msg.slice(0, 160)})`);
  }
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  if (tensors.length === 0) throw corrupt(path, 'it contains no tensors');
  const required = requiredFileSize(info);
  if (required !== undefined && sizeBytes < required) {
    throw corrupt(path, `it is truncated: ${sizeBytes} bytes on disk but its tensors need at least ${required}`, { sizeBytes, required });
  }
  return { info, metadata: toMetadata(path, sizeBytes, info, (t) => quantName(GgufFileType, t)) };
}

function corrupt(path: string, why: string, extra: Record<string, unknown> = {}): EvolveError {
  return new EvolveError('CORRUPT', `Model file ${path} is corrupt or not a GGUF model: ${why}`, { path, ...extra });
}

/** Bytes per block and elements per block for the ggml types we can size exactly; others are skipped. */
const TYPE_SIZES: Record<number, [bytes: number, elems: number]> = {
  0: [4, 1],
  1: [2, 1],
  2: [18, 32],
  3: [20, 32],
  6: [22, 32],
  7: [24, 32],
  8: [34, 32],
  9: [36, 32],
  10: [84, 256],
  11: [110, 256],
  12: [144, 256],
  13: [176, 256],
  14: [210, 256],
  30: [2, 1],
};

/**
 * Data section start (aligned end of the header) plus the furthest tensor end we can compute. Tensors of
 * unknown type are ignored, so this is a lower bound: never a false "truncated".
 */
function requiredFileSize(info: GgufFileInfo): number | undefined {
  const alignment = Number((info.metadata.general as { alignment?: number } | undefined)?.alignment ?? 32);
  const headerEnd = Number(info.infoEndOffset ?? info.metadataSize + (info.tensorInfoSize ?? 0));
  if (!Number.isFinite(headerEnd) || headerEnd <= 0) return undefined;
  const dataStart = Math.ceil(headerEnd / alignment) * alignment;
  let end = 0;
  for (const t of info.fullTensorInfo ?? info.tensorInfo ?? []) {
    const size = TYPE_SIZES[t.ggmlType as number];
    if (!size) continue;
    const elems = t.dimensions.reduce<number>((a, d) => a * Number(d), 1);
    end = Math.max(end, Number(t.offset) + Math.ceil(elems / size[1]) * size[0]);
  }
  return dataStart + end;
}

function toMetadata(path: string, sizeBytes: number, info: GgufFileInfo, quant: (t: number | undefined) => string): ModelMetadata {
  const general = info.metadata.general;
  const arch = String(general?.architecture ?? 'unknown');
  const archMeta = (info.architectureMetadata ?? {}) as { context_length?: number; block_count?: number };
  const tokenizer = info.metadata.tokenizer as { chat_template?: unknown; ggml?: Record<string, unknown> } | undefined;
  const fimTokens = fimOf(tokenizer?.ggml);
  const chatTemplate = typeof tokenizer?.chat_template === 'string' ? tokenizer.chat_template : undefined;
  const fileType = typeof general?.file_type === 'number' ? general.file_type : undefined;
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  const parameterCount = tensors.reduce((sum, t) => sum + t.dimensions.reduce<number>((a, d) => a * Number(d), 1), 0);
  return {
    path,
    sizeBytes,
    ggufVersion: info.version,
    architecture: arch,
    name: typeof general?.name === 'string' ? general.name : undefined,
    sizeLabel: typeof general?.size_label === 'string' ? general.size_label : undefined,
    parameterCount,
    quantization: quant(fileType),
    fileType,
    contextLength: typeof archMeta.context_length === 'number' ? archMeta.context_length : undefined,
    layerCount: typeof archMeta.block_count === 'number' ? archMeta.block_count : 0,
    tensorCount: info.tensorCount === undefined ? tensors.length : Number(info.tensorCount),
    chatTemplate,
    hasChatTemplate: chatTemplate !== undefined,
    fim: fimTokens ? { supported: true, tokens: fimTokens } : { supported: false },
    license: typeof general?.license === 'string' ? general.license : undefined,
  };
}

/** FIM tokens from tokenizer.ggml: its fim_* id keys when present, else the tokens' text (Qwen GGUFs have no keys). */
function fimOf(ggml: Record<string, unknown> | undefined) {
  const tokens = ggml?.tokens;
  if (!Array.isArray(tokens) || !tokens.every((t): t is string => typeof t === 'string')) return undefined;
  const types = ggml?.token_type;
  const tokenTypes = Array.isArray(types) && types.every((t): t is number => typeof t === 'number') ? types : undefined;
  return detectFimTokens({ tokens, ids: ggml ?? {}, ...(tokenTypes ? { tokenTypes } : {}) });
}

/** "MOSTLY_Q4_K_M" → "Q4_K_M"; "ALL_F32" → "F32". */
export function quantName(names: Record<number, string>, fileType: number | undefined): string {
  if (fileType === undefined) return 'unknown';
  const name = names[fileType];
  return name ? name.replace(/^(MOSTLY|ALL)_/, '') : `type-${fileType}`;
}
