import { describeError } from './errors';
import type { Logger } from './ports';

/**
 * What each shell does with errors nothing else caught.
 *
 * - `unhandledRejection`: a promise chain failed and nobody awaited it. The failed work is over
 *   and nothing was left half-done on the stack, so Inlet logs it with context and keeps running:
 *   a forgotten `.catch` must not take the owner's inbox (and Meta's deliveries) down with it.
 * - `uncaughtException`: a synchronous throw unwound an unknown part of the stack, and Node's own
 *   documentation says the process may be in an undefined state. Inlet logs it with context, then
 *   stops cleanly (listeners closed, archive writes finished) and exits with code 1; if stopping
 *   hangs, the exit comes after `stopGraceMs` anyway.
 */

/** The part of `process` this needs; tests pass an EventEmitter. */
export type ProcessEvents = {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error, origin: string) => void): unknown;
  off(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'uncaughtException', listener: (error: Error, origin: string) => void): unknown;
};

export type CrashHandlerOptions = {
  process: ProcessEvents;
  logger: Logger;
  /** Which program: `desktop`, `serve`, `emulator`; goes into every line. */
  shell: string;
  /** The shell's own clean stop (what SIGTERM or quitting runs). */
  stop: () => Promise<void>;
  exit: (code: number) => void;
  /** Runs the stop deadline; tests fire it by hand. Default: an unref'd `setTimeout`. */
  schedule?: (run: () => void, ms: number) => void;
  stopGraceMs?: number;
};

export const DEFAULT_STOP_GRACE_MS = 10_000;

/** Installs both handlers; returns the function that removes them. */
export function installCrashHandlers(options: CrashHandlerOptions): () => void {
  const { logger, shell } = options;
  const schedule = options.schedule ?? ((run, ms) => void setTimeout(run, ms).unref());
  let isStopping = false;

  const onRejection = (reason: unknown): void => {
    logger.error('unhandled promise rejection; Inlet keeps running', {
      shell,
      error: describeError(reason),
    });
  };

  const onException = (error: Error, origin: string): void => {
    logger.error('uncaught exception; Inlet stops', {
      shell,
      origin,
      error: describeError(error),
      alreadyStopping: isStopping,
    });
    if (isStopping) return;
    isStopping = true;
    let hasExited = false;
    const exit = (): void => {
      if (hasExited) return;
      hasExited = true;
      options.exit(1);
    };
    schedule(() => {
      logger.error('Inlet did not stop in time after an uncaught exception; exiting', { shell });
      exit();
    }, options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    options
      .stop()
      .catch((stopError: unknown) =>
        logger.error('Inlet did not stop cleanly', { shell, error: describeError(stopError) }),
      )
      .finally(exit);
  };

  options.process.on('unhandledRejection', onRejection);
  options.process.on('uncaughtException', onException);
  return () => {
    options.process.off('unhandledRejection', onRejection);
    options.process.off('uncaughtException', onException);
  };
}
