import { safeStorage } from 'electron';
import type { SecretCipher } from '../core/ports';

/**
 * The OS keychain behind the SecretCipher port. On Linux without a secret service Electron falls
 * back to `basic_text`, a hard-coded key: that is obfuscation, so it counts as unavailable and the
 * core keeps tokens in memory instead.
 */
export const safeStorageCipher: SecretCipher = {
  isAvailable: () =>
    safeStorage.isEncryptionAvailable() &&
    !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
  // basic_text still "encrypts", with a key anyone can look up: plaintext-equivalent.
  hasUnprotectedFallback: () => safeStorage.isEncryptionAvailable(),
  seal: async (plain) => safeStorage.encryptString(plain).toString('base64'),
  open: async (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
};
