// The app logger: secrets never reach the file (message, data values, secret-named keys), rotation keeps N files,
// tail reads across them with a level filter, the file is owner-only, and an error's stack survives.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppLogger, redactForLog } from '../../../main/platform/log/logger';

const dirs: string[] = [];
function tempLog(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'evolve-log-'));
  dirs.push(d);
  return path.join(d, 'logs', 'evolve.log');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const OPENAI_KEY = 'sk-proj-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';

describe('AppLogger', () => {
  it('writes JSON lines with level, scope and data, and redacts secrets in messages, data values and secret-named keys', () => {
    const file = tempLog();
    const logger = new AppLogger({ file, stderrLevel: 'silent' });
    logger.scoped('providers')('warn', `request failed with key ${OPENAI_KEY}`, {
      url: 'https://user:hunter2@example.test/v1',
      apiKey: 'plain-value-that-is-not-a-known-pattern',
      nested: { authorization: 'Bearer abc.def.ghi', status: 401 },
    });
    logger.close();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('plain-value-that-is-not-a-known-pattern');
    expect(text).not.toContain('abc.def.ghi');
    const [entry] = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entry).toMatchObject({ level: 'warn', scope: 'providers', data: { nested: { status: 401 } } });
    expect(String(entry?.msg)).toContain('[REDACTED_OPENAI_KEY_1]');
  });

  it('keeps addresses and e-mails (what a log is for) while removing secrets', () => {
    expect(redactForLog('browser host listening on http://127.0.0.1:8787')).toBe('browser host listening on http://127.0.0.1:8787');
    expect(redactForLog('password=swordfish123 for dev@example.test')).not.toContain('swordfish123');
  });

  it('keeps the stack of an error passed as data', () => {
    const file = tempLog();
    const logger = new AppLogger({ file, stderrLevel: 'silent' });
    logger.log('error', 'evolve:chat.send failed', new Error('engine exploded'));
    logger.close();
    const [entry] = logger.tail(10);
    expect(entry?.data).toMatchObject({ message: 'engine exploded', stack: expect.stringContaining('logger.test.ts') });
  });

  it('rolls over by size, keeps `keep` old files, and tail reads newest-last across them with a level filter', () => {
    const file = tempLog();
    const logger = new AppLogger({ file, stderrLevel: 'silent', maxBytes: 2_000, keep: 2 });
    for (let i = 0; i < 100; i++) logger.log(i % 10 === 0 ? 'error' : 'info', `line ${i} ${'x'.repeat(40)}`);
    const files = readdirSync(path.dirname(file)).sort();
    expect(files).toEqual(['evolve.log', 'evolve.log.1', 'evolve.log.2']);
    for (const f of files) expect(statSync(path.join(path.dirname(file), f)).size).toBeLessThanOrEqual(2_000);
    const all = logger.tail(1000);
    expect(all.at(-1)?.msg).toMatch(/^line 99 /);
    // Older lines rolled out of the kept files; the ones kept are in order.
    const numbers = all.map((e) => Number(/line (\d+)/.exec(e.msg)?.[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(numbers.length).toBeLessThan(100);
    const errors = logger.tail(1000, 'error');
    expect(errors.every((e) => e.level === 'error')).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    expect(logger.tail(3)).toHaveLength(3);
    logger.close();
  });

  it('creates the file owner-only', () => {
    const file = tempLog();
    const logger = new AppLogger({ file, stderrLevel: 'silent' });
    logger.log('info', 'hello');
    logger.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('drops debug lines unless asked for them', () => {
    const file = tempLog();
    const quiet = new AppLogger({ file, stderrLevel: 'silent' });
    quiet.log('debug', 'not kept');
    quiet.log('info', 'kept');
    expect(quiet.tail(10).map((e) => e.msg)).toEqual(['kept']);
    quiet.close();
  });
});
