// A web-test-runner reporter that lists the test files by the time their tests took, slowest
// first, once the run ends: where the suite's minutes go.
import { defaultReporter } from '@web/test-runner';

/** The sum of the durations (ms) of a suite's tests, nested suites included. */
const suiteMs = (suite) => (suite?.tests ?? []).reduce((n, t) => n + (t.duration ?? 0), 0) + (suite?.suites ?? []).reduce((n, s) => n + suiteMs(s), 0);

export function fileTimesReporter() {
  const times = new Map();
  return {
    reportTestFileResults({ sessionsForTestFile, testFile }) {
      times.set(
        testFile,
        sessionsForTestFile.reduce((n, session) => n + suiteMs(session.testResults), 0),
      );
    },
    onTestRunFinished() {
      const rows = [...times].sort((a, b) => b[1] - a[1]);
      const total = rows.reduce((n, [, ms]) => n + ms, 0);
      console.log(`\nTime in tests by file (${(total / 1000).toFixed(0)} s in all):`);
      for (const [file, ms] of rows) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file.replace(process.cwd() + '/', '')}`);
    },
  };
}

export const reporters = [defaultReporter(), fileTimesReporter()];
