import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FailureReason } from '../../../shared/domain/failure-reason';
import {
  detail,
  LocalizedTextSchema,
  type LocalizedText,
} from '../../../shared/domain/localized-text';
import { InstagramIdSchema } from '../../../shared/domain/schemas';
import { AppError } from '../errors';
import type { KeyValueStore, Logger, SecretCipher } from '../ports';

/**
 * Tokens and app secrets, sealed with the OS cipher (docs/platform.md#secrets). The
 * key-value store only ever sees `{ v: 1, sealed }`; electron-store's own `encryptionKey` is
 * obfuscation, not protection. When the OS offers no real encryption (Linux `basic_text`) the
 * vault keeps secrets in memory for this session and says so: there is no plaintext fallback and no
 * home-made key. A record that cannot be opened means "reconnect", never a plaintext read.
 */

/**
 * What the vault holds per connected account; `igUserId` is `/me`'s `user_id`
 * (docs/platform.md#ids).
 */
export type StoredToken = {
  accessToken: string;
  /**
   * Epoch ms when this token was issued or last refreshed (refresh needs ≥ 24 h,
   * docs/platform.md#token-refresh).
   */
  issuedAt: number;
  expiresAt: number;
  igUserId: string;
  username: string;
  /** What the user granted, or null when Meta did not say (docs/platform.md#token-exchange). */
  permissions: string[] | null;
};

export type VaultAccount =
  | { igUserId: string; status: 'ok'; token: StoredToken }
  | { igUserId: string; status: 'needs-reconnect'; reason: string; detail: LocalizedText | null };

export type AppSecretName = 'appSecret' | 'metaAppSecret' | 'ngrokAuthtoken';

export type SecretRead =
  | { status: 'ok'; value: string }
  | { status: 'missing' }
  | { status: 'unreadable'; reason: string };

export type VaultStorage = { persistent: true } | { persistent: false; reason: string };

/** `unprotected`: written with a plaintext-equivalent cipher, only because the user accepted it. */
export type StorageMode = 'encrypted' | 'unprotected' | 'memory-only';

/** KV keys; no dots, since electron-store reads dotted keys as nested paths. */
export const VAULT_ACCOUNTS_KEY = 'vaultAccounts';
export const VAULT_SECRETS_KEY = 'vaultSecrets';
/** Tokens Instagram rejected (code 190): not secrets, only a digest of the token and the reason. */
export const VAULT_REJECTED_KEY = 'vaultRejected';

export const UNDECRYPTABLE_REASON =
  'The saved login could not be decrypted (the OS keychain may have changed). Connect the account again.';
export const NO_ENCRYPTION_REASON =
  'This system offers no OS encryption for secrets (on Linux: no keyring), so Inlet keeps them in ' +
  'memory for this session only; you will need to enter them again after a restart.';
const LOCKED_REASON =
  'The login was saved encrypted in an earlier session, but this session has no OS encryption to ' +
  'open it. Connect the account again.';

const SealedRecordSchema = z.object({ v: z.literal(1), sealed: z.string().min(1) });
type SealedRecord = z.infer<typeof SealedRecordSchema>;
const RecordMapSchema = z.record(z.string(), z.unknown());

const StoredTokenSchema = z.object({
  accessToken: z.string().min(1),
  issuedAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
  igUserId: InstagramIdSchema,
  username: z.string().min(1),
  permissions: z.array(z.string()).nullable(),
});
const SecretValueSchema = z.object({ value: z.string().min(1) });
const RejectionSchema = z.object({
  v: z.literal(1),
  digest: z.string().min(1),
  reason: z.string(),
  detail: LocalizedTextSchema.nullable().catch(null),
});

/** Enough to recognise the rejected token again, never enough to use it. */
function tokenDigest(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('hex').slice(0, 32);
}

export type TokenVaultOptions = {
  cipher: SecretCipher;
  kv: KeyValueStore;
  logger: Logger;
  /** The user accepted plaintext-equivalent storage where the OS offers no encryption. */
  acceptUnprotected?: boolean;
};

export class TokenVault {
  readonly #cipher: SecretCipher;
  readonly #kv: KeyValueStore;
  readonly #logger: Logger;
  /** Decided once: a vault that changed mode mid-session would leave half its secrets behind. */
  readonly #mode: StorageMode;
  readonly #memoryAccounts = new Map<string, StoredToken>();
  readonly #memorySecrets = new Map<AppSecretName, string>();

