import { type Logger, pino } from 'pino';
import type { Config } from './config.js';

/** Structured JSON logs on stderr, so stdout stays free for command output. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { app: 'newsgraph' } }, pino.destination(2));
}
