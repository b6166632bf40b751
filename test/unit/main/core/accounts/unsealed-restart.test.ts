import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenVault } from '../../../../../main/core/auth/token-vault';
import { resolveConfig } from '../../../../../main/core/config';
import { nodeFileKv } from '../../../../../main/headless/node-file-kv';
import { passphraseCipher } from '../../../../../main/headless/passphrase-cipher';
import { memoryKv } from '../../../../fakes/memory-kv';
import { memoryLogger } from '../../../../fakes/logger';
import { sandboxCore } from '../sandbox-core';

/**
 * A restart on a machine whose keychain changed: the saved app secret cannot be unsealed. Inlet
 * may only show the sandbox if it says why, so the owner's real inbox does not seem to vanish.
 */
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'inlet-unsealed-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('an app secret this machine cannot unseal', () => {
  it('starts the sandbox and says why in the status, in the owner’s language', async () => {
    const kv = nodeFileKv(dir);
    kv.set('settings', { appId: '990602627938098' });
    await new TokenVault({
      cipher: passphraseCipher('the passphrase of yesterday', dir),
      kv,
      logger: memoryLogger(),
    }).setSecret('appSecret', 'saved-app-secret');

    const core = sandboxCore(
      dir,
      { sandbox: false },
      { cipher: passphraseCipher('the passphrase of today!', dir), kv: nodeFileKv(dir) },
    );
    await core.start();
    try {
      const status = await core.handlers['app:getStatus']();
      expect(status.mode).toBe('sandbox');
      expect(status.sandboxReason).toEqual({
        text: expect.stringContaining('could not unlock the app secret') as string,
        detail: { key: 'errorDetail.appSecretUnreadable', vars: null },
      });
    } finally {
      await core.stop();
    }
  });

  it('gives no reason when the sandbox is simply the default or asked for', () => {
    const locked = { appSecret: null, metaAppSecret: null, ngrokAuthtoken: null };
    expect(resolveConfig({}, memoryKv(), {}, locked).sandboxReason).toBeNull();
    const unreadable = { ...locked, appSecretUnreadable: true };
    expect(resolveConfig({}, memoryKv(), { sandbox: true }, unreadable).sandboxReason).toBeNull();
    expect(resolveConfig({}, memoryKv(), {}, unreadable).sandboxReason).not.toBeNull();
  });
});
