// The apply gate without a store: a failing audit write blocks the override; findings below high never block.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../common/codegen/types';
import type { AuditEvent } from '../../../common/store/audit';
import { assertApplicable, type Gateable } from '../../../main/services/codegen/gate';

const f = (severity: Finding['severity']): Finding => ({
  tool: 'eslint',
  ruleId: 'no-unsanitized/property',
  severity,
  file: 'a.ts',
  line: 7,
  message: 'innerHTML',
});
const gen = (findings: Finding[]): Gateable => ({ id: 'g1', projectId: null, status: 'done', findings });

describe('assertApplicable', () => {
  it('medium, low and info findings never block and record nothing', async () => {
    const seen: AuditEvent[] = [];
    const r = await assertApplicable(gen([f('medium'), f('low'), f('info')]), { audit: { record: async (ev) => seen.push(ev) } });
    expect(r).toEqual({ blocking: [], overridden: false });
    expect(seen).toEqual([]);
  });

  it('an override whose audit write fails rejects, so the caller applies nothing', async () => {
    const failing = { record: () => Promise.reject(new Error('disk full')) };
    await expect(assertApplicable(gen([f('high')]), { override: { reason: 'trusted input' }, audit: failing })).rejects.toThrow(
      'disk full',
    );
  });

  it('a too-long reason is refused before anything is recorded', async () => {
    const seen: AuditEvent[] = [];
    await expect(
      assertApplicable(gen([f('high')]), { override: { reason: 'x'.repeat(4001) }, audit: { record: async (ev) => seen.push(ev) } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(seen).toEqual([]);
  });
});
