/**
 * A `node --test` reporter that writes one line per failed test (file, test name, first line of
 * the error) and nothing else. tools/run-tests.ts runs it beside the TAP reporter and prints what
 * it wrote at the very end of the run, so the failures are the last thing a CI log shows even when
 * only its tail is kept.
 *
 * Plain JavaScript: node loads reporters itself, before any loader such as tsx applies.
 */
export default async function* failuresReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, details } = event.data;
    // A failing subtest also fails its suite; only the leaf, the one with its own error, is news.
    const cause = details?.error?.cause ?? details?.error;
    if (details?.error?.failureType === 'subtestsFailed') continue;
    const message = String(cause?.message ?? cause ?? 'failed').split('\n')[0];
    yield `${file ?? '(unknown file)'}: ${name}: ${message}\n`;
  }
}
