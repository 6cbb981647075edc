import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.js';

/** A real pino logger (with redaction) whose output the test can read. */
export function captureLogs(secrets: readonly string[] = [], level = 'debug'): { log: Logger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level, secrets, destination });
  return { log, lines, text: () => lines.join('\n') };
}
