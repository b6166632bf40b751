import { describe, expect, it } from 'vitest';
import {
  NO_ENCRYPTION_REASON,
  TokenVault,
  UNDECRYPTABLE_REASON,
  VAULT_ACCOUNTS_KEY,
  VAULT_REJECTED_KEY,
  VAULT_SECRETS_KEY,
  type StoredToken,
} from '../../../../../main/core/auth/token-vault';
import { memoryLogger } from '../../../../fakes/logger';
import { recordingKv, testCipher, unavailableCipher } from './auth-harness';

const TOKEN: StoredToken = {
  accessToken: 'IGAAvault-test-token-7c1e9a',
  issuedAt: Date.UTC(2026, 2, 18),
  expiresAt: Date.UTC(2026, 4, 17),
  igUserId: '17841405309211844',
  username: 'acme.studio',
  permissions: ['instagram_business_basic', 'instagram_business_manage_messages'],
};

function setup(cipher = testCipher()) {
  const kv = recordingKv();
  const logger = memoryLogger();
  return { kv, logger, cipher, vault: new TokenVault({ cipher, kv, logger }) };
}

describe('TokenVault', () => {
  it('stores { v: 1, sealed } per account and reads it back', async () => {
    const { vault, kv } = setup();
    expect(vault.storageMode()).toBe('encrypted');
    expect(await vault.saveAccount(TOKEN)).toEqual({ persistent: true });

    const stored = kv.data.get(VAULT_ACCOUNTS_KEY) as Record<string, unknown>;
    expect(Object.keys(stored)).toEqual([TOKEN.igUserId]);
    expect(Object.keys(stored[TOKEN.igUserId] as object)).toEqual(['v', 'sealed']);
    expect(stored[TOKEN.igUserId]).toMatchObject({ v: 1 });
    expect(JSON.stringify(kv.writes)).not.toContain(TOKEN.accessToken);

    expect(await vault.getAccount(TOKEN.igUserId)).toEqual({
      igUserId: TOKEN.igUserId,
      status: 'ok',
      token: TOKEN,
    });
    expect(await vault.listAccounts()).toHaveLength(1);
    expect(await vault.getAccount('1')).toBeNull();
  });

  it('keeps several accounts apart and removes one on disconnect', async () => {
    const { vault, kv } = setup();
    const second = { ...TOKEN, igUserId: '17841400000000001', username: 'acme.shop' };
    await vault.saveAccount(TOKEN);
    await vault.saveAccount(second);
    expect((await vault.listAccounts()).map((a) => a.igUserId)).toEqual([
      second.igUserId,
      TOKEN.igUserId,
    ]);
    vault.remove(TOKEN.igUserId);
    expect(await vault.getAccount(TOKEN.igUserId)).toBeNull();
    expect(Object.keys(kv.data.get(VAULT_ACCOUNTS_KEY) as object)).toEqual([second.igUserId]);
  });

  it('seals app secrets the same way', async () => {
    const { vault, kv } = setup();
    expect(await vault.getSecret('appSecret')).toEqual({ status: 'missing' });
    await vault.setSecret('appSecret', 'app-secret-9f2');
    await vault.setSecret('ngrokAuthtoken', 'ngrok-token-31a');
    expect(await vault.getSecret('appSecret')).toEqual({ status: 'ok', value: 'app-secret-9f2' });
    expect(await vault.getSecret('ngrokAuthtoken')).toEqual({
      status: 'ok',
      value: 'ngrok-token-31a',
    });
    const written = JSON.stringify(kv.writes);
    expect(written).not.toContain('app-secret-9f2');
    expect(written).not.toContain('ngrok-token-31a');
    expect(vault.hasSecret('appSecret')).toBe(true);
    vault.deleteSecret('appSecret');
    expect(vault.hasSecret('appSecret')).toBe(false);
    await expect(vault.setSecret('appSecret', '')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('reports a record the cipher cannot open as needs-reconnect, never as plaintext', async () => {
    const { vault, kv, cipher, logger } = setup();
    await vault.saveAccount(TOKEN);
    cipher.open = () => Promise.reject(new Error('keychain changed'));
    const account = await vault.getAccount(TOKEN.igUserId);
    expect(account).toEqual({
      igUserId: TOKEN.igUserId,
      status: 'needs-reconnect',
      reason: UNDECRYPTABLE_REASON,
      detail: { key: 'errorDetail.savedLoginUndecryptable', vars: null },
    });
    expect(UNDECRYPTABLE_REASON).toContain('could not be decrypted');
    expect(JSON.stringify(account)).not.toContain(TOKEN.accessToken);
    const sealed = (kv.data.get(VAULT_ACCOUNTS_KEY) as Record<string, { sealed: string }>)[
      TOKEN.igUserId
    ]!.sealed;
    expect(JSON.stringify(logger.lines)).not.toContain(sealed);
  });

  it.each([
    ['a plaintext token written by someone else', { accessToken: TOKEN.accessToken }],
    ['an unknown record version', { v: 2, sealed: 'abc' }],
    ['a sealed value that is not JSON', 'not-json'],
    ['sealed JSON of the wrong shape', 'wrong-shape'],
    ['a token sealed under another account id', 'other-id'],
  ])('treats %s as needs-reconnect', async (_label, kind) => {
    const { vault, kv, cipher } = setup();
    const sealedOf = async (value: unknown) => ({
      v: 1,
      sealed: await cipher.seal(typeof value === 'string' ? value : JSON.stringify(value)),
    });
    let record: unknown = kind;
    if (kind === 'not-json') record = await sealedOf('{not json');
    if (kind === 'wrong-shape') record = await sealedOf({ accessToken: TOKEN.accessToken });
    if (kind === 'other-id') record = await sealedOf({ ...TOKEN, igUserId: '1' });
    kv.set(VAULT_ACCOUNTS_KEY, { [TOKEN.igUserId]: record });
    const account = await vault.getAccount(TOKEN.igUserId);
    expect(account).toMatchObject({ status: 'needs-reconnect', reason: UNDECRYPTABLE_REASON });
    expect(JSON.stringify(account)).not.toContain(TOKEN.accessToken);
  });

  it('reports an unreadable secret without revealing it', async () => {
    const { vault, kv } = setup();
    kv.set(VAULT_SECRETS_KEY, { appSecret: { v: 1, sealed: 'garbage' } });
    const read = await vault.getSecret('appSecret');
    expect(read.status).toBe('unreadable');
  });

  it('without OS encryption keeps everything in memory and writes nothing', async () => {
    const cipher = unavailableCipher();
    const kv = recordingKv();
    const logger = memoryLogger();
    const vault = new TokenVault({ cipher, kv, logger });
    expect(vault.storageMode()).toBe('memory-only');
    expect(await vault.saveAccount(TOKEN)).toEqual({
      persistent: false,
      reason: NO_ENCRYPTION_REASON,
    });
    await vault.setSecret('appSecret', 'app-secret-9f2');
    expect(await vault.getAccount(TOKEN.igUserId)).toMatchObject({ status: 'ok', token: TOKEN });
    expect(await vault.getSecret('appSecret')).toEqual({ status: 'ok', value: 'app-secret-9f2' });
    expect(kv.writes).toEqual([]);
    expect(cipher.calls).toBe(0);

    // A restart forgets them: nothing was persisted, not even under a home-made key.
    const restarted = new TokenVault({ cipher, kv, logger });
    expect(await restarted.listAccounts()).toEqual([]);
    expect(await restarted.getSecret('appSecret')).toEqual({ status: 'missing' });
    vault.remove(TOKEN.igUserId);
    expect(await vault.getAccount(TOKEN.igUserId)).toBeNull();
  });

  it('without OS encryption does not open records sealed in an earlier session', async () => {
    const kv = recordingKv();
    const logger = memoryLogger();
    await new TokenVault({ cipher: testCipher(), kv, logger }).saveAccount(TOKEN);
    const cipher = unavailableCipher();
    const vault = new TokenVault({ cipher, kv, logger });
    expect(await vault.getAccount(TOKEN.igUserId)).toMatchObject({ status: 'needs-reconnect' });
    expect(cipher.calls).toBe(0);
  });

  it('refuses a token without an id or username', async () => {
    const { vault } = setup();
    await expect(vault.saveAccount({ ...TOKEN, igUserId: 'acme' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  describe('a token Instagram rejected (code 190)', () => {
    const REJECTED = {
      text: 'Instagram no longer accepts Inlet’s access to this account. Connect the account again.',
      detail: { key: 'sendError.tokenInvalid' as const, vars: null },
    };

    it('stays rejected for a new vault on the same store (a restart), keeping only a digest', async () => {
      const { vault, kv, cipher, logger } = setup();
      await vault.saveAccount(TOKEN);
      vault.markRejected(TOKEN.igUserId, TOKEN.accessToken, REJECTED);
      const restarted = new TokenVault({ cipher, kv, logger });
      expect(await restarted.getAccount(TOKEN.igUserId)).toEqual({
        igUserId: TOKEN.igUserId,
        status: 'needs-reconnect',
        reason: REJECTED.text,
        detail: REJECTED.detail,
      });
      expect(await restarted.listAccounts()).toMatchObject([{ status: 'needs-reconnect' }]);
      expect(JSON.stringify(kv.data.get(VAULT_REJECTED_KEY))).not.toContain(TOKEN.accessToken);
      expect(JSON.stringify(kv.writes)).not.toContain(TOKEN.accessToken);
    });

    it('is tied to that token: another token (a new login) is not rejected, and saving one clears the mark', async () => {
      const { vault, kv } = setup();
      await vault.saveAccount(TOKEN);
      vault.markRejected(TOKEN.igUserId, TOKEN.accessToken, REJECTED);
      expect(vault.rejection(TOKEN.igUserId, TOKEN.accessToken)).toEqual(REJECTED);
      expect(vault.rejection(TOKEN.igUserId, 'IGAAanother-token')).toBeNull();
      await vault.saveAccount({ ...TOKEN, accessToken: 'IGAAnew-login-token' });
      expect(await vault.getAccount(TOKEN.igUserId)).toMatchObject({ status: 'ok' });
      expect(kv.data.get(VAULT_REJECTED_KEY)).toEqual({});
      // Disconnecting forgets a mark as well.
      vault.markRejected(TOKEN.igUserId, 'IGAAnew-login-token', REJECTED);
      vault.remove(TOKEN.igUserId);
      expect(kv.data.get(VAULT_REJECTED_KEY)).toEqual({});
    });

    it('moves with the token when the vault changes mode', async () => {
      const { vault } = setup();
      await vault.saveAccount(TOKEN);
      vault.markRejected(TOKEN.igUserId, TOKEN.accessToken, REJECTED);
      const other = setup().vault;
      await vault.copyInto(other);
      expect(await other.getAccount(TOKEN.igUserId)).toMatchObject({
        status: 'needs-reconnect',
        detail: REJECTED.detail,
      });
    });

    it('reads a damaged mark as no mark, never as a crash', async () => {
      const { vault, kv } = setup();
      await vault.saveAccount(TOKEN);
      kv.set(VAULT_REJECTED_KEY, { [TOKEN.igUserId]: { v: 2, digest: 42 } });
      expect(await vault.getAccount(TOKEN.igUserId)).toMatchObject({ status: 'ok' });
      kv.set(VAULT_REJECTED_KEY, 'garbage');
      expect(vault.rejection(TOKEN.igUserId, TOKEN.accessToken)).toBeNull();
    });
  });
});
