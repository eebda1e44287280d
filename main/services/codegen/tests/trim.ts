// Trims test failures to what a small model can use for repair: the assertion and the traceback lines inside the
// run's own files (candidate and tests), without runner internals, site-packages or the sandbox's temp path; capped.
import { tmpdir } from 'node:os';

/** Cap of the whole trimmed output (it goes back into a small model's context). */
export const OUTPUT_CAP_BYTES = 2048;
const MAX_MESSAGE_LINES = 14;
const MAX_FRAMES = 6;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The sandbox's temp dir prefix (sandbox/files.ts mkdtemp 'evolve-sbx-'), as a path or a file:// URL. */
const SANDBOX_DIR = new RegExp(`(?:file://)?(?:${escape(tmpdir())}|/tmp)/evolve-sbx-[A-Za-z0-9]+/`, 'g');

/** Makes paths inside the run relative ("/tmp/evolve-sbx-x/solution.py" → "solution.py"). */
export function stripSandboxPaths(text: string): string {
  return text.replace(SANDBOX_DIR, '');
}

/** A traceback path that belongs to the run (relative after stripping), not to the runner, stdlib or dependencies. */
function ownPath(p: string): boolean {
  return (
    !p.startsWith('/') && !p.startsWith('<') && !p.startsWith('node:') && !/(?:^|\/)(?:site-packages|node_modules|\.evolve-run)\//.test(p)
  );
}

/**
 * pytest's `--tb=short` text of one failure → frame headers in own files with their source line, and the `E` lines
 * (the assertion with pytest's introspection, or the exception). Collection errors keep their first line.
 */
export function trimPythonFailure(longrepr: string): string {
  const lines = stripSandboxPaths(longrepr).split('\n');
  const out: string[] = [];
  let keepSource = false;
  let messages = 0;
  let frames = 0;
  for (const line of lines) {
    const frame = /^(\S[^:]*):(\d+): in (.+)$/.exec(line);
    if (frame) {
      keepSource = ownPath(frame[1]!) && frames < MAX_FRAMES;
      if (keepSource) {
        out.push(line);
        frames += 1;
      }
      continue;
    }
    if (/^E\s/.test(line)) {
      keepSource = false;
      if (messages++ < MAX_MESSAGE_LINES) out.push(line.replace(/\s+$/, ''));
      continue;
    }
    if (keepSource && /^\s+\S/.test(line)) {
      out.push(line.replace(/\s+$/, ''));
      continue;
    }
    keepSource = false;
    if (/^(?:ImportError|ERROR|[A-Za-z]+Error) while /.test(line) || /^(?:[A-Za-z_.]+(?:Error|Exception)):/.test(line)) out.push(line);
  }
  if (messages > MAX_MESSAGE_LINES) out.push(`E   ... (${messages - MAX_MESSAGE_LINES} more lines)`);
  return out.length > 0 ? out.join('\n') : stripSandboxPaths(longrepr).trim().split('\n').slice(-MAX_MESSAGE_LINES).join('\n');
}

/**
 * A node:test failure's error stack → its message (the assertion diff) and the `at` frames in own files.
 * `renames` maps emitted JavaScript paths back to the TypeScript the model wrote (source maps fix the line numbers).
 */
export function trimNodeFailure(stack: string, renames: ReadonlyMap<string, string> = new Map()): string {
  const lines = stripSandboxPaths(stack).split('\n');
  const message: string[] = [];
  const frames: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    const at = /^\s+at (?:.*?\()?([^()\s]+?):(\d+):(\d+)\)?$/.exec(line);
    if (at) {
      if (ownPath(at[1]!) && frames.length < MAX_FRAMES) {
        const file = renames.get(at[1]!) ?? at[1]!;
        frames.push(line.replace(at[1]!, file));
      }
      continue;
    }
    if (/^\s+at /.test(line) || /^Node\.js v\d/.test(line)) continue;
    // A load error starts with "emitted.js:LINE": name the file the model wrote.
    const head = /^([^\s:]+):(\d+)$/.exec(line);
    if (message.length < MAX_MESSAGE_LINES) message.push(head && renames.has(head[1]!) ? `${renames.get(head[1]!)}:${head[2]}` : line);
  }
  while (message.length > 0 && message[message.length - 1] === '') message.pop();
  return [...message, ...frames].join('\n');
}

/** One block per failure, in order, until the cap; the rest are counted so the model knows they exist. */
export function joinFailures(failures: { id: string; text: string }[], cap = OUTPUT_CAP_BYTES): string {
  const blocks: string[] = [];
  let used = 0;
  let shown = 0;
  for (const f of failures) {
    const block = `FAILED ${f.id}\n${f.text.trim()}\n`;
    const size = Buffer.byteLength(block);
    if (used + size > cap) {
      // The first failure is always shown, cut if it alone is over the cap.
      if (shown === 0) {
        blocks.push(`${cutToBytes(block, cap - 64)}\n... (cut)\n`);
        shown = 1;
      }
      break;
    }
    blocks.push(block);
    used += size;
    shown += 1;
  }
  const left = failures.length - shown;
  if (left > 0) blocks.push(`... ${left} more failing test${left === 1 ? '' : 's'} not shown\n`);
  return blocks.join('');
}

function cutToBytes(text: string, bytes: number): string {
  const buf = Buffer.from(text);
  if (buf.length <= bytes) return text;
  return new TextDecoder('utf-8').decode(buf.subarray(0, Math.max(0, bytes))).replace(/\uFFFD$/, '');
}
