// The Experience panel's store side and markup with a scripted API (the backend is tested on the real DB worker in
// test/integration/codegen/experience.test.ts): conventions with their sources and decisions with reasons and edits
// are listed, edit/remove reload the lists, a refused edit is shown as its typed error, a stale project's answer is dropped.
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvolveApi } from '../../../../common/contracts';
import type { ErrorInfo } from '../../../../common/errors';
import type { ExperienceDecision, LearnedConvention } from '../../../../common/store/experience-requests';
import { setApi } from '../../../../renderer/api';
import { useStore } from '../../../../renderer/app/store';
import { ExperiencePanel } from '../../../../renderer/features/code/ExperiencePanel';

const CONVENTION: LearnedConvention = {
  id: 'c1',
  projectId: 'p1',
  lang: 'python',
  kind: 'error-style',
  value: 'raise',
  text: 'Report invalid input by raising an exception (e.g. ValueError), not by returning None.',
  userEdited: false,
  removed: false,
  inEffect: true,
  sources: [{ generationId: 'g1', request: 'parse an order id like ORD-123', evidence: 'edited', at: 1_700_000_000_000 }],
  createdAt: 1,
  updatedAt: 1,
};
const DECISIONS: ExperienceDecision[] = [
  {
    generationId: 'g1',
    request: 'parse an order id like ORD-123',
    type: 'function',
    lang: 'python',
    status: 'done',
    score: 84,
    decision: 'accepted',
    reason: '',
    userEdits: '--- a/orders.py\n+++ b/orders.py\n@@ -2 +2 @@\n-        return None\n+        raise ValueError(text)\n',
    at: 2,
  },
  {
    generationId: 'g0',
    request: 'slugify a title',
    type: 'function',
    lang: 'python',
    status: 'done',
    score: 40,
    decision: 'rejected',
    reason: 'keeps capitals',
    userEdits: null,
    at: 1,
  },
];

/** Taken before render() copies live state into the initial state (server rendering reads that). */
const PRISTINE = { code: useStore.getInitialState().code, experience: useStore.getInitialState().experience };
type Res<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
let conventions: LearnedConvention[];
let calls: string[];
let editAnswer: (id: string, text: string) => Res<LearnedConvention>;

beforeEach(() => {
  conventions = [CONVENTION];
  calls = [];
  editAnswer = (id, text) => {
    conventions = conventions.map((c) => (c.id === id ? { ...c, text, userEdited: true } : c));
    return { ok: true, value: conventions[0]! };
  };
  const api = {
    experience: {
      decisions: async (i: { projectId: string }) => (calls.push(`decisions:${i.projectId}`), { ok: true, value: DECISIONS }),
      conventions: async (i: { projectId: string }) => (calls.push(`conventions:${i.projectId}`), { ok: true, value: conventions }),
      editConvention: async (i: { id: string; text: string }) => (calls.push(`edit:${i.id}`), editAnswer(i.id, i.text)),
      removeConvention: async (i: { id: string }) => {
        calls.push(`remove:${i.id}`);
        conventions = conventions.filter((c) => c.id !== i.id);
        return { ok: true, value: { id: i.id, removed: true } };
      },
    },
  };
  setApi(api as unknown as EvolveApi);
  useStore.setState({ code: { ...PRISTINE.code, projectId: 'p1' }, experience: PRISTINE.experience });
});

function render(): string {
  Object.assign(useStore.getInitialState(), { experience: useStore.getState().experience, code: useStore.getState().code });
  return renderToString(<ExperiencePanel />);
}

describe('experience panel', () => {
  it('lists learned conventions with their source generations, and decisions with reasons and edits', async () => {
    await useStore.getState().loadExperience();
    const html = render();
    expect(html).toContain('raising an exception (e.g. ValueError)');
    expect(html).toMatch(/data-testid="learned-convention" data-in-effect="true"/);
    expect(html).toContain('parse an order id like ORD-123</button>');
    expect(html).toContain('your edits after accepting');
    expect(html).toMatch(/data-decision="rejected"/);
    expect(html).toContain('keeps capitals');
    expect(html).toContain('+        raise ValueError(text)');
  });

  it('edits and removes a convention, reloading the lists each time', async () => {
    await useStore.getState().loadExperience();
    expect(await useStore.getState().editLearnedConvention('c1', 'Raise InvalidOrderId.')).toBe(true);
    expect(useStore.getState().experience.conventions[0]).toMatchObject({ text: 'Raise InvalidOrderId.', userEdited: true });
    expect(render()).toContain('your wording');
    await useStore.getState().removeLearnedConvention('c1');
    expect(useStore.getState().experience.conventions).toEqual([]);
    expect(calls.filter((c) => c.startsWith('conventions:'))).toHaveLength(3);
    expect(render()).toContain('None yet: accept a generation');
  });

  it('shows a refused edit as its typed error and keeps the text', async () => {
    await useStore.getState().loadExperience();
    editAnswer = () => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'A convention needs some text' } });
    expect(await useStore.getState().editLearnedConvention('c1', '  ')).toBe(false);
    expect(useStore.getState().experience).toMatchObject({ busy: null, error: { code: 'INVALID_ARGUMENT' } });
    expect(useStore.getState().experience.conventions[0]!.text).toBe(CONVENTION.text);
    expect(render()).toMatch(/data-testid="experience-error"[^>]*>.*A convention needs some text/);
  });

  it('drops an answer for a project that is no longer open', async () => {
    const loading = useStore.getState().loadExperience();
    useStore.setState({ code: { ...useStore.getState().code, projectId: 'p2' } });
    await loading;
    expect(useStore.getState().experience.conventions).toEqual([]);
  });
});
