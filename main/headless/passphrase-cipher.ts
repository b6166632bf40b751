import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';
import type { Logger, SecretCipher } from '../core/ports';
import { keyringVaultKey, type RunCommand } from './keyring-key';
import { memoryOnlyCipher } from './node-adapters';

/**
 * The headless vault's cipher: a key derived from the passphrase in `INLET_VAULT_KEY`
 * with scrypt and a random salt kept in the data dir, and AES-256-GCM, whose tag makes a wrong key
 * or a tampered record fail loudly; the vault turns that into "reconnect", never a plaintext read.
 *
 * Without a passphrase, `headlessCipher` tries the OS keyring (keyring-key.ts) for a random key.
 */

export const VAULT_SALT_FILE = 'vault-salt';
const FORMAT = 'v1';
/** Binds each record to this purpose: a blob sealed elsewhere with the same key does not open. */
const AAD = Buffer.from('inlet-vault-v1');
/** scrypt cost: ~100 ms once per run; 64 MiB of memory makes guessing the passphrase expensive. */
const SCRYPT = { N: 2 ** 16, r: 8, p: 1, maxmem: 128 * 1024 * 1024 } as const;
const MIN_PASSPHRASE_LENGTH = 12;

export function passphraseCipher(passphrase: string, dataDir: string): SecretCipher {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH)
    throw new AppError(
      'VAULT_UNAVAILABLE',
      `INLET_VAULT_KEY must be at least ${MIN_PASSPHRASE_LENGTH} characters long.`,
    );
  return keyCipher(scryptSync(passphrase.normalize('NFC'), readOrCreateSalt(dataDir), 32, SCRYPT));
}

/** AES-256-GCM under a 256-bit key (from the passphrase, or random from the OS keyring). */
export function keyCipher(key: Buffer): SecretCipher {
  if (key.length !== 32) throw new Error('The vault key must be 32 bytes');
  return {
    isAvailable: () => true,
    seal: (plain) => {
      const iv = randomBytes(12);
      const gcm = createCipheriv('aes-256-gcm', key, iv);
      gcm.setAAD(AAD);
      const body = Buffer.concat([gcm.update(plain, 'utf8'), gcm.final()]);
      return Promise.resolve(
        `${FORMAT}.${Buffer.concat([iv, gcm.getAuthTag(), body]).toString('base64')}`,
      );
    },
    open: (sealed) => {
      try {
        const [format, data] = sealed.split('.');
        if (format !== FORMAT || data === undefined) throw new Error('unknown record format');
        const raw = Buffer.from(data, 'base64');
        if (raw.length < 28) throw new Error('record too short');
        const gcm = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        gcm.setAAD(AAD);
        gcm.setAuthTag(raw.subarray(12, 28));
        return Promise.resolve(
          Buffer.concat([gcm.update(raw.subarray(28)), gcm.final()]).toString('utf8'),
        );
      } catch (error) {
        // Wrong key, other salt, or tampering: all look the same to GCM, and nothing leaks.
        return Promise.reject(
          new AppError('VAULT_UNAVAILABLE', 'The record could not be decrypted.', {
            cause: error,
          }),
        );
      }
    },
  };
}

/** The salt is not secret; it only has to stay the same for as long as the records do. */
function readOrCreateSalt(dataDir: string): Buffer {
  const file = path.join(dataDir, VAULT_SALT_FILE);
  try {
    const salt = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    if (salt.length >= 16) return salt;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const salt = randomBytes(16);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${salt.toString('hex')}\n`, { mode: 0o600 });
  return salt;
}

/**
 * Where the headless vault's key comes from, in this order: `INLET_VAULT_KEY` (an explicit choice
 * beats a guess), else the OS keyring through `secret-tool`, else none: memory only, and the UI's
 * "not kept after a restart" banner says why. Switching sources changes the key, so logins saved
 * under the other one read as "reconnect".
 */
export async function headlessCipher(
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
  logger: Logger,
  run: RunCommand,
): Promise<SecretCipher> {
  const passphrase = env.INLET_VAULT_KEY;
  if (passphrase !== undefined && passphrase !== '') {
    const cipher = passphraseCipher(passphrase, dataDir);
    logger.info('vault key: derived from INLET_VAULT_KEY');
    return cipher;
  }
  const fromKeyring = await keyringVaultKey(run, logger);
  if (fromKeyring !== null) {
    logger.info('vault key: from the OS keyring (Secret Service)', {
      created: fromKeyring.created,
    });
    return keyCipher(fromKeyring.key);
  }
  logger.info(
    'no OS keyring and INLET_VAULT_KEY is not set: tokens and secrets are kept in memory for this run',
  );
  return memoryOnlyCipher;
}