  constructor(options: TokenVaultOptions) {
    this.#cipher = options.cipher;
    this.#kv = options.kv;
    this.#logger = options.logger;
    this.#mode = options.cipher.isAvailable()
      ? 'encrypted'
      : options.acceptUnprotected === true && options.cipher.hasUnprotectedFallback?.() === true
        ? 'unprotected'
        : 'memory-only';
    if (this.#mode === 'memory-only')
      this.#logger.warn('no OS encryption available: secrets are kept in memory only');
  }

  storageMode(): StorageMode {
    return this.#mode;
  }

  /** What the UI says about persistence (the "kept in memory only" banner). */
  storage(): VaultStorage {
    return this.#mode !== 'memory-only'
      ? { persistent: true }
      : { persistent: false, reason: this.#cipher.unavailableReason?.() ?? NO_ENCRYPTION_REASON };
  }

  async saveAccount(token: StoredToken): Promise<VaultStorage> {
    const parsed = StoredTokenSchema.safeParse(token);
    if (!parsed.success)
      throw new AppError(
        'INVALID_INPUT',
        'A connected account needs a token, an id and a username',
      );
    const clean = parsed.data;
    // A new login (or a refresh) replaces the token Instagram rejected.
    this.#deleteEntry(VAULT_REJECTED_KEY, clean.igUserId);
    if (this.#mode === 'memory-only') {
      this.#memoryAccounts.set(clean.igUserId, clean);
      return this.storage();
    }
    const record = await this.#seal(JSON.stringify(clean));
    this.#writeEntry(VAULT_ACCOUNTS_KEY, clean.igUserId, record);
    return this.storage();
  }

  async getAccount(igUserId: string): Promise<VaultAccount | null> {
    const token = await this.#readToken(igUserId);
    if (token === null || 'status' in token) return token;
    const rejected = this.rejection(igUserId, token.accessToken);
    if (rejected !== null)
      return {
        igUserId,
        status: 'needs-reconnect',
        reason: rejected.text,
        detail: rejected.detail,
      };
    return { igUserId, status: 'ok', token };
  }

  async #readToken(
    igUserId: string,
  ): Promise<StoredToken | Extract<VaultAccount, { status: 'needs-reconnect' }> | null> {
    const inMemory = this.#memoryAccounts.get(igUserId);
    if (inMemory) return { ...inMemory };
    const stored = this.#readMap(VAULT_ACCOUNTS_KEY)[igUserId];
    if (stored === undefined) return null;
    if (this.#mode === 'memory-only')
      return {
        igUserId,
        status: 'needs-reconnect',
        reason: LOCKED_REASON,
        detail: detail('savedLoginLocked'),
      };
    const token = await this.#open(stored, StoredTokenSchema);
    if (token === null || token.igUserId !== igUserId) {
      // The id only: the sealed value and whatever it decrypted to stay out of the log.
      this.#logger.warn('stored account token could not be decrypted', { igUserId });
      return {
        igUserId,
        status: 'needs-reconnect',
        reason: UNDECRYPTABLE_REASON,
        detail: detail('savedLoginUndecryptable'),
      };
    }
    return token;
  }

  /**
   * Instagram rejected this token (code 190, revoked access): remembered across restarts, so no
   * call is made with it again until a new login (`saveAccount`) replaces it. Works for accounts
   * the vault does not hold too (INLET_ACCESS_TOKEN): the digest ties the mark to that token.
   */
  markRejected(igUserId: string, accessToken: string, reason: FailureReason): void {
    this.#kv.set(VAULT_REJECTED_KEY, {
      ...this.#readMap(VAULT_REJECTED_KEY),
      [igUserId]: {
        v: 1,
        digest: tokenDigest(accessToken),
        reason: reason.text,
        detail: reason.detail,
      },
    });
  }

