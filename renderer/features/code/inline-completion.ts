// CodeMirror 6 inline completion: after a pause in typing (debounced) the text around the cursor goes to the local
// model and the answer shows as ghost text after the cursor (a widget decoration, styled through CodeMirror's
// nonce-tagged theme, so it works under the page's CSP). Tab accepts, Esc dismisses, typing cancels — or, when the
// typed characters are the ghost's own next characters, keeps the rest of it without asking again.
import { Prec, StateEffect, StateField, type EditorState, type Extension, type Text } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, WidgetType, keymap, type ViewUpdate } from '@codemirror/view';
import {
  INLINE_PREFIX_CHARS,
  INLINE_SUFFIX_CHARS,
  INLINE_WINDOW_STEP,
  inlineWindow,
  type InlineWindow,
} from '../../../common/completion/inline-context';

export interface Ghost {
  /** Document offset the ghost text is shown (and inserted) at. */
  pos: number;
  text: string;
}

export interface InlineCompletionSource {
  /** Whether to ask at all (the user's setting; off after an error that asking again cannot fix). */
  enabled(): boolean;
  /**
   * The completion for this window, or null (nothing, superseded, failed — the source reports failures itself). The
   * signal aborts when the user typed on before the answer came.
   */
  complete(window: InlineWindow, signal: AbortSignal): Promise<string | null>;
}

/** Wait after the last keystroke before asking: one request per pause, not per character. */
export const INLINE_DEBOUNCE_MS = 300;

export const setGhost = StateEffect.define<Ghost | null>();

/** The ghost text, if any; it follows the document and vanishes on any edit or cursor move it cannot survive. */
export const ghostField = StateField.define<Ghost | null>({
  create: () => null,
  update(ghost, tr) {
    for (const e of tr.effects) if (e.is(setGhost)) return e.value;
    if (!ghost) return null;
    let next: Ghost | null = ghost;
    if (tr.docChanged) next = typedThrough(ghost, tr.changes);
    if (next) {
      const sel = tr.state.selection.main;
      if (!sel.empty || sel.head !== next.pos) return null;
    }
    return next;
  },
  provide: (f) =>
    EditorView.decorations.from(f, (g) =>
      g ? Decoration.set([Decoration.widget({ widget: new GhostWidget(g.text), side: 1 }).range(g.pos)]) : Decoration.none,
    ),
});

/**
 * The ghost after an edit: when the edit is one insertion at the ghost's position of the ghost's own next characters,
 * the rest of the ghost stays (typing what is suggested is not a reason to ask again); any other edit drops it.
 */
export function typedThrough(
  ghost: Ghost,
  changes: { iterChanges(f: (fromA: number, toA: number, fromB: number, toB: number, inserted: Text) => void): void },
): Ghost | null {
  let typed: string | null = null;
  let single = true;
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    if (typed !== null || fromA !== ghost.pos || toA !== fromA) single = false;
    typed = inserted.toString();
  });
  if (!single || typed === null) return null;
  const t: string = typed;
  if (t.length === 0 || t.length >= ghost.text.length || !ghost.text.startsWith(t)) return null;
  return { pos: ghost.pos + t.length, text: ghost.text.slice(t.length) };
}

class GhostWidget extends WidgetType {
  constructor(readonly text: string) {
    super();
  }
  override eq(other: GhostWidget): boolean {
    return other.text === this.text;
  }
  toDOM(): HTMLElement {
    const span = document.createElement('span');
    span.className = 'cm-inline-ghost';
    span.setAttribute('data-testid', 'inline-ghost');
    span.setAttribute('aria-hidden', 'true');
    span.textContent = this.text;
    return span;
  }
  override ignoreEvent(): boolean {
    return false;
  }
}

/** Inserts the ghost text at the cursor; false (so Tab indents) when there is none. */
export function acceptGhost(view: EditorView): boolean {
  const g = view.state.field(ghostField, false);
  if (!g) return false;
  view.dispatch({
    changes: { from: g.pos, insert: g.text },
    selection: { anchor: g.pos + g.text.length },
    effects: setGhost.of(null),
    userEvent: 'input.complete',
    scrollIntoView: true,
  });
  return true;
}

/** Hides the ghost text; false (so Esc does what else it does) when there is none. */
export function dismissGhost(view: EditorView): boolean {
  if (!view.state.field(ghostField, false)) return false;
  view.dispatch({ effects: setGhost.of(null) });
  return true;
}

/**
 * The window around the cursor, reading only the part of the document it needs. The prefix slice starts at a
 * multiple of the window step, so inlineWindow's stepped start is the same as on the whole text (KV cache reuse).
 */
export function windowAt(doc: Text, head: number): InlineWindow {
  const from = Math.floor(Math.max(0, head - INLINE_PREFIX_CHARS - INLINE_WINDOW_STEP) / INLINE_WINDOW_STEP) * INLINE_WINDOW_STEP;
  return inlineWindow(doc.sliceString(from, head), doc.sliceString(head, Math.min(doc.length, head + INLINE_SUFFIX_CHARS + 1)));
}

function wantsCompletion(u: ViewUpdate): boolean {
  if (!u.docChanged) return false;
  // Only the user's own typing or deleting asks; accepting, undo, a reload of the file do not.
  return u.transactions.some((tr) => (tr.isUserEvent('input') && !tr.isUserEvent('input.complete')) || tr.isUserEvent('delete'));
}

const completer = (source: InlineCompletionSource, debounceMs: number) =>
  ViewPlugin.fromClass(
    class {
      private timer: ReturnType<typeof setTimeout> | undefined;
      private inflight: AbortController | undefined;

      constructor(private readonly view: EditorView) {}

      update(u: ViewUpdate): void {
        if (!u.docChanged && !u.selectionSet) return;
        // Any edit or cursor move makes an answer on the way stale.
        this.cancel();
        if (!wantsCompletion(u) || u.state.field(ghostField, false)) return;
        this.timer = setTimeout(() => void this.ask(), debounceMs);
      }

      private async ask(): Promise<void> {
        this.timer = undefined;
        const state: EditorState = this.view.state;
        const sel = state.selection.main;
        if (!sel.empty || state.readOnly || !source.enabled()) return;
        const ctrl = new AbortController();
        this.inflight = ctrl;
        const text = await source.complete(windowAt(state.doc, sel.head), ctrl.signal).catch(() => null);
        if (this.inflight === ctrl) this.inflight = undefined;
        // Shown only if nothing moved meanwhile (the same document and cursor).
        if (ctrl.signal.aborted || !text || this.view.state.doc !== state.doc || this.view.state.selection.main.head !== sel.head) return;
        this.view.dispatch({ effects: setGhost.of({ pos: sel.head, text }) });
      }

      private cancel(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.inflight?.abort();
        this.inflight = undefined;
      }

      destroy(): void {
        this.cancel();
      }
    },
  );

/** The extension: ghost state, the debounced completer, Tab/Esc (ahead of indent-with-Tab) and the ghost's style. */
export function inlineCompletion(source: InlineCompletionSource, opts: { debounceMs?: number } = {}): Extension {
  return [
    ghostField,
    completer(source, opts.debounceMs ?? INLINE_DEBOUNCE_MS),
    Prec.highest(
      keymap.of([
        { key: 'Tab', run: acceptGhost },
        { key: 'Escape', run: dismissGhost },
      ]),
    ),
    EditorView.baseTheme({
      '.cm-inline-ghost': { opacity: '0.5', fontStyle: 'italic' },
    }),
  ];
}
