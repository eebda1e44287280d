// promtool on the shipped alert rules, unchanged: syntax check, the unit tests in resources/alerts/tests/, and that every rule is tested both ways.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingBinaries } from '../../support/cluster/processes';
import { ALERTS_DIR, promtool } from '../../support/cluster/prometheus-stack';

const RULES = path.join(ALERTS_DIR, 'evolve-rules.yml');
const UNIT_TESTS = path.join(ALERTS_DIR, 'tests/evolve-rules.test.yml');
// Debian package `prometheus` ships promtool (see docs/cluster.md).
const missing = missingBinaries(['promtool']);

/** Alert names declared in a rules file (`- alert: Name`). */
function ruleNames(rulesText: string): string[] {
  return [...rulesText.matchAll(/^\s+- alert: (\w+)\s*$/gm)].map((m) => m[1] ?? '');
}

/** For each alertname in a promtool test file: whether some check expects it firing, and some expects it silent. */
function coverage(testText: string): Map<string, { fires: boolean; silent: boolean }> {
  const out = new Map<string, { fires: boolean; silent: boolean }>();
  for (const m of testText.matchAll(/^\s+alertname: (\w+)\s*\n\s+exp_alerts:(.*)$/gm)) {
    const name = m[1] ?? '';
    const c = out.get(name) ?? { fires: false, silent: false };
    if ((m[2] ?? '').trim() === '[]') c.silent = true;
    else c.fires = true;
    out.set(name, c);
  }
  return out;
}

describe.skipIf(missing.length > 0)(
  `shipped alert rules under promtool${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`,
  () => {
    it('promtool check rules accepts the file and counts every rule in it', async () => {
      const names = ruleNames(fs.readFileSync(RULES, 'utf8'));
      expect(names.length).toBeGreaterThanOrEqual(12);
      expect(new Set(names).size).toBe(names.length);
      const r = await promtool(['check', 'rules', RULES]);
      expect(r.output).toContain(`SUCCESS: ${names.length} rules found`);
      expect(r.code).toBe(0);
    });

    it('promtool test rules passes the unit tests (firing, silence, for: timing, labels, annotations)', async () => {
      const r = await promtool(['test', 'rules', UNIT_TESTS]);
      expect(r.output).toContain('SUCCESS');
      expect(r.output).not.toContain('FAILED');
      expect(r.code).toBe(0);
    });

    it('the unit tests point at the shipped file and check every rule both firing and silent', () => {
      const text = fs.readFileSync(UNIT_TESTS, 'utf8');
      expect(text).toMatch(/^rule_files:\s*\n\s+- \.\.\/evolve-rules\.yml\s*$/m);
      const cov = coverage(text);
      for (const name of ruleNames(fs.readFileSync(RULES, 'utf8'))) {
        expect(cov.get(name), `${name} has no promtool test`).toBeDefined();
        expect(cov.get(name)?.fires, `${name} is never expected to fire`).toBe(true);
        expect(cov.get(name)?.silent, `${name} is never expected to stay silent`).toBe(true);
      }
    });

    it('the predictive rules use predict_linear and their summaries say "in ~N h"', () => {
      const text = fs.readFileSync(RULES, 'utf8');
      for (const name of ['NodeDiskFillingUp', 'NodeDiskFullIn4h', 'NodeMemoryRunningOut']) {
        const block = text.slice(text.indexOf(`- alert: ${name}`)).split(/\n\s+- alert: /)[0] ?? '';
        expect(block, name).toContain('predict_linear(');
        expect(block, name).toMatch(/summary: '.* in ~\{\{ \$value \| printf "%\.1f" \}\} h'/);
      }
    });
  },
);
