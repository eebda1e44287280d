// Experience learning through the Code workspace's own path (real DB worker, real files, real git checkpoints): the
// user applies a generation, edits the file and saves; the save becomes the generation's user edits, the rules learn
// the error style from the user's lines (not from the code they replaced), and the next prompt carries it as learned.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFile } from '../../../main/services/codegen/edits/diff-files';
import { assemblePrompt } from '../../../main/services/codegen/prompt';
import { SECTION_TITLES } from '../../../main/services/codegen/prompt/sections';
import { WorkspaceService } from '../../../main/services/workspace/workspace-service';
import { charCounter } from '../../unit/codegen/prompt/helpers';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

const BEFORE = 'def parse_sku(text):\n    pass\n';
const GENERATED = 'def parse_sku(text):\n    if not text.startswith("SKU-"):\n        return None\n    return int(text[4:])\n';
const USER =
  'def parse_sku(text):\n    if not text.startswith("SKU-"):\n        raise LookupError(f"not a SKU: {text}")\n    return int(text[4:])\n';

describe('experience learning from the workspace (apply → edit → save)', () => {
  const tmp = tempDir('evolve-ws-experience-');
  let s: TestStore;
  let ws: WorkspaceService;
  let root: string;
  let projectId: string;

  beforeAll(async () => {
    root = path.join(tmp.dir, 'project');
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'sku.py'), BEFORE);
    s = makeStore(path.join(tmp.dir, 'ws.db'), newKey(), { synchronous: 'NORMAL' });
    await s.client.open();
    ws = new WorkspaceService({ store: s.client, dataDir: path.join(tmp.dir, 'data') });
    projectId = (await s.client.call('index.project.add', { name: 'skus', rootPath: root })).id;
  }, 60_000);
  afterAll(async () => {
    await s.client.close();
    tmp.cleanup();
  });

  it("learns from the user's saved edit, with the generation as its source, and the next prompt says so", async () => {
    const d = diffFile('sku.py', BEFORE, GENERATED);
    const g = await ws.codegen.create({
      projectId,
      request: 'parse a SKU like SKU-12 into its number',
      type: 'edit',
      lang: 'python',
      model: 'm',
    });
    await ws.codegen.finish({ generationId: g.id, status: 'done', diff: [d], score: 80 });
    await ws.applyGeneration({ generationId: g.id, accept: [{ path: 'sku.py', hunkIds: d.hunks.map((h) => h.id) }] });
    // Accepting alone taught what the kept lines show (returning None); the user's save replaces that.
    expect((await ws.codegen.conventions(projectId)).find((c) => c.kind === 'error-style')?.value).toBe('return-none');

    const opened = await ws.readFile(projectId, 'sku.py');
    await ws.writeFile(projectId, 'sku.py', USER, opened.hash);
    const learned = await ws.codegen.conventions(projectId);
    const errorStyle = learned.filter((c) => c.kind === 'error-style');
    expect(errorStyle).toHaveLength(1);
    expect(errorStyle[0]).toMatchObject({ value: 'raise', inEffect: true });
    expect(errorStyle[0]!.text).toContain('LookupError');
    expect(errorStyle[0]!.sources).toEqual([expect.objectContaining({ generationId: g.id, evidence: 'edited' })]);

    const p = await assemblePrompt(
      {
        type: 'function',
        language: 'python',
        prompt: 'Write parse_ean(text) for EAN codes',
        project: { id: projectId, root },
        contextTokens: 4096,
        reservedForAnswer: 512,
      },
      { countTokens: charCounter, experience: (id, text) => ws.codegen.similarDecisions(id, text) },
    );
    const user = p.messages[1]!.content;
    expect(user).toContain(`${SECTION_TITLES.learnedConventions}\n`);
    expect(user).toContain(errorStyle[0]!.text);
    expect(user).not.toContain('returning None rather than raising');
  });
});
