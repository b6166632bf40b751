import type { LocalizedText } from '../../../shared/domain/localized-text';
import { BridgeError, type BridgeErrorCode } from '../bridge';

/**
 * What the UI needs to explain a failure: a code to pick the translated text, main's detail in
 * English (`message`) and, when main gave one, as a catalogue key (`detail`).
 */
export type UiError = { code: BridgeErrorCode; message: string; detail?: LocalizedText | null };

export function toUiError(error: unknown): UiError {
  if (error instanceof BridgeError)
    return {
      code: error.code,
      message: error.message,
      ...(error.detail !== null ? { detail: error.detail } : {}),
    };
  // Anything else is a bug in the renderer itself; keep it out of the UI, keep it in the console.
  console.error('Inlet: unexpected error', error);
  return { code: 'INTERNAL', message: '' };
}
