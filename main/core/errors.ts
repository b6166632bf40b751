import type { FailureReason } from '../../shared/domain/failure-reason';
import type { LocalizedText } from '../../shared/domain/localized-text';
import type { AppErrorCode, IpcFailure } from '../../shared/ipc/result';
import type { Logger } from './ports';

/**
 * The one error type the core throws on purpose; `code` is what callers switch on. `message` is
 * English (logs, CLI); `detail` is the same sentence as a catalogue key the renderer translates.
 */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly detail: LocalizedText | null;

  constructor(
    code: AppErrorCode,
    message: string,
    options?: { cause?: unknown; detail?: LocalizedText | null },
  ) {
    super(message, options && 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'AppError';
    this.code = code;
    this.detail = options?.detail ?? null;
  }
}

/** An AppError's sentence as the contract carries a reason. */
export function reasonOf(error: AppError): FailureReason {
  return { text: error.message, detail: error.detail };
}

/** Turns anything thrown by a handler into an IPC failure; unknown errors never leak a stack. */
export function toIpcFailure(error: unknown, logger: Logger): IpcFailure {
  if (error instanceof AppError)
    return {
      ok: false,
      code: error.code,
      message: error.message,
      ...(error.detail ? { detail: error.detail } : {}),
    };
  logger.error('unexpected error in a command handler', { error: describeError(error) });
  return {
    ok: false,
    code: 'INTERNAL',
    message: 'Something went wrong inside Inlet. See the log.',
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
