import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  configWarnings,
  DEFAULT_LIVE_WEBHOOK_PORT,
  defaultDataDir,
  resolveConfig,
  sandboxConfig,
} from '../../../../main/core/config';
import { memoryKv } from '../../../fakes/memory-kv';

describe('resolveConfig', () => {
  it('is the sandbox when no Meta app is configured, with Instagram defaults otherwise untouched', () => {
    const config = resolveConfig({}, memoryKv());
    expect(config).toMatchObject({
      mode: 'sandbox',
      appSecret: null,
      graphUrl: 'https://graph.instagram.com',
      tokenUrl: 'https://api.instagram.com',
      oauthUrl: 'https://www.instagram.com',
      graphVersion: 'v24.0',
      staticAccount: null,
      webhookPort: 0,
    });
  });

  it('is live with an app secret or a dashboard token, and --sandbox forces the sandbox', () => {
    expect(resolveConfig({ INLET_APP_SECRET: 's' }, memoryKv()).mode).toBe('live');
    const env = { INLET_IG_USER_ID: '17841405309211844', INLET_ACCESS_TOKEN: 'IGAAtoken' };
    const live = resolveConfig(env, memoryKv());
    expect(live).toMatchObject({
      mode: 'live',
      staticAccount: { igUserId: '17841405309211844', accessToken: 'IGAAtoken' },
      webhookPort: DEFAULT_LIVE_WEBHOOK_PORT,
    });
    expect(resolveConfig(env, memoryKv(), { sandbox: true }).mode).toBe('sandbox');
  });

  it('lets the environment beat stored settings, which beat defaults', () => {
    const kv = memoryKv({
      settings: { appId: '111', graphUrl: 'http://127.0.0.1:9/', graphVersion: 'v23.0' },
    });
    expect(resolveConfig({}, kv)).toMatchObject({
      appId: '111',
      graphUrl: 'http://127.0.0.1:9',
      graphVersion: 'v23.0',
    });
    const env = {
      INLET_APP_ID: '222',
      INLET_GRAPH_URL: 'http://127.0.0.1:7',
      INLET_GRAPH_VERSION: 'v25.0',
      INLET_TOKEN_URL: 'http://127.0.0.1:8',
      INLET_OAUTH_URL: 'http://127.0.0.1:6',
    };
    expect(resolveConfig(env, kv)).toMatchObject({
      appId: '222',
      graphUrl: 'http://127.0.0.1:7',
      tokenUrl: 'http://127.0.0.1:8',
      oauthUrl: 'http://127.0.0.1:6',
      graphVersion: 'v25.0',
    });
  });

  it('ignores a corrupt settings value instead of failing to start', () => {
    expect(resolveConfig({}, memoryKv({ settings: 'garbage' })).graphUrl).toBe(
      'https://graph.instagram.com',
    );
  });

  it('generates a verify token once and keeps it; the environment overrides it', () => {
    const kv = memoryKv();
    const first = resolveConfig({}, kv).verifyToken;
    expect(first.length).toBeGreaterThanOrEqual(16);
    expect(resolveConfig({}, kv).verifyToken).toBe(first);
    expect(resolveConfig({ INLET_VERIFY_TOKEN: 'mine' }, kv).verifyToken).toBe('mine');
  });

  it.each([
    [{ INLET_IG_USER_ID: '1784' }, /set together/],
    [{ INLET_ACCESS_TOKEN: 'IGAA' }, /set together/],
    [{ INLET_IG_USER_ID: 'acme.studio', INLET_ACCESS_TOKEN: 'IGAA' }, /numeric/],
    [{ INLET_GRAPH_URL: 'graph.instagram.com' }, /absolute URL/],
    [{ INLET_GRAPH_URL: 'file:///etc/passwd' }, /http\(s\)/],
    [{ INLET_GRAPH_VERSION: '24' }, /v24\.0/],
    [{ INLET_WEBHOOK_PORT: '70000' }, /port number/],
  ])('explains a bad setting %o', (env, message) => {
    expect(() => resolveConfig(env, memoryKv())).toThrow(ConfigError);
    expect(() => resolveConfig(env, memoryKv())).toThrow(message);
  });

  it('reads ngrok settings only when an authtoken is given', () => {
    expect(resolveConfig({ INLET_NGROK_DOMAIN: 'x.ngrok.app' }, memoryKv()).ngrok).toBeNull();
    expect(
      resolveConfig({ INLET_NGROK_AUTHTOKEN: 't', INLET_NGROK_DOMAIN: 'x.ngrok.app' }, memoryKv())
        .ngrok,
    ).toEqual({ authtoken: 't', domain: 'x.ngrok.app' });
  });
});

describe('defaultDataDir', () => {
  it('follows each OS convention, like Electron userData', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux')).toBe('/x/cfg/Inlet');
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Inlet$/);
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(
      /Roaming.Inlet$/,
    );
  });
});

describe('sandboxConfig', () => {
  it('points every Instagram endpoint at the emulator and drops what would reach Meta', () => {
    const live = resolveConfig(
      {
        INLET_APP_ID: '990602627938098',
        INLET_APP_SECRET: 'the-owner-app-secret',
        INLET_IG_USER_ID: '17841400000000001',
        INLET_ACCESS_TOKEN: 'IGAA-owner-token',
        INLET_NGROK_AUTHTOKEN: '2abcNgrokAuthtoken',
      },
      memoryKv(),
    );
    const emulator = {
      appId: '111111111111111',
      appSecret: 'emulator-app-secret',
      verifyToken: 'emulator-verify-token',
      emulatorUrl: 'http://127.0.0.1:4300',
    };

    expect(sandboxConfig(live, emulator)).toEqual({
      ...live,
      appId: '111111111111111',
      appSecret: 'emulator-app-secret',
      verifyToken: 'emulator-verify-token',
      graphUrl: 'http://127.0.0.1:4300',
      tokenUrl: 'http://127.0.0.1:4300',
      oauthUrl: 'http://127.0.0.1:4300',
      staticAccount: null,
      ngrok: null,
    });
  });
});

describe('configWarnings', () => {
  it('warns in live mode without an app secret: deliveries cannot be checked, so they are refused', () => {
    // The environment's account without the app's secret: live, but deaf to webhooks.
    const config = resolveConfig(
      { INLET_IG_USER_ID: '17841400000000001', INLET_ACCESS_TOKEN: 'IGAA-owner-token' },
      memoryKv(),
    );
    expect(config.mode).toBe('live');
    expect(configWarnings(config)).toEqual([
      'INLET_APP_SECRET is not set: webhook signatures cannot be checked, so deliveries are refused',
    ]);
    expect(configWarnings({ ...config, appSecret: 'the-owner-app-secret' })).toEqual([]);
  });

  it('has nothing to say about the sandbox, whose emulator brings its own secret', () => {
    expect(configWarnings(resolveConfig({}, memoryKv()))).toEqual([]);
  });
});