  /**
   * Why Instagram rejected this very token; null when it did not (or another token replaced it).
   */
  rejection(igUserId: string, accessToken: string): FailureReason | null {
    const mark = RejectionSchema.safeParse(this.#readMap(VAULT_REJECTED_KEY)[igUserId]);
    if (!mark.success || mark.data.digest !== tokenDigest(accessToken)) return null;
    return { text: mark.data.reason, detail: mark.data.detail };
  }

  async listAccounts(): Promise<VaultAccount[]> {
    const accounts = await Promise.all(this.#accountIds().map((id) => this.getAccount(id)));
    return accounts.filter((account): account is VaultAccount => account !== null);
  }

  /** Disconnect: the token is gone from memory and from disk. */
  remove(igUserId: string): void {
    this.#memoryAccounts.delete(igUserId);
    this.#deleteEntry(VAULT_ACCOUNTS_KEY, igUserId);
    this.#deleteEntry(VAULT_REJECTED_KEY, igUserId);
  }

  /** Write-only from the renderer's point of view: only main reads these back. */
  async setSecret(name: AppSecretName, value: string): Promise<VaultStorage> {
    if (value.length === 0) throw new AppError('INVALID_INPUT', 'A secret cannot be empty');
    if (this.#mode === 'memory-only') {
      this.#memorySecrets.set(name, value);
      return this.storage();
    }
    this.#writeEntry(VAULT_SECRETS_KEY, name, await this.#seal(JSON.stringify({ value })));
    return this.storage();
  }

  async getSecret(name: AppSecretName): Promise<SecretRead> {
    const inMemory = this.#memorySecrets.get(name);
    if (inMemory !== undefined) return { status: 'ok', value: inMemory };
    const stored = this.#readMap(VAULT_SECRETS_KEY)[name];
    if (stored === undefined) return { status: 'missing' };
    if (this.#mode === 'memory-only') return { status: 'unreadable', reason: LOCKED_REASON };
    const secret = await this.#open(stored, SecretValueSchema);
    if (secret === null) {
      this.#logger.warn('stored secret could not be decrypted', { name });
      return {
        status: 'unreadable',
        reason: 'The saved secret could not be decrypted. Enter it again.',
      };
    }
    return { status: 'ok', value: secret.value };
  }

  hasSecret(name: AppSecretName): boolean {
    return this.#memorySecrets.has(name) || this.#readMap(VAULT_SECRETS_KEY)[name] !== undefined;
  }

  /** Everything this vault holds in a form another vault can take over (a change of mode). */
  async copyInto(other: TokenVault): Promise<void> {
    for (const igUserId of this.#accountIds()) {
      const token = await this.#readToken(igUserId);
      if (token === null || 'status' in token) continue; // unreadable here: nothing to carry over
      // A rejected token moves with its mark, or the account would look connected again.
      const rejected = this.rejection(igUserId, token.accessToken);
      await other.saveAccount(token);
      if (rejected !== null) other.markRejected(igUserId, token.accessToken, rejected);
    }
    for (const name of ['appSecret', 'metaAppSecret', 'ngrokAuthtoken'] as const) {
      const secret = await this.getSecret(name);
      if (secret.status === 'ok') await other.setSecret(name, secret.value);
    }
  }

  /** Removes whatever this vault wrote to disk (leaving plaintext-equivalent storage). */
  purgePersisted(): void {
    this.#kv.delete(VAULT_ACCOUNTS_KEY);
    this.#kv.delete(VAULT_SECRETS_KEY);
  }

  deleteSecret(name: AppSecretName): void {
    this.#memorySecrets.delete(name);
    this.#deleteEntry(VAULT_SECRETS_KEY, name);
  }

  async #seal(plain: string): Promise<SealedRecord> {
    try {
      return { v: 1, sealed: await this.#cipher.seal(plain) };
    } catch (error) {
      // The cause is the cipher's own error; it never contains the plaintext.
      throw new AppError('VAULT_UNAVAILABLE', 'The OS refused to encrypt the secret.', {
        cause: error,
      });
    }
  }

  /** Null for anything that is not a readable `{ v: 1 }` record: never a plaintext fallback. */
  async #open<T>(stored: unknown, schema: z.ZodType<T>): Promise<T | null> {
    const record = SealedRecordSchema.safeParse(stored);
    if (!record.success) return null;
    let plain: string;
    try {
      plain = await this.#cipher.open(record.data.sealed);
    } catch {
      return null;
    }
    let json: unknown;
    try {
      json = JSON.parse(plain);
    } catch {
      return null;
    }
    const parsed = schema.safeParse(json);
    return parsed.success ? parsed.data : null;
  }

  #accountIds(): string[] {
    const ids = new Set([
      ...Object.keys(this.#readMap(VAULT_ACCOUNTS_KEY)),
      ...this.#memoryAccounts.keys(),
    ]);
    return [...ids].sort();
  }

  #readMap(key: string): Record<string, unknown> {
    const parsed = RecordMapSchema.safeParse(this.#kv.get(key) ?? {});
    return parsed.success ? parsed.data : {};
  }

  #writeEntry(key: string, entry: string, record: SealedRecord): void {
    this.#kv.set(key, { ...this.#readMap(key), [entry]: record });
  }

  #deleteEntry(key: string, entry: string): void {
    const map = this.#readMap(key);
    if (!(entry in map)) return;
    delete map[entry];
    this.#kv.set(key, map);
  }
}
