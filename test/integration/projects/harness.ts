// Real components for project-index tests: the SQLCipher DB worker, the index worker, the embedding worker
// (all-MiniLM-L6-v2 from the model cache) and the ProjectService over them, in a temporary directory.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddingService } from '../../../main/services/embeddings/embedding-service';
import { ProjectService, type ProjectServiceOptions } from '../../../main/services/projects/project-service';
import { nodeSpawner } from '../../../main/supervisors/worker-process';
import { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

const ROOT = path.resolve(__dirname, '../../..');
export const MODEL_CACHE = process.env.EVOLVE_MODEL_CACHE ?? path.join(os.homedir(), '.cache', 'evolve-studio', 'models');

export interface Harness {
  dir: string;
  store: TestStore;
  index: WorkerSupervisor;
  embeddings: EmbeddingService | null;
  service: ProjectService;
  close(): Promise<void>;
}

export async function makeHarness(opts: Partial<ProjectServiceOptions> & { vectors?: boolean } = {}): Promise<Harness> {
  const tmp = tempDir('evolve-projects-');
  const store = makeStore(path.join(tmp.dir, 'data', 'evolve.db'), newKey());
  mkdirSync(path.join(tmp.dir, 'data'), { recursive: true });
  await store.client.open();
  const index = new WorkerSupervisor({
    name: 'index',
    spawn: nodeSpawner(path.join(ROOT, 'native/index/worker.ts'), { execArgv: ['--import', 'tsx'] }),
  });
  await index.start();
  const embeddings =
    opts.vectors === false
      ? null
      : new EmbeddingService({
          modelCacheDir: MODEL_CACHE,
          spawn: nodeSpawner(path.join(ROOT, 'native/embed/worker.ts'), { execArgv: ['--import', 'tsx'] }),
          log: () => undefined,
        });
  if (embeddings && !embeddings.installed())
    throw new Error(`embedding model missing under ${MODEL_CACHE}: run scripts/models/setup-embedding-model.sh`);
  const service = new ProjectService({
    store: store.client,
    worker: index,
    embedder: embeddings?.client ?? null,
    watch: true,
    debounceMs: 50,
    ...opts,
  });
  return {
    dir: tmp.dir,
    store,
    index,
    embeddings,
    service,
    async close() {
      await service.dispose();
      await index.stop();
      await embeddings?.stop();
      await store.client.close();
      tmp.cleanup();
    },
  };
}

/** Writes a small multi-language project; every file has one distinctive function so a search can name its file. */
export function writeFixtureProject(root: string): Record<string, string> {
  const files: Record<string, string> = {
    'src/quaternion.ts': `// Rotations.\nexport function parseQuaternion(text: string): [number, number, number, number] {\n  const [w, x, y, z] = text.split(',').map(Number);\n  return [w ?? 1, x ?? 0, y ?? 0, z ?? 0];\n}\n`,
    'src/http/retry.ts': `export async function retryWithBackoff<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {\n  let delay = 100;\n  for (let i = 0; ; i++) {\n    try {\n      return await fn();\n    } catch (e) {\n      if (i >= attempts) throw e;\n      await new Promise((r) => setTimeout(r, delay));\n      delay *= 2;\n    }\n  }\n}\n`,
    'tools/invoice.py': `def total_invoice_amount(lines):\n    """Sum of price times quantity, with tax."""\n    subtotal = sum(l.price * l.quantity for l in lines)\n    return round(subtotal * 1.2, 2)\n`,
    'cmd/server/main.go': `package main\n\nimport "net/http"\n\nfunc startHealthServer(addr string) error {\n\thttp.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })\n\treturn http.ListenAndServe(addr, nil)\n}\n`,
    'lib/matrix.rs': `pub fn transpose_matrix(m: &Vec<Vec<f64>>) -> Vec<Vec<f64>> {\n    (0..m[0].len()).map(|j| m.iter().map(|row| row[j]).collect()).collect()\n}\n`,
    'README.md': `# Fixture\n\nA tiny project used by the index tests. ZEBRA-INDEX-MARKER-5521 appears only here.\n`,
    '.gitignore': `dist/\n`,
    'dist/bundle.js': `function shouldNeverBeIndexed() {}\n`,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return files;
}

/** Many small generated files (for resume/cancel), each with one unique identifier. */
export function writeManyFiles(root: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const dir = path.join(root, 'gen', `d${i % 10}`);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, `m${i}.ts`),
      `export function generatedHelperNumber${i}(x: number): number {\n  return x * ${i} + ${i % 7};\n}\n`,
    );
  }
}
