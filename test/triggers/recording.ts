import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Lets a test read the events its handlers received, whatever ran them (module worker, url or
 * Lambda Invoke API server): each handler's source starts with {@link Recorder.source}, which
 * defines `record(event)` appending the event as one JSON line to a file of the handler's own.
 */
export interface Recorder {
  /** ESM lines that define `record(event)` for handler `name`. */
  source(name: string): string;
  /** The events handler `name` recorded, oldest first. */
  received(name: string): Record<string, unknown>[];
  /** The newest event handler `name` recorded (fails the test when there is none). */
  last(name: string): Record<string, unknown>;
}

export function eventRecorder(): Recorder {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-trigger-events-'));
  const file = (name: string): string => join(dir, `${name}.jsonl`);
  const received = (name: string): Record<string, unknown>[] =>
    existsSync(file(name))
      ? readFileSync(file(name), 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Record<string, unknown>)
      : [];
  return {
    source: (name) =>
      `import { appendFileSync } from 'node:fs';\nconst record = (event) => appendFileSync(${JSON.stringify(file(name))}, JSON.stringify(event) + '\\n');\n`,
    received,
    last(name) {
      const events = received(name);
      assert.ok(events.length > 0, `${name} received an event`);
      return events[events.length - 1]!;
    },
  };
}
