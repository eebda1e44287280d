// Workspace trust: whether the user allowed a project's code, tests and configuration to run. Stored per project in
// the encrypted store's settings (no migration needed); the DB worker audits every change as a settings.change row.
import { createHash } from 'node:crypto';
import type { TrustState } from '../../../common/contracts/workspace';
import { EvolveError } from '../../../common/errors';
import { JsonSchema } from '../../../common/store/rows';
import type { StoreCaller } from '../codegen/codegen-store';
import { z } from 'zod';

const KEY_PREFIX = 'workspace.trust:';
const StoredTrustSchema = z.object({ trusted: z.boolean(), decidedAt: z.number().int().nonnegative() });

/** The settings key of one project's trust (keys are at most 200 characters, so a very long id is hashed). */
function keyFor(projectId: string): string {
  const key = `${KEY_PREFIX}${projectId}`;
  return key.length <= 200 ? key : `${KEY_PREFIX}sha256:${createHash('sha256').update(projectId).digest('hex')}`;
}

export class TrustStore {
  constructor(
    private readonly store: StoreCaller,
    private readonly now: () => number = Date.now,
  ) {}

  /** Never decided → untrusted (decidedAt null). A stored value that fails its schema counts as untrusted. */
  async state(projectId: string): Promise<TrustState> {
    const row = await this.store.call('setting.get', { key: keyFor(projectId) });
    const parsed = row ? StoredTrustSchema.safeParse(row.value) : null;
    if (!parsed?.success) return { projectId, trusted: false, decidedAt: null };
    return { projectId, ...parsed.data };
  }

  async set(projectId: string, trusted: boolean): Promise<TrustState> {
    const value = { trusted, decidedAt: this.now() };
    // The DB worker writes the settings.change audit row (from → to) in the same transaction as the setting.
    await this.store.call('setting.set', { key: keyFor(projectId), value: JsonSchema.parse(value) });
    return { projectId, ...value };
  }

  /**
   * Resolves when the project is trusted; FORBIDDEN otherwise. Anything that runs project code, tests or config
   * (codegen checks in the project's environment, the user's git with its repo config) calls this first.
   */
  async assertTrusted(projectId: string): Promise<void> {
    const s = await this.state(projectId);
    if (!s.trusted) {
      throw new EvolveError(
        'FORBIDDEN',
        s.decidedAt === null
          ? 'This project is not trusted yet: trust it before its code, tests or configuration run'
          : 'This project is marked untrusted: none of its code, tests or configuration run',
        { projectId, reason: 'untrusted' },
      );
    }
  }
}

/** For callers without the workspace service (the codegen engine): FORBIDDEN unless the user trusts the project. */
export function assertTrusted(store: StoreCaller, projectId: string): Promise<void> {
  return new TrustStore(store).assertTrusted(projectId);
}
