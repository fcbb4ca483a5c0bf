import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/logger.ts';

export interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** herald's logger (redaction included) writing to an array the test reads; `text` is every line as logged. */
export function recordingLogger(level = 'trace'): { logger: Logger; records: LogRecord[]; text(): string } {
  const lines: string[] = [];
  const records: LogRecord[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      records.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: createLogger({ level, destination }), records, text: () => lines.join('') };
}
