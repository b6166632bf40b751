import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { untranslated } from '../../../../../shared/domain/failure-reason';
import {
  AccountsService,
  type AccountsServiceOptions,
} from '../../../../../main/core/accounts/accounts-service';
import { INBOX_WEBHOOK_FIELDS } from '../../../../../main/core/auth/webhook-subscription';
import { TokenVault } from '../../../../../main/core/auth/token-vault';
import { AppError } from '../../../../../main/core/errors';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';
import { emulatorGraph, startHarness, type Harness } from '../../sandbox/harness';
import { recordingKv, testCipher } from '../auth/auth-harness';

const REFUSED = untranslated('Instagram refused this token. Connect the account again.');

let harness: Harness;
let graphCalls: string[];
let logger: ReturnType<typeof memoryLogger>;
let vault: TokenVault;
/** What the archive remembers of each account's name. */
let archived: Map<string, string>;

beforeEach(async () => {
  // Meta's behaviour: nothing is subscribed until Inlet subscribes it.
  harness = await startHarness({ subscribeEveryone: false });
  graphCalls = [];
  logger = memoryLogger();
  vault = new TokenVault({ cipher: testCipher(), kv: recordingKv(), logger });
  archived = new Map();
});
afterEach(() => harness.stop());

/** The accounts of one run, against the emulator's Graph API. */
function accountsService(
  options: Partial<Pick<AccountsServiceOptions, 'subscribeAtStart' | 'picture' | 'onChange'>> = {},
): AccountsService {
  const graph = emulatorGraph(harness.emulator.url, { paths: graphCalls, logger });
  return new AccountsService({
    vault,
    graph,
    browser: { open: async () => {} },
    clock: fixedClock(),
    logger,
    loginSetup: () =>
      Promise.reject(new AppError('NOT_CONNECTED', 'No login in these tests.', { detail: null })),
    rememberAccount: (igUserId, username) => void archived.set(igUserId, username),
    knownUsername: (igUserId) => archived.get(igUserId) ?? null,
    onChange: () => {},
    onConnectFinished: () => {},
    ...options,
  });
}

/** An earlier login of the harness's account, as the vault keeps it. */
function saveLogin(token: { accessToken: string; permissions: string[] | null }) {
  return vault.saveAccount({
    ...token,
    issuedAt: Date.UTC(2026, 2, 18),
    expiresAt: Date.UTC(2099, 0, 1),
    igUserId: harness.account.igUserId,
    username: 'acme.studio',
  });
}

