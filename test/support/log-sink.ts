import { Writable } from 'node:stream';

/** Where a test server's logger writes: every line, as text and parsed. */
export interface LogSink {
  /** The lines so far, each parsed from its JSON. */
  readonly lines: Record<string, unknown>[];
  /** Everything written so far. */
  text(): string;
  /** The stream to give the logger (`createLogger(level, sink.stream)`). */
  stream: Writable;
}

export function logSink(): LogSink {
  const raw: string[] = [];
  return {
    get lines() {
      return raw
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    text: () => raw.join(''),
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        raw.push(chunk.toString('utf8'));
        done();
      },
    }),
  };
}
