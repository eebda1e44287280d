// The promtool unit tests can fail: each broken copy of the shipped rules (a guard dropped, a horizon, a for:, a bit, a summary) must be caught.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingBinaries, tempDir } from '../../support/cluster/processes';
import { ALERTS_DIR, promtool } from '../../support/cluster/prometheus-stack';

const RULES = fs.readFileSync(path.join(ALERTS_DIR, 'evolve-rules.yml'), 'utf8');
const UNIT_TESTS = fs.readFileSync(path.join(ALERTS_DIR, 'tests/evolve-rules.test.yml'), 'utf8');
const missing = missingBinaries(['promtool']);

/** The rule block `- alert: name` … up to the next rule or group. */
function block(name: string): string {
  const start = RULES.indexOf(`- alert: ${name}\n`);
  if (start < 0) throw new Error(`no rule ${name}`);
  const rest = RULES.slice(start + 1);
  const end = rest.search(/\n\s+- (alert|name): /);
  return RULES.slice(start, end < 0 ? undefined : start + 1 + end);
}

/** Rules text with `from` replaced by `to` inside one rule's block only (the replacement must apply; `for:` is matched as
 * a whole line because comments mention for: values too). */
function broken(name: string, from: string | RegExp, to: string): string {
  const b = block(name);
  const nb = b.replace(from, to);
  if (nb === b) throw new Error(`mutation of ${name} did not apply: ${String(from)}`);
  return RULES.replace(b, nb);
}

const MUTATIONS: { what: string; alert: string; rules: () => string }[] = [
  {
    what: 'the <20 % free guard dropped',
    alert: 'NodeDiskFullIn4h',
    rules: () =>
      broken('NodeDiskFullIn4h', /\n\s+and node_filesystem_avail_bytes\{[^}]*\} \/ node_filesystem_size_bytes\{[^}]*\} < 0\.20/, ''),
  },
  {
    what: 'the read-only exclusion dropped',
    alert: 'NodeDiskFullIn4h',
    rules: () => broken('NodeDiskFullIn4h', /\n\s+and node_filesystem_readonly\{[^}]*\} == 0/, ''),
  },
  { what: 'an 8 h horizon instead of 4 h', alert: 'NodeDiskFullIn4h', rules: () => broken('NodeDiskFullIn4h', '4 * 3600', '8 * 3600') },
  { what: 'for: 0m instead of 1m', alert: 'NodeDiskFullIn4h', rules: () => broken('NodeDiskFullIn4h', /^(\s+)for: 1m$/m, '$1for: 0m') },
  {
    what: 'hours printed without the decimal',
    alert: 'NodeDiskFullIn4h',
    rules: () => broken('NodeDiskFullIn4h', 'printf "%.1f"', 'printf "%.0f"'),
  },
  {
    what: 'the 24 h rule waiting 30m',
    alert: 'NodeDiskFillingUp',
    rules: () => broken('NodeDiskFillingUp', /^(\s+)for: 1h$/m, '$1for: 30m'),
  },
  { what: 'memory guard at 50 %', alert: 'NodeMemoryRunningOut', rules: () => broken('NodeMemoryRunningOut', '< 0.20', '< 0.70') },
  {
    what: 'SW thermal bit (32) taken for HW thermal (64)',
    alert: 'GpuHardwareSlowdown',
    rules: () => broken('GpuHardwareSlowdown', '/ 64)', '/ 32)'),
  },
  {
    what: 'only the old throttle metric name',
    alert: 'GpuHardwareSlowdown',
    rules: () => broken('GpuHardwareSlowdown', /\|DCGM_FI_DEV_CLOCKS_EVENT_REASONS/g, ''),
  },
  {
    what: 'the 10 % throttled threshold raised to 60 %',
    alert: 'GpuThermalThrottling',
    rules: () => broken('GpuThermalThrottling', '> 0.10', '> 0.60'),
  },
  { what: 'XID severity lowered', alert: 'GpuXidError', rules: () => broken('GpuXidError', 'severity: critical', 'severity: warning') },
  { what: 'NodeDown with for: 0m', alert: 'NodeDown', rules: () => broken('NodeDown', /^(\s+)for: 1m$/m, '$1for: 0m') },
];

describe.skipIf(missing.length > 0)(
  `broken copies of the alert rules fail promtool test rules${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`,
  () => {
    const dirs: string[] = [];
    afterAll(() => {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    /** Lays out dir/evolve-rules.yml + dir/tests/evolve-rules.test.yml (the shipped unit tests, unchanged) and runs promtool. */
    async function runUnitTests(rules: string) {
      const dir = tempDir('evrules-');
      dirs.push(dir);
      fs.mkdirSync(path.join(dir, 'tests'));
      fs.writeFileSync(path.join(dir, 'evolve-rules.yml'), rules);
      fs.writeFileSync(path.join(dir, 'tests/evolve-rules.test.yml'), UNIT_TESTS);
      return promtool(['test', 'rules', path.join(dir, 'tests/evolve-rules.test.yml')]);
    }

    it('an unchanged copy in the same layout passes (the harness itself is sound)', async () => {
      const r = await runUnitTests(RULES);
      expect(r.output).toContain('SUCCESS');
      expect(r.code).toBe(0);
    });

    it.each(MUTATIONS)('$alert with $what is caught', async ({ alert, rules }) => {
      const r = await runUnitTests(rules());
      expect(r.code).not.toBe(0);
      expect(r.output).toContain('FAILED');
      expect(r.output).toContain(`alertname: ${alert}`);
    });

    it('a rules file that does not parse is rejected by promtool check rules', async () => {
      const dir = tempDir('evrules-');
      dirs.push(dir);
      const file = path.join(dir, 'evolve-rules.yml');
      fs.writeFileSync(file, broken('NodeDiskFullIn4h', '[1h], 4 * 3600)', '[1h], 4 * 3600'));
      const r = await promtool(['check', 'rules', file]);
      expect(r.code).not.toBe(0);
      expect(r.output).toMatch(/FAILED|unclosed|parse error/i);
    });
  },
);
