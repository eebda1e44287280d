// Puts a deadline on any promise, so an E2E step that hangs fails with a name instead of a runner timeout.
export async function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every cleanup step even when some fail or hang; reports the failures together at the end. */
export async function cleanupAll(steps: [what: string, step: () => Promise<unknown> | unknown][], msEach = 15_000): Promise<void> {
  const failures: string[] = [];
  for (const [what, step] of steps) {
    try {
      await bounded(Promise.resolve().then(step), msEach, what);
    } catch (e) {
      failures.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failures.length > 0) throw new Error(`cleanup failed:\n${failures.join('\n')}`);
}
