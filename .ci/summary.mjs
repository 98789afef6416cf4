// Reads vitest's JSON reports (one per run: `label=file`, or a bare file) and prints a line per run
// on stderr, then one plain line for all of them on stdout: "N passed, N failed[, N skipped]".
// A run without a report (it could not start) counts as one failure.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 0) args.push('.vitest-results.json');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const arg of args) {
  const eq = arg.indexOf('=');
  const label = eq > 0 ? arg.slice(0, eq) : arg;
  const file = eq > 0 ? arg.slice(eq + 1) : arg;
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    failed += 1;
    console.error(`${label}: no test report (${file === '-' ? 'the run did not start' : e.message})`);
    continue;
  }
  const p = report.numPassedTests ?? 0;
  // Test files that failed without a failed test (they failed to load) count as failures too.
  // (numFailedTestSuites also counts describe blocks, so it is not used.)
  const f = (report.numFailedTests ?? 0) + filesFailedWithoutFailedTests(report);
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (p === 0 && f === 0) failed += 1; // an empty run is a failure
  passed += p;
  failed += f;
  skipped += s;
  // Worded differently from the summary line, so that only one line reads "N passed, N failed".
  console.error(`${label}: passed ${p}, failed ${f}${s ? `, skipped ${s}` : ''}`);
}
// Skipped tests (each says why in its code) are counted on their own line: the last line is
// exactly "N passed, N failed".
if (skipped) console.error(`skipped (not run, reason in the test): ${skipped}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

function filesFailedWithoutFailedTests(r) {
  return (r.testResults ?? []).filter((s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed')).length;
}
