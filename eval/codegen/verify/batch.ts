// Shared shapes of a batch test run: many solution folders graded by one pytest / `node --test` process.
export interface BatchJob {
  /** Folder under the batch root, e.g. `reference/py-slugify`; outcomes are keyed by it. */
  key: string;
  /** File name → content, written into the job folder (TypeScript sources are transpiled to .js first). */
  files: Record<string, string>;
}

export interface TestOutcome {
  /** Test file inside the job folder, e.g. `test_hidden.py` or `hidden.test.js`. */
  file: string;
  /** Test name; a file that failed to load is one failed outcome named after the file. */
  name: string;
  passed: boolean;
  message?: string;
}

export interface BatchResult {
  outcomes: Map<string, TestOutcome[]>;
  seconds: number;
  /** Last part of the runner's own output, for failure messages. */
  log: string;
}

export function addOutcome(map: Map<string, TestOutcome[]>, key: string, outcome: TestOutcome): void {
  const list = map.get(key);
  if (list) list.push(outcome);
  else map.set(key, [outcome]);
}
