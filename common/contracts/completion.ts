// Contract for the `completion` domain: inline (ghost-text) completion in the Code editor, served by the default
// coding model's fill-in-the-middle path with a capped context window, a small cache and cancel-on-newer.
import { z } from 'zod';
import { INLINE_MAX_PREFIX_CHARS, INLINE_MAX_SUFFIX_CHARS } from '../completion/inline-context';
import { call, defineDomain } from './define';

const Id = z.string().min(1).max(200);

export const InlineCompleteInputSchema = z
  .object({
    projectId: Id,
    /** The file being edited, relative to the project root (named in the FIM prompt; nothing is read from disk). */
    path: z.string().min(1).max(4096),
    /**
     * Text before the cursor. The editor sends only its tail (inlineWindow); a longer one is refused rather than
     * silently cut, so a client bug shows instead of a slow prompt.
     */
    prefix: z.string().max(INLINE_MAX_PREFIX_CHARS),
    /** Text after the cursor (its head). */
    suffix: z.string().max(INLINE_MAX_SUFFIX_CHARS),
    /** The editor's language id (python, typescript, …): decides how the end of a block is recognised. */
    language: z.string().min(1).max(40),
    /** One id per editor view: a newer request with the same id cancels the older one (default: projectId + path). */
    editorId: z.string().min(1).max(200).optional(),
  })
  .strict();
export type InlineCompleteInput = z.infer<typeof InlineCompleteInputSchema>;

export const InlineCompletionSchema = z.object({
  /** The ghost text to insert at the cursor ('' when the model had nothing to add). */
  text: z.string(),
  /** Time in the service for this request (model load on first use included), ms. */
  ms: z.number().nonnegative(),
  /** Served from the cache (same model, same prefix tail and suffix head) without running the model. */
  cached: z.boolean(),
  /** The model that wrote it (registry id). */
  model: z.string(),
});
export type InlineCompletion = z.infer<typeof InlineCompletionSchema>;

export const CancelInlineInputSchema = z
  .object({ projectId: Id, path: z.string().min(1).max(4096), editorId: z.string().min(1).max(200).optional() })
  .strict();

export const completionContract = defineDomain('completion', {
  inline: call({
    input: InlineCompleteInputSchema,
    output: InlineCompletionSchema,
    doc:
      'Inline completion at the cursor (FIM on the default coding model). A model without FIM tokens → INVALID_ARGUMENT ' +
      "{reason: 'no-fim'}; no model installed → UNAVAILABLE; superseded by a newer request of the same editor → CANCELLED.",
  }),
  warm: call({
    input: z.object({ projectId: Id }).strict(),
    output: z.object({ model: z.string() }),
    doc: 'Loads the default coding model for inline completion when a file opens (the first ghost text then skips the load); the same errors as inline.',
  }),
  cancelInline: call({
    input: CancelInlineInputSchema,
    output: z.object({ cancelled: z.boolean() }),
    doc: 'Stops the inline completion in flight for this editor (the user typed on or moved the cursor): it ends CANCELLED.',
  }),
});
