// Verifies an audit JSONL export on its own (no database, no key): streams the lines through the hash chain.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AuditChainVerifier, type AuditVerify } from '../../../common/store/audit';

const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

/** Returns the same verdict as the worker's audit.verify for the rows in the file (a line that is not JSON is "malformed"). */
export async function verifyAuditExport(path: string, anchor?: { seq: number; hash: string }): Promise<AuditVerify> {
  const v = new AuditChainVerifier(sha256, anchor);
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      row = undefined;
    }
    if (!v.push(row)) break;
  }
  lines.close();
  return v.result();
}
