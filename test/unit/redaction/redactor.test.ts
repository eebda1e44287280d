// Redactor behaviour beyond the corpus: stable placeholders across messages, counts, preview shape, idempotence.
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../main/services/redaction/redactor';

// Built at runtime so no secret-looking literal sits outside test/fixtures.
const fakeKey = ['sk', 'FAKEfake0000FAKEfake0000FAKEfake0000'].join('-');
const fakeGh = ['ghp', 'FAKE0000fake0000FAKE0000fake0000FAKE'].join('_');

describe('Redactor', () => {
  const r = new Redactor();

  it('gives the same secret the same placeholder across messages and numbers distinct ones', () => {
    const out = r.redactMessages([
      { role: 'system', content: `use ${fakeKey}` },
      { role: 'user', content: `${fakeKey} and ${fakeGh} and ${fakeGh}x` },
    ]);
    expect(out.messages[0]?.content).toBe('use [REDACTED_OPENAI_KEY_1]');
    expect(out.messages[1]?.content).toBe('[REDACTED_OPENAI_KEY_1] and [REDACTED_GITHUB_TOKEN_1] and [REDACTED_GITHUB_TOKEN_2]');
    expect(out.counts).toEqual({ OPENAI_KEY: 2, GITHUB_TOKEN: 2 });
    expect(out.total).toBe(4);
  });

  it('is idempotent: redacting redacted text changes nothing', () => {
    const once = r.redactText(`password = "${fakeKey}" from ops@acme-corp.io at 10.1.2.3`).text;
    expect(r.redactText(once).text).toBe(once);
    expect(r.redactText(once).total).toBe(0);
  });

  it('preview lists kinds and placeholders, never the secret', () => {
    const p = r.preview({ prompt: `token: ${fakeGh}` });
    expect(p.prompt).toBe('token: [REDACTED_GITHUB_TOKEN_1]');
    expect(p.items).toEqual([{ kind: 'GITHUB_TOKEN', placeholder: '[REDACTED_GITHUB_TOKEN_1]' }]);
    expect(JSON.stringify(p)).not.toContain(fakeGh);
  });

  it('keeps the URL user and host, removes only the password', () => {
    expect(r.redactText('postgres://app:pw-FAKE-123@db.internal:5432/x').text).toBe(
      'postgres://app:[REDACTED_URL_PASSWORD_1]@db.internal:5432/x',
    );
  });

  it('handles empty and large inputs', () => {
    expect(r.redactText('').text).toBe('');
    const big = `${'const x = 1;\n'.repeat(20_000)}${fakeKey}`;
    expect(r.redactText(big).counts).toEqual({ OPENAI_KEY: 1 });
  });
});