describe('AccountsService.addConfiguredAccount: the sandbox shop or INLET_IG_USER_ID', () => {
  it('adds the account under its Instagram username, and the archive remembers it', async () => {
    const { account } = harness;
    const accounts = accountsService();
    await accounts.addConfiguredAccount(account);

    expect(accounts.list()).toEqual([
      {
        igUserId: account.igUserId,
        username: 'acme.studio',
        source: 'configured',
        state: 'connected',
        reason: null,
        pictureUrl: null,
      },
    ]);
    expect(accounts.token(account.igUserId)).toBe(account.accessToken);
    expect(archived.get(account.igUserId)).toBe('acme.studio');
  });

  it('does not offer a token Instagram rejected to it again, not even for the name', async () => {
    const { account } = harness;
    vault.markRejected(account.igUserId, account.accessToken, REFUSED);
    archived.set(account.igUserId, 'acme.studio');
    const accounts = accountsService();
    await accounts.addConfiguredAccount(account);

    expect(graphCalls).toEqual([]);
    expect(accounts.token(account.igUserId)).toBeNull();
    expect(accounts.list()).toMatchObject([
      { username: 'acme.studio', state: 'reconnect-needed', reason: REFUSED },
    ]);
    expect(accounts.reconnectReasons()).toEqual(new Map([[account.igUserId, REFUSED]]));
  });

  it('names a rejected account by its id when the archive never learned its name', async () => {
    const { account } = harness;
    vault.markRejected(account.igUserId, account.accessToken, REFUSED);
    const accounts = accountsService();
    await accounts.addConfiguredAccount(account);

    expect(graphCalls).toEqual([]);
    expect(accounts.list()).toMatchObject([
      { igUserId: account.igUserId, username: account.igUserId, state: 'reconnect-needed' },
    ]);
  });

  it('offers another token for the same account to Instagram again', async () => {
    const { account } = harness;
    vault.markRejected(account.igUserId, 'IGAA-the-token-instagram-rejected', REFUSED);
    const accounts = accountsService();
    await accounts.addConfiguredAccount(account);

    expect(graphCalls).toEqual(['/v24.0/me', `/v24.0/${account.igUserId}/subscribed_apps`]);
    expect(accounts.list()).toMatchObject([{ username: 'acme.studio', state: 'connected' }]);
  });

  it('subscribes the account to every field Inlet reads, comments included', async () => {
    const { account, client } = harness;
    expect((await client.subscription(account.igUserId)).subscribedFields).toEqual([]);
    await accountsService().addConfiguredAccount(account);

    expect((await client.subscription(account.igUserId)).subscribedFields).toEqual([
      ...INBOX_WEBHOOK_FIELDS,
    ]);
  });

  it('leaves the subscription alone when told not to repair (inlet doctor)', async () => {
    const { account, client } = harness;
    const accounts = accountsService({ subscribeAtStart: false });
    await accounts.addConfiguredAccount(account);
    await accounts.start();

    expect(graphCalls).toEqual(['/v24.0/me']);
    expect((await client.subscription(account.igUserId)).subscribedFields).toEqual([]);
    expect(accounts.list()).toMatchObject([{ state: 'connected' }]);
  });

  /** The harness's account configured with the token of another account of the same owner. */
  async function configuredWithAnotherToken() {
    const { account, client } = harness;
    const cafe = await client.createAccount({ username: 'corner.cafe' });
    const accounts = accountsService();
    await accounts.addConfiguredAccount({
      igUserId: account.igUserId,
      accessToken: cafe.accessToken,
    });
    return { account, client, cafe, accounts };
  }

  it('keeps the account connected and says why when Instagram refuses the subscription', async () => {
    // A token of another account may not subscribe this one (100/33).
    const { account, client, accounts } = await configuredWithAnotherToken();

    expect(accounts.list()).toMatchObject([{ state: 'connected' }]);
    expect((await client.subscription(account.igUserId)).subscribedFields).toEqual([]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'could not subscribe the account to webhooks',
      }),
    );
  });

  it('warns when the token belongs to another account than the one configured', async () => {
    const { account, cafe, accounts } = await configuredWithAnotherToken();

    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: 'the access token belongs to another account than INLET_IG_USER_ID',
      fields: { igUserId: account.igUserId, tokenAccount: cafe.igUserId },
    });
    expect(accounts.has(account.igUserId)).toBe(true);
  });

  it('still adds the account, named by its id, when Instagram does not answer the name', async () => {
    const { account } = harness;
    const accounts = accountsService();
    await accounts.addConfiguredAccount({
      igUserId: account.igUserId,
      accessToken: 'IGAA-a-token-instagram-never-issued',
    });

    expect(accounts.list()).toMatchObject([
      { igUserId: account.igUserId, username: account.igUserId, state: 'connected' },
    ]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'could not read the account profile from Graph',
      }),
    );
  });

  it('leaves an account connected through a login as it is', async () => {
    const { account } = harness;
    await saveLogin({
      accessToken: 'IGAA-the-login-token',
      permissions: ['instagram_business_basic', 'instagram_business_manage_messages'],
    });
    const accounts = accountsService();
    await accounts.start();
    await accounts.addConfiguredAccount(account);
    accounts.stop();

    expect(accounts.list()).toMatchObject([{ source: 'oauth', state: 'connected' }]);
    expect(accounts.token(account.igUserId)).toBe('IGAA-the-login-token');
  });

  it('re-subscribes the accounts of earlier logins at start: Meta may have dropped them', async () => {
    const { account, client } = harness;
    await saveLogin({ accessToken: account.accessToken, permissions: null });
    const accounts = accountsService();
    await accounts.start();
    accounts.stop();

    expect((await client.subscription(account.igUserId)).subscribedFields).toEqual([
      ...INBOX_WEBHOOK_FIELDS,
    ]);
  });
});

