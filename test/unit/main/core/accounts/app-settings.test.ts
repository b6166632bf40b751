import { describe, expect, it } from 'vitest';
import { AppSettings } from '../../../../../main/core/accounts/app-settings';
import { NO_TUNNEL_PROBLEM } from '../../../../../main/core/accounts/redirect-uri';
import { CALLBACK_PATH } from '../../../../../main/core/auth/oauth-flow';
import type { InletConfig } from '../../../../../main/core/config';
import { AppError } from '../../../../../main/core/errors';
import type { LoginWindow } from '../../../../../main/core/ports';
import { memoryLogger } from '../../../../fakes/logger';
import { memoryKv } from '../../../../fakes/memory-kv';
import { testCipher } from '../auth/auth-harness';

const TUNNEL = 'https://calm-otter.ngrok-free.app';
const LIVE: InletConfig = {
  mode: 'live',
  sandboxReason: null,
  appId: '990602627938098',
  appSecret: 'app-settings-test-secret',
  metaAppSecret: null,
  verifyToken: 'app-settings-verify-token',
  graphUrl: 'https://graph.instagram.com',
  tokenUrl: 'https://api.instagram.com',
  oauthUrl: 'https://www.instagram.com',
  graphVersion: 'v24.0',
  staticAccount: null,
  ngrok: null,
  webhookPort: 4871,
};
const loginWindow: LoginWindow = { capture: async () => null };

function appSettings(
  options: {
    publicUrl?: string | null;
    loginWindow?: LoginWindow;
    kv?: Record<string, unknown>;
  } = {},
) {
  return new AppSettings({
    cipher: testCipher(),
    kv: memoryKv(options.kv),
    env: {},
    logger: memoryLogger(),
    loginWindow: options.loginWindow,
    running: () => null,
    publicUrl: () => options.publicUrl ?? null,
    restart: async () => {},
  });
}

/** The AppError a login setup was refused with. */
async function refusal(setup: Promise<unknown>): Promise<AppError> {
  const error: unknown = await setup.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('AppSettings.loginSetup: what a login needs right now', () => {
  it.each([
    ['app id', { appId: null }],
    ['app secret', { appSecret: null }],
  ])('refuses without an %s, saying to enter both in Settings', async (_missing, change) => {
    const error = await refusal(
      appSettings({ publicUrl: TUNNEL }).loginSetup({ ...LIVE, ...change }, 4871, null),
    );
    expect(error.code).toBe('NOT_CONNECTED');
    expect(error.message).toContain('app id and app secret in Settings');
    expect(error.detail).toEqual({ key: 'errorDetail.appNotConfigured', vars: null });
  });

  it('logs in through the tunnel’s https address while it is online', async () => {
    expect(await appSettings({ publicUrl: TUNNEL }).loginSetup(LIVE, 4871, null)).toEqual({
      appId: LIVE.appId,
      appSecret: LIVE.appSecret,
      oauthUrl: LIVE.oauthUrl,
      redirectUri: `${TUNNEL}${CALLBACK_PATH}`,
      loginWindow: null,
    });
  });

  it('refuses without a tunnel against Meta, saying how to get one', async () => {
    const error = await refusal(appSettings().loginSetup(LIVE, 4871, null));
    expect(error.code).toBe('NOT_CONNECTED');
    expect(error.message).toBe(NO_TUNNEL_PROBLEM);
    expect(error.detail).toEqual({ key: 'errorDetail.noTunnel', vars: null });
  });

  it('uses the desktop login window with the https URI the user registered when there is no tunnel', async () => {
    const settings = appSettings({
      loginWindow,
      kv: { settings: { loginRedirectUri: 'https://shop.example/oauth/callback' } },
    });
    expect(await settings.loginSetup(LIVE, 4871, null)).toMatchObject({
      redirectUri: 'https://shop.example/oauth/callback',
      loginWindow,
    });
  });

  it('the desktop without a registered URI says either way works', async () => {
    const error = await refusal(appSettings({ loginWindow }).loginSetup(LIVE, 4871, null));
    expect(error.detail).toEqual({ key: 'errorDetail.noTunnelOrLoginWindow', vars: null });
  });

  it('in the sandbox, comes back to the local listener and tells the emulator the address to accept', async () => {
    const registered: string[] = [];
    const emulator = 'http://127.0.0.1:4300';
    const setup = await appSettings().loginSetup(
      { ...LIVE, mode: 'sandbox', oauthUrl: emulator },
      4100,
      { registerRedirectUri: async (uri) => void registered.push(uri) },
    );
    expect(setup).toEqual({
      appId: LIVE.appId,
      appSecret: LIVE.appSecret,
      oauthUrl: emulator,
      redirectUri: `http://127.0.0.1:4100${CALLBACK_PATH}`,
      loginWindow: null,
    });
    expect(registered).toEqual([setup.redirectUri]);
  });

  it('tells the emulator nothing when the login is refused', async () => {
    const registered: string[] = [];
    await refusal(
      appSettings().loginSetup({ ...LIVE, appSecret: null }, 4100, {
        registerRedirectUri: async (uri) => void registered.push(uri),
      }),
    );
    expect(registered).toEqual([]);
  });
});

describe('AppSettings.accountsVault: where account logins are kept', () => {
  it('keeps live logins in the app’s vault', () => {
    const settings = appSettings();
    expect(settings.accountsVault(false)).toBe(settings.vault);
  });

  it('keeps sandbox logins for this run only: the emulator’s tokens die with it', async () => {
    const settings = appSettings();
    const sandboxVault = settings.accountsVault(true);
    expect(sandboxVault).not.toBe(settings.vault);
    await sandboxVault.saveAccount({
      accessToken: 'IGAA-emulator-token',
      issuedAt: 0,
      expiresAt: Date.UTC(2099, 0, 1),
      igUserId: '17841400000000001',
      username: 'acme.studio',
      permissions: ['instagram_business_basic'],
    });
    expect(await settings.vault.listAccounts()).toEqual([]);
    expect(await settings.accountsVault(true).listAccounts()).toEqual([]);
  });
});
