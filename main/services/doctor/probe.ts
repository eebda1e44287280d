// Runs an external program briefly to learn its version; never throws, never hangs (bounded time).
import { execFile } from 'node:child_process';

export interface ProbeResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Why it failed: 'not found', 'timed out', or the exit code. */
  why?: string;
}

export function probe(cmd: string, args: string[], timeoutMs = 8_000, env?: NodeJS.ProcessEnv): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, env: env ?? process.env, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, stdout: String(stdout), stderr: String(stderr) });
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'not found' : (error as { killed?: boolean }).killed ? 'timed out' : `exit code ${String(code ?? 'unknown')}`;
      resolve({ ok: false, stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), why });
    });
  });
}

/** First line that looks like it carries a version number. */
export function firstVersionLine(text: string): string {
  const line = text.split('\n').find((l) => /\d+\.\d+/.test(l)) ?? text.split('\n')[0] ?? '';
  return line.trim().slice(0, 160);
}
