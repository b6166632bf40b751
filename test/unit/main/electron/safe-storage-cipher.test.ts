import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { safeStorageCipher } from '../../../../main/electron/safe-storage-cipher';
import { resetElectronMock, safeStorage } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

const realPlatform = process.platform;
const onPlatform = (platform: NodeJS.Platform) =>
  Object.defineProperty(process, 'platform', { value: platform, configurable: true });

beforeEach(() => resetElectronMock());
afterEach(() => onPlatform(realPlatform));

describe('safeStorageCipher', () => {
  it('counts Linux basic_text (a hard-coded key) as unavailable', () => {
    onPlatform('linux');
    safeStorage.getSelectedStorageBackend.mockReturnValue('basic_text');
    expect(safeStorageCipher.isAvailable()).toBe(false);
    // Still usable, but only if the user accepts plaintext-equivalent storage.
    expect(safeStorageCipher.hasUnprotectedFallback?.()).toBe(true);
    safeStorage.isEncryptionAvailable.mockReturnValue(false);
    expect(safeStorageCipher.hasUnprotectedFallback?.()).toBe(false);
  });

  it.each(['gnome_libsecret', 'kwallet5', 'kwallet6'])(
    'is available on Linux with %s',
    (backend) => {
      onPlatform('linux');
      safeStorage.getSelectedStorageBackend.mockReturnValue(backend);
      expect(safeStorageCipher.isAvailable()).toBe(true);
    },
  );

  it('is unavailable whenever Electron says encryption is unavailable', () => {
    onPlatform('darwin');
    safeStorage.isEncryptionAvailable.mockReturnValue(false);
    expect(safeStorageCipher.isAvailable()).toBe(false);
  });

  it('asks for the Linux backend only on Linux (the API exists nowhere else)', () => {
    onPlatform('win32');
    expect(safeStorageCipher.isAvailable()).toBe(true);
    expect(safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
  });

  it('seals to base64 text that is not the secret, and opens it again', async () => {
    const sealed = await safeStorageCipher.seal('IGAA-token-é');
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(sealed, 'base64').toString('utf8')).not.toContain('IGAA-token');
    await expect(safeStorageCipher.open(sealed)).resolves.toBe('IGAA-token-é');
  });

  it('rejects (rather than throws) when the OS refuses to decrypt', async () => {
    safeStorage.decryptString.mockImplementationOnce(() => {
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
      );
    });
    await expect(safeStorageCipher.open('AAAA')).rejects.toThrow(/decrypting/);
  });
});
