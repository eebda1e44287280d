// projects.pickFolder: the desktop app answers with the dialog's choice (null when cancelled); the browser host,
// which has no native dialog, answers UNAVAILABLE with what to do instead.
import { describe, expect, it } from 'vitest';
import type { AppServices } from '../../../main/services';
import { projectsHandlers } from '../../../main/ipc/projects';
import type { HandlerContext } from '../../../main/ipc/handlers';

const ctx: HandlerContext = { transport: 'host', signal: new AbortController().signal };
const pick = (pickFolder: (() => Promise<string | null>) | undefined) => {
  const services = { projects: { pickFolder } } as unknown as AppServices;
  const h = projectsHandlers(services).handlers.pickFolder as (input: object, c: HandlerContext) => Promise<{ path: string | null }>;
  return h({}, ctx);
};

describe('projects.pickFolder', () => {
  it('returns the chosen folder, or null when the dialog is cancelled', async () => {
    await expect(pick(async () => '/home/u/code/app')).resolves.toEqual({ path: '/home/u/code/app' });
    await expect(pick(async () => null)).resolves.toEqual({ path: null });
  });

  it('is UNAVAILABLE without a native dialog (browser host, CLI)', async () => {
    await expect(pick(undefined)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining("type the folder's path"),
    });
  });
});
