// Prints the suite's closing line, "tests: N passed, N failed, N skipped", from the vitest JSON report,
// the pytest JUnit file when present, and the count of failed static checks (format, lint, types).
import fs from 'node:fs';

const [reportPath, checksFailedArg = '0', pythonStatusArg = '0'] = process.argv.slice(2);
let passed = 0;
let failed = Number(checksFailedArg);
let skipped = 0;

if (reportPath && fs.existsSync(reportPath)) {
  const r = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
  passed += r.numPassedTests ?? 0;
  // A file that fails to load has no failed test of its own: count it once; otherwise count tests.
  const failedTests = r.numFailedTests ?? 0;
  failed += failedTests > 0 ? failedTests : (r.numFailedTestSuites ?? 0) > 0 ? 1 : 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else {
  failed += 1;
  console.log('no vitest report was written');
}

const junit = 'artifacts/pytest-junit.xml';
if (fs.existsSync(junit)) {
  const head = fs.readFileSync(junit, 'utf8').match(/<testsuite\b[^>]*>/)?.[0] ?? '';
  const num = (k) => Number(head.match(new RegExp(`\\b${k}="(\\d+)"`))?.[1] ?? 0);
  const total = num('tests');
  const f = num('failures') + num('errors');
  const s = num('skipped');
  passed += total - f - s;
  failed += f;
  skipped += s;
} else if (Number(pythonStatusArg) !== 0) {
  failed += 1;
}

console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
