/**
 * A `node --test` reporter for the end of a run: one line per failed test (file, test name, first
 * line of the error), then every test file's time, longest first (tools/run-tests.ts shows the first
 * ten, and records them all when asked). tools/run-tests.ts runs it beside
 * the TAP reporter and prints what it wrote at the very end, so the failures are the last thing a
 * CI log shows even when only its tail is kept, and the suite's time budget can be watched.
 *
 * Plain JavaScript: node loads reporters itself, before any loader such as tsx applies.
 */
export default async function* failuresReporter(source) {
  /** Per test file, when the runner started it and when its last event reached the runner. */
  const seen = new Map();
  for await (const event of source) {
    const file = event.data?.file;
    // Every file is enqueued at the start of the run; a file starts when it is dequeued to run.
    if (file !== undefined && event.type !== 'test:enqueue') {
      const now = Date.now();
      seen.set(file, { first: seen.get(file)?.first ?? now, last: now });
    }
    if (event.type !== 'test:fail') continue;
    const { name, details } = event.data;
    // A failing subtest also fails its suite; only the leaf, the one with its own error, is news.
    if (details?.error?.failureType === 'subtestsFailed') continue;
    const cause = details?.error?.cause ?? details?.error;
    const message = String(cause?.message ?? cause ?? 'failed').split('\n')[0];
    yield `FAIL ${file ?? '(unknown file)'}: ${name}: ${message}\n`;
  }
  const slowest = [...seen].map(([file, { first, last }]) => [file, last - first]).sort((a, b) => b[1] - a[1]);
  const lines = slowest.map(([file, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)}  ${file}\n`);
  // One write at the end: the runner may exit before later, separate writes of a file destination land.
  yield `slowest test files (seconds from start to last report):\n${lines.join('')}`;
}
