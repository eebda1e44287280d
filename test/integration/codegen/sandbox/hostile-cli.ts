// Runs the hostile-program catalog in this process (e.g. as an unprivileged user via runuser) and prints one JSON line
// per program: { name, failures, result }. Exit status 0 even when a program escaped: the caller asserts.
import { sandboxSupport } from '../../../../main/services/codegen/sandbox';
import { HOSTILE, runHostile, setUpHostile } from './hostile-programs';

async function main(): Promise<void> {
  const support = await sandboxSupport();
  process.stdout.write(`${JSON.stringify({ support })}\n`);
  if (!support.available) return;
  const { ctx, tearDown } = await setUpHostile();
  try {
    for (const h of HOSTILE) process.stdout.write(`${JSON.stringify(await runHostile(h, ctx))}\n`);
  } finally {
    await tearDown();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
