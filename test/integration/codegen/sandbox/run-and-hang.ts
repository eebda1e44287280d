// Child script for the "dies with the app" test: starts one sandboxed sleeper carrying a marker, says so, and waits to be
// killed with SIGKILL (as a crashed app would be).
import { runInSandbox } from '../../../../main/services/codegen/sandbox';

const marker = process.argv[2] ?? 'missing-marker';
void runInSandbox({
  files: { [`sleep_${marker}.py`]: 'import time\nprint("SLEEPING", flush=True)\ntime.sleep(600)\n' },
  argv: ['/usr/bin/python3', `sleep_${marker}.py`],
  limits: { wallMs: 600_000 },
});
process.stdout.write('STARTED\n');
setInterval(() => undefined, 1000);