describe('AccountsService.healthAccounts: the accounts as the health checks see them', () => {
  it('gives a login’s token and the permissions it granted', async () => {
    const permissions = ['instagram_business_basic', 'instagram_business_manage_messages'];
    await saveLogin({ accessToken: 'IGAA-the-login-token', permissions });
    const accounts = accountsService();
    await accounts.start();
    accounts.stop();

    expect(await accounts.healthAccounts()).toEqual([
      {
        igUserId: harness.account.igUserId,
        username: 'acme.studio',
        token: 'IGAA-the-login-token',
        reconnectReason: null,
        permissions,
      },
    ]);
  });

  it('gives a configured token’s permissions when its issuer said them (the sandbox does)', async () => {
    const { account } = harness;
    const permissions = ['instagram_business_basic', 'instagram_business_manage_messages'];
    const accounts = accountsService();
    await accounts.addConfiguredAccount({ ...account, permissions });

    expect(await accounts.healthAccounts()).toMatchObject([
      { igUserId: account.igUserId, token: account.accessToken, permissions },
    ]);
  });

  it('gives no permissions for a token from INLET_ACCESS_TOKEN and no token for a rejected one, with why', async () => {
    const { igUserId, accessToken } = harness.account;
    vault.markRejected(igUserId, accessToken, REFUSED);
    const accounts = accountsService();
    await accounts.addConfiguredAccount({ igUserId, accessToken });

    expect(await accounts.healthAccounts()).toEqual([
      {
        igUserId,
        username: igUserId,
        token: null,
        reconnectReason: REFUSED,
        permissions: null,
      },
    ]);
  });
});

describe('AccountsService: the account’s own profile picture', () => {
  /** A picture store that keeps whatever link it is given, as the media archiver would. */
  function pictures() {
    const kept = new Map<string, string | null>();
    return {
      kept,
      picture: {
        keep: async (igUserId: string, url: string | null) => {
          kept.set(igUserId, url);
          return url !== null;
        },
        url: (igUserId: string) => (kept.get(igUserId) ? `/archive/media/${igUserId}.jpg` : null),
      },
    };
  }
  const waitFor = async (check: () => boolean) => {
    for (let tries = 0; tries < 100 && !check(); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('keeps the picture /me names for a configured account, and lists its copy', async () => {
    const { account, emulator } = harness;
    const { kept, picture } = pictures();
    let changes = 0;
    const accounts = accountsService({ picture, onChange: () => void (changes += 1) });
    await accounts.addConfiguredAccount(account);
    await waitFor(() => changes > 0);
    expect(kept.get(account.igUserId)).toBe(
      `${emulator.url}/cdn/ig_messaging_cdn/?asset_id=profile-${account.igUserId}&type=image`,
    );
    expect(accounts.list()[0]?.pictureUrl).toBe(`/archive/media/${account.igUserId}.jpg`);
  });

  it('reads the picture of an earlier login once at start, without holding the start up', async () => {
    const { account } = harness;
    await saveLogin({ accessToken: account.accessToken, permissions: null });
    const { kept, picture } = pictures();
    const accounts = accountsService({ picture, subscribeAtStart: false });
    await accounts.start();
    await waitFor(() => kept.has(account.igUserId));
    accounts.stop();
    expect(kept.get(account.igUserId)).toContain(`profile-${account.igUserId}`);
    expect(graphCalls.filter((path) => path.includes('/me'))).toHaveLength(1);
  });
});
