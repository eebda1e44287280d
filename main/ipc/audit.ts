// Handlers for the `audit` domain.
import fs from 'node:fs';
import path from 'node:path';
import { auditContract } from '../../common/contracts/audit';
import { AUDIT_KINDS } from '../../common/store/audit';
import type { AppServices } from '../services';
import { implement } from './handlers';

export const auditHandlers = (s: AppServices) =>
  implement(auditContract, {
    list: (input) => {
      s.store.assertReady();
      return s.store.client.call('audit.list', {
        ...(input.kinds ? { kinds: input.kinds } : {}),
        ...(input.since !== undefined ? { since: input.since } : {}),
        afterSeq: input.afterSeq ?? 0,
        limit: input.limit ?? 200,
      });
    },
    verify: () => {
      s.store.assertReady();
      return s.store.audit.verify();
    },
    export: async () => {
      s.store.assertReady();
      const dir = path.join(s.paths.dataDir, 'exports');
      fs.mkdirSync(dir, { recursive: true });
      return s.store.audit.export(path.join(dir, `audit-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`));
    },
    kinds: () => [...AUDIT_KINDS],
  });
