// `evolve doctor`: prints every environment check with a fix hint; exit code 1 when one fails.
import type { DoctorCheck } from '../../common/contracts/doctor';
import { createAppServices } from '../services';

const MARK: Record<DoctorCheck['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

export async function doctor(opts: { json: boolean }): Promise<number> {
  const services = createAppServices({ mode: 'host', stderrLevel: 'warn' });
  const report = await services.doctor.run({}, (p) => {
    if (opts.json) return;
    const c = p.check;
    process.stdout.write(`${MARK[c.status]}  ${c.label.padEnd(30)} ${c.detail}\n`);
    if (c.hint && c.status !== 'ok') process.stdout.write(`      ${''.padEnd(30)} → ${c.hint}\n`);
  });
  if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const s = report.summary;
    process.stdout.write(`\n${s.ok} ok, ${s.warn} warning(s), ${s.fail} failure(s)\n`);
  }
  return report.summary.fail > 0 ? 1 : 0;
}
