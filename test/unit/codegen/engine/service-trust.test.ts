// Workspace trust gates generation: for a project never trusted (or marked untrusted), generate refuses with
// FORBIDDEN before any model, project file or test runs; a trusted project gets past the gate.
import { describe, expect, it } from 'vitest';
import { CodegenService, type CodegenServiceOptions } from '../../../../main/services/codegen/engine/service';
import { GenerateInputSchema } from '../../../../common/codegen/engine';

function service(trust: unknown) {
  const calls: string[] = [];
  const store = {
    assertReady: () => undefined,
    call: async (method: string) => {
      calls.push(method);
      if (method === 'setting.get') return trust === undefined ? null : { key: 'k', value: trust };
      throw new Error(`unexpected store call ${method}`);
    },
  } as unknown as CodegenServiceOptions['store'];
  const unreachable = () => {
    throw new Error('reached past the trust gate');
  };
  const svc = new CodegenService({
    store,
    // No models: the first step after the gate (resolving the model) fails, which shows the gate let it through.
    local: {} as unknown as CodegenServiceOptions['local'],
    providers: { send: unreachable } as unknown as CodegenServiceOptions['providers'],
    projects: {
      get: async (id: string) => {
        if (id !== 'p1') throw Object.assign(new Error(`no project ${id}`), { code: 'NOT_FOUND' });
        calls.push('projects.get');
        return { id, rootPath: '/tmp/p1' };
      },
      retrieve: unreachable,
    },
  });
  return { svc, calls };
}

const input = GenerateInputSchema.parse({
  type: 'function',
  language: 'python',
  prompt: 'def add(a, b):\n    """Sum."""',
  projectId: 'p1',
});

describe('codegen trust gate', () => {
  it('refuses a project never trusted, and one marked untrusted, before anything runs', async () => {
    for (const trust of [undefined, { trusted: false, decidedAt: 1 }]) {
      const { svc, calls } = service(trust);
      await expect(svc.generate(input, () => undefined)).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reason: 'untrusted' } });
      expect(calls).toEqual(['projects.get', 'setting.get']);
    }
  });

  it('lets a trusted project through to the generation itself', async () => {
    const { svc, calls } = service({ trusted: true, decidedAt: 1 });
    const err: unknown = await svc.generate(input, () => undefined).catch((e: unknown) => e);
    expect(calls.slice(0, 2)).toEqual(['projects.get', 'setting.get']);
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).not.toBe('FORBIDDEN');
  });

  it('an unknown project is NOT_FOUND before trust is asked', async () => {
    const { svc, calls } = service(undefined);
    await expect(svc.generate({ ...input, projectId: 'nope' }, () => undefined)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls).toEqual([]);
  });
});
