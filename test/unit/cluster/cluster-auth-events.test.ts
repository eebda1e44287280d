// Cluster sign-in audit rows in the security events view: tokens over http and failed renewals count as token misuse;
// routine sign-in/out do not.
import { describe, expect, it } from 'vitest';
import { classifyAuditRow } from '../../../main/services/security/events/classify';

const row = (data: Record<string, unknown>) => ({ seq: 1, at: 1, kind: 'cluster.auth', data });

describe('cluster.auth in security events', () => {
  it('classifies http and renewal problems as token misuse, with severity by exposure', () => {
    expect(classifyAuditRow(row({ profileId: 'lab', event: 'token-over-http-sent', detail: 'http://10.0.0.5:8265' }))).toMatchObject({
      category: 'token-misuse',
      severity: 'medium',
      summary: 'Cluster lab: token sent over plain http (http://10.0.0.5:8265)',
    });
    expect(classifyAuditRow(row({ profileId: 'lab', event: 'token-over-http-refused' }))).toMatchObject({ severity: 'low' });
    expect(classifyAuditRow(row({ profileId: 'lab', event: 'refresh-failed', subject: 'alice' }))).toMatchObject({ actor: 'alice' });
  });
  it('ignores routine sign-in and sign-out', () => {
    expect(classifyAuditRow(row({ profileId: 'lab', event: 'sign-in', subject: 'alice' }))).toBeNull();
    expect(classifyAuditRow(row({ profileId: 'lab', event: 'sign-out' }))).toBeNull();
  });
});
