// Ends the run with the plain closing line CI reads: "N passed, N failed" (", N skipped" when any,
// ", N suites failed to run" when a file broke before its tests, e.g. a missing browser).
// Written at exit, so it follows jest's own summary.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const broken = results.numRuntimeErrorTestSuites;
    const line =
      `${results.numPassedTests} passed, ${results.numFailedTests} failed` +
      `${skipped ? `, ${skipped} skipped` : ''}${broken ? `, ${broken} suite${broken === 1 ? '' : 's'} failed to run` : ''}`;
    process.once('exit', () => process.stderr.write(`${line}\n`));
  }
}
module.exports = SummaryReporter;
