// Why a file does not open in the editor, in words the user can act on (binary, too large, gone), from the
// typed error workspace.readFile returned. Anything else stays a plain error.
import type { UiError } from '../../lib/errors';

export interface FileNotice {
  kind: 'binary' | 'too-large' | 'missing';
  message: string;
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** `details` is the error's details object when the transport kept it ({size, limit} for RESOURCE_EXHAUSTED). */
export function fileNotice(path: string, error: UiError, details?: unknown): FileNotice | null {
  // workspace.readFile: INVALID_ARGUMENT with details {binary: true} for a binary or non-UTF-8 file.
  const binary = (details as { binary?: unknown } | undefined)?.binary === true;
  if (error.code === 'INVALID_ARGUMENT' && binary) {
    return {
      kind: 'binary',
      message: `${path} is a binary (or non-UTF-8) file: it is not opened in the editor, and nothing in it was changed.`,
    };
  }
  if (error.code === 'RESOURCE_EXHAUSTED') {
    const d = details as { size?: unknown; limit?: unknown } | undefined;
    const size = typeof d?.size === 'number' ? d.size : null;
    const limit = typeof d?.limit === 'number' ? d.limit : 2 * 1024 * 1024;
    const what = size === null ? 'larger than' : `${mb(size)}, over`;
    return { kind: 'too-large', message: `${path} is ${what} the editor's ${mb(limit)} limit: it is not opened, and nothing was changed.` };
  }
  if (error.code === 'NOT_FOUND') return { kind: 'missing', message: `${path} is no longer there (deleted or moved on disk).` };
  return null;
}
