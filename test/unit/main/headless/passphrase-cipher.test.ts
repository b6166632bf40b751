import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenVault, UNDECRYPTABLE_REASON } from '../../../../main/core/auth/token-vault';
import { nodeFileKv, SETTINGS_FILE } from '../../../../main/headless/node-file-kv';
import {
  headlessCipher,
  passphraseCipher,
  VAULT_SALT_FILE,
} from '../../../../main/headless/passphrase-cipher';
import { memoryOnlyCipher, MEMORY_ONLY_REASON } from '../../../../main/headless/node-adapters';
import { memoryLogger } from '../../../fakes/logger';
import { fakeSecretTool } from '../../../fakes/secret-tool';

const PASSPHRASE = 'correct horse battery staple';
const TOKEN = {
  igUserId: '17841405309211844',
  username: 'acme.studio',
  accessToken: 'IGAAheadlessTokenThatMustNeverBeOnDisk',
  issuedAt: 1_700_000_000_000,
  expiresAt: 1_705_000_000_000,
  permissions: null,
};

describe('passphraseCipher (INLET_VAULT_KEY)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'inlet-cipher-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('seals with a random IV, opens what it sealed, and keeps one salt per data dir', async () => {
    const cipher = passphraseCipher(PASSPHRASE, dir);
    expect(cipher.isAvailable()).toBe(true);
    const one = await cipher.seal('IGAAsecret');
    const two = await cipher.seal('IGAAsecret');
    expect(one).not.toBe(two);
    expect(one).not.toContain('IGAAsecret');
    expect(await cipher.open(one)).toBe('IGAAsecret');
    const salt = readFileSync(path.join(dir, VAULT_SALT_FILE), 'utf8');
    // The next run reads the same salt, so the same passphrase opens the same records.
    expect(await passphraseCipher(PASSPHRASE, dir).open(one)).toBe('IGAAsecret');
    expect(readFileSync(path.join(dir, VAULT_SALT_FILE), 'utf8')).toBe(salt);
  });

  it('refuses to open with a wrong passphrase, a tampered record or an unknown format', async () => {
    const sealed = await passphraseCipher(PASSPHRASE, dir).seal('IGAAsecret');
    await expect(passphraseCipher('another passphrase!', dir).open(sealed)).rejects.toMatchObject({
      code: 'VAULT_UNAVAILABLE',
    });
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    const cipher = passphraseCipher(PASSPHRASE, dir);
    await expect(cipher.open(`v1.${raw.toString('base64')}`)).rejects.toThrow('decrypted');
    await expect(cipher.open('IGAAsecret')).rejects.toThrow('decrypted');
    await expect(cipher.open('v1.AAAA')).rejects.toThrow('decrypted');
  });

  it('refuses a passphrase too short to be one', () => {
    expect(() => passphraseCipher('short', dir)).toThrow('at least 12 characters');
  });

  it('a wrong key on restart means "reconnect" in the vault, never plaintext', async () => {
    const logger = memoryLogger();
    const first = new TokenVault({
      cipher: passphraseCipher(PASSPHRASE, dir),
      kv: nodeFileKv(dir),
      logger,
    });
    await first.saveAccount(TOKEN);
    await first.setSecret('appSecret', 'app-secret-on-disk-never');
    const onDisk = readFileSync(path.join(dir, SETTINGS_FILE), 'utf8');
    expect(onDisk).not.toContain(TOKEN.accessToken);
    expect(onDisk).not.toContain('app-secret-on-disk-never');

    const restarted = new TokenVault({
      cipher: passphraseCipher('a different passphrase', dir),
      kv: nodeFileKv(dir),
      logger,
    });
    expect(await restarted.getAccount(TOKEN.igUserId)).toEqual({
      igUserId: TOKEN.igUserId,
      status: 'needs-reconnect',
      reason: UNDECRYPTABLE_REASON,
      detail: { key: 'errorDetail.savedLoginUndecryptable', vars: null },
    });
    expect(await restarted.getSecret('appSecret')).toMatchObject({ status: 'unreadable' });
    expect(JSON.stringify(logger.lines)).not.toContain(TOKEN.accessToken);
  });

  it('INLET_VAULT_KEY wins over the keyring, which is then not asked', async () => {
    const tool = fakeSecretTool();
    const cipher = await headlessCipher(
      { INLET_VAULT_KEY: PASSPHRASE },
      dir,
      memoryLogger(),
      tool.run,
    );
    expect(cipher.isAvailable()).toBe(true);
    expect(await passphraseCipher(PASSPHRASE, dir).open(await cipher.seal('IGAAx'))).toBe('IGAAx');
    expect(tool.calls).toEqual([]);
  });

  it('without INLET_VAULT_KEY takes its key from the OS keyring, the same key on the next run', async () => {
    const tool = fakeSecretTool();
    const logger = memoryLogger();
    const first = await headlessCipher({}, dir, logger, tool.run);
    expect(first.isAvailable()).toBe(true);
    const kv = nodeFileKv(dir);
    await new TokenVault({ cipher: first, kv, logger }).saveAccount(TOKEN);
    expect(readFileSync(path.join(dir, SETTINGS_FILE), 'utf8')).not.toContain(TOKEN.accessToken);

    const next = await headlessCipher({}, dir, logger, tool.run);
    const reopened = new TokenVault({ cipher: next, kv: nodeFileKv(dir), logger });
    expect(await reopened.getAccount(TOKEN.igUserId)).toMatchObject({ status: 'ok', token: TOKEN });
    expect(logger.lines.map((l) => l.message)).toContain(
      'vault key: from the OS keyring (Secret Service)',
    );

    // Another keyring (another user, a wiped keychain): reconnect, never plaintext.
    const other = await headlessCipher({}, dir, logger, fakeSecretTool().run);
    const elsewhere = new TokenVault({ cipher: other, kv: nodeFileKv(dir), logger });
    expect(await elsewhere.getAccount(TOKEN.igUserId)).toMatchObject({
      status: 'needs-reconnect',
      reason: UNDECRYPTABLE_REASON,
    });
  });

  it('with neither is memory-only and says why in the log and in the vault status', async () => {
    const logger = memoryLogger();
    const cipher = await headlessCipher({}, dir, logger, fakeSecretTool('no-service').run);
    expect(cipher).toBe(memoryOnlyCipher);
    await expect(cipher.seal('x')).rejects.toThrow('INLET_VAULT_KEY');
    expect(logger.lines.at(-1)?.message).toContain('in memory');
    const vault = new TokenVault({ cipher, kv: nodeFileKv(dir), logger });
    expect(vault.storage()).toEqual({ persistent: false, reason: MEMORY_ONLY_REASON });
    expect(MEMORY_ONLY_REASON).toContain('no OS keyring');
  });
});
