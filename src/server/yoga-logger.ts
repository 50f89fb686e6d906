/**
 * The logger yoga gets. Yoga logs at error level, with the stack, every error that masking
 * replaced; for bad input (a Pothos validation error, now BAD_USER_INPUT) that is noise that
 * hides real failures: those are logged at info, with their message and no stack.
 */
import type { Logger } from 'pino';
import { classify } from './errors.js';

function badUserInput(value: unknown, timeoutMs: number): Error | undefined {
  if (!(value instanceof Error)) return undefined;
  const original = (value as Error & { originalError?: unknown }).originalError ?? value;
  const code =
    (value as Error & { extensions?: { code?: unknown } }).extensions?.code ?? classify(original, timeoutMs)?.code;
  return code === 'BAD_USER_INPUT' ? value : undefined;
}

type Log = (...args: unknown[]) => void;

export function yogaLogger(logger: Logger, timeoutMs: number): { debug: Log; info: Log; warn: Log; error: Log } {
  return {
    debug: (...args: unknown[]) => logger.debug(args.length === 1 ? args[0] : args),
    info: (...args: unknown[]) => logger.info(args.length === 1 ? args[0] : args),
    warn: (...args: unknown[]) => logger.warn(args.length === 1 ? args[0] : args),
    error: (...args: unknown[]) => {
      const bad = args.length === 1 ? badUserInput(args[0], timeoutMs) : undefined;
      if (bad)
        logger.info(
          { code: 'BAD_USER_INPUT', error: bad.message, path: (bad as Error & { path?: unknown }).path },
          'bad user input',
        );
      else logger.error(args.length === 1 ? args[0] : args);
    },
  };
}
