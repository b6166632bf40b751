import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../../shared/ipc/contract';
import { startSandbox } from '../../../../../main/sandbox/sandbox';
import { createCore } from '../../../../../main/core/create-core';
import type { Core } from '../../../../../main/core/core-types';
import type { ExternalBrowser } from '../../../../../main/core/ports';
import { SANDBOX_ACCOUNT, SANDBOX_SECOND_ACCOUNT } from '../../../../../main/sandbox/sandbox-seed';
import { memoryLogger } from '../../../../fakes/logger';
import { memoryKv } from '../../../../fakes/memory-kv';
import { consentBrowser, type ConsentChoice } from '../auth/auth-harness';
import { testCipher } from '../auth/auth-harness';

/** Sandbox mode keeps its shop connected, and "Connect another account" uses the emulator. */
describe('accounts in sandbox mode', () => {
  let dataDir: string;
  let core: Core;
  let choice: ConsentChoice = { decision: 'approve' };
  const browser: ExternalBrowser = {
    open: (url) => consentBrowser(choice).open(url),
  };

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'inlet-sandbox-accounts-'));
    core = createCore({
      startSandbox,
      cipher: testCipher(),
      kv: memoryKv(),
      browser,
      notifier: { notify: () => {} },
      clock: Date,
      fetch: globalThis.fetch,
      logger: memoryLogger(),
      tunnel: { open: () => Promise.reject(new Error('no tunnel in the sandbox')) },
      dataDir,
      env: {},
      options: { sandbox: true },
    });
    await core.start();
  });

  afterEach(async () => {
    await core.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('connects the emulator’s second shop next to the auto-connected one', async () => {
    // The picture is kept in the background: whether it is there yet is another test's.
    expect(core.status().accounts).toMatchObject([
      {
        igUserId: SANDBOX_ACCOUNT.igUserId,
        username: SANDBOX_ACCOUNT.username,
        state: 'connected',
        reason: null,
        source: 'configured',
      },
    ]);
    // The sandbox shop cannot be disconnected: it is the sandbox.
    await expect(
      core.handlers['accounts:disconnect']({ igUserId: SANDBOX_ACCOUNT.igUserId }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    choice = { decision: 'approve', account: SANDBOX_SECOND_ACCOUNT.igUserId };
    const finished = new Promise<EventPayload<'accounts:connectFinished'>>((resolve) =>
      core.events.on('accounts:connectFinished', resolve),
    );
    const { authorizeUrl } = await core.handlers['accounts:connect']();
    // The redirect comes back to the local listener; the emulator was told to accept it.
    const redirect = new URL(authorizeUrl).searchParams.get('redirect_uri');
    expect(redirect).toBe(core.status().webhookUrl!.replace(/\/webhook$/, '/oauth/callback'));
    expect(await finished).toEqual({
      ok: true,
      igUserId: SANDBOX_SECOND_ACCOUNT.igUserId,
      username: SANDBOX_SECOND_ACCOUNT.username,
    });
    expect(core.status().accounts.map((a) => [a.username, a.source, a.state])).toEqual([
      [SANDBOX_ACCOUNT.username, 'configured', 'connected'],
      [SANDBOX_SECOND_ACCOUNT.username, 'oauth', 'connected'],
    ]);
    const settings = await core.handlers['settings:get']();
    expect(settings.redirectUri).toBe(redirect);
    expect(settings.appId).toBeNull(); // the sandbox's app is not the user's
    expect(settings.hasAppSecret).toBe(false);
  });
});
