import type { LocalizedText } from '../domain/localized-text';

/**
 * Errors do not survive IPC (only `message` crosses `ipcMain.handle`, and the context bridge drops
 * custom fields), so every command resolves to a result instead of throwing.
 */
export const APP_ERROR_CODES = [
  'FORBIDDEN',
  'INVALID_INPUT',
  'NOT_FOUND',
  'NOT_CONNECTED',
  'RATE_LIMITED',
  'OUTSIDE_WINDOW',
  'GRAPH_ERROR',
  'VAULT_UNAVAILABLE',
  'INTERNAL',
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/**
 * `message` is main's English sentence; `detail`, when main has one, is the same sentence as a
 * catalogue key and variables (localized-text.ts) that the renderer shows in the owner's language.
 */
export type IpcFailure = {
  ok: false;
  code: AppErrorCode;
  message: string;
  detail?: LocalizedText;
};
export type IpcResult<T> = { ok: true; value: T } | IpcFailure;

export function success<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function failure(code: AppErrorCode, message: string): IpcFailure {
  return { ok: false, code, message };
}
