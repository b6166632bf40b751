import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { FailureReason } from '../../shared/domain/failure-reason';
import { detail } from '../../shared/domain/localized-text';
import type { AppMode } from '../../shared/domain/schemas';
import type { CoreOptions } from './core-types';
import type { KeyValueStore, Sandbox } from './ports';

export const DEFAULT_GRAPH_URL = 'https://graph.instagram.com';
export const DEFAULT_TOKEN_URL = 'https://api.instagram.com';
export const DEFAULT_OAUTH_URL = 'https://www.instagram.com';
export const DEFAULT_GRAPH_VERSION = 'v24.0';
/** A stable port in live mode, so a developer's own tunnel keeps pointing at the right place. */
export const DEFAULT_LIVE_WEBHOOK_PORT = 4871;

export type Env = Readonly<Record<string, string | undefined>>;

export type InletConfig = {
  mode: AppMode;
  /** Why this is the sandbox although the owner had configured a Meta app; null otherwise. */
  sandboxReason: FailureReason | null;
  appId: string | null;
  /** Signs webhooks and authorizes token exchanges; never leaves the main process. */
  appSecret: string | null;
  /**
   * The Meta app secret, when the owner gave it too: Meta's material conflicts on which secret
   * signs Instagram webhooks, so either is accepted (docs/platform.md#signatures).
   */
  metaAppSecret: string | null;
  verifyToken: string;
  graphUrl: string;
  tokenUrl: string;
  oauthUrl: string;
  graphVersion: string;
  /** One account connected without OAuth (a token generated in Meta's dashboard). */
  staticAccount: { igUserId: string; accessToken: string } | null;
  ngrok: { authtoken: string; domain: string | null } | null;
  webhookPort: number;
};

/** Non-secret settings kept in the data dir; secrets come from the environment or the vault. */
export const StoredSettingsSchema = z
  .object({
    appId: z.string().optional(),
    graphUrl: z.string().optional(),
    tokenUrl: z.string().optional(),
    oauthUrl: z.string().optional(),
    graphVersion: z.string().optional(),
    ngrokDomain: z.string().optional(),
    /** The https redirect URI the desktop login window catches when there is no tunnel. */
    loginRedirectUri: z.string().optional(),
  })
  .catch({});

const VERSION_FORMAT = /^v\d+\.\d+$/;

export type StoredSettings = z.infer<typeof StoredSettingsSchema>;

/** Secrets the vault holds, read before the config is resolved; env still wins. */
export type VaultSecrets = {
  appSecret: string | null;
  metaAppSecret: string | null;
  ngrokAuthtoken: string | null;
  /** A saved app secret exists but this machine could not unseal it (keychain changed or gone). */
  appSecretUnreadable?: boolean;
};
const NO_SECRETS: VaultSecrets = { appSecret: null, metaAppSecret: null, ngrokAuthtoken: null };

export class ConfigError extends Error {}

/** Where Inlet keeps its data by default: the same folder Electron's `userData` points to. */
export function defaultDataDir(env: Env = process.env, platform = process.platform): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Inlet');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Inlet');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Inlet');
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function baseUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name} must be an http(s) URL, got "${value}"`);
  }
  return url.toString().replace(/\/+$/, '');
}

/**
 * Environment beats the settings file beats defaults. Sandbox mode is chosen when asked for, or
 * when no Meta app is configured at all: a new user opens a working inbox, and nothing calls Meta.
 */
export function resolveConfig(
  env: Env,
  kv: KeyValueStore,
  options: CoreOptions = {},
  secrets: VaultSecrets = NO_SECRETS,
): InletConfig {
  const stored = StoredSettingsSchema.parse(kv.get('settings') ?? {});
  const appId = nonEmpty(env.INLET_APP_ID) ?? nonEmpty(stored.appId);
  const appSecret = nonEmpty(env.INLET_APP_SECRET) ?? secrets.appSecret;
  const igUserId = nonEmpty(env.INLET_IG_USER_ID);
  const accessToken = nonEmpty(env.INLET_ACCESS_TOKEN);
  if ((igUserId === null) !== (accessToken === null)) {
    throw new ConfigError('INLET_IG_USER_ID and INLET_ACCESS_TOKEN must be set together.');
  }
  if (igUserId !== null && !/^\d+$/.test(igUserId)) {
    throw new ConfigError(
      'INLET_IG_USER_ID must be the numeric Instagram professional account id (/me?fields=user_id).',
    );
  }
  const graphVersion =
    nonEmpty(env.INLET_GRAPH_VERSION) ?? stored.graphVersion ?? DEFAULT_GRAPH_VERSION;
  if (!VERSION_FORMAT.test(graphVersion)) {
    throw new ConfigError(`INLET_GRAPH_VERSION must look like v24.0, got "${graphVersion}"`);
  }
  const isConfigured = appSecret !== null || igUserId !== null;
  const mode: AppMode = options.sandbox === true || !isConfigured ? 'sandbox' : 'live';
  // Falling back to the sandbox because the owner's own secret is locked away must be said, or
  // their real inbox seems to have vanished.
  const sandboxReason =
    mode === 'sandbox' && options.sandbox !== true && secrets.appSecretUnreadable === true
      ? {
          text: 'Inlet could not unlock the app secret saved on this computer (the system keychain may have changed), so it shows the sandbox. Enter the secret again in Settings.',
          detail: detail('appSecretUnreadable'),
        }
      : null;
  const authtoken = nonEmpty(env.INLET_NGROK_AUTHTOKEN) ?? secrets.ngrokAuthtoken;
  return {
    mode,
    sandboxReason,
    appId,
    appSecret,
    metaAppSecret: nonEmpty(env.INLET_META_APP_SECRET) ?? secrets.metaAppSecret,
    verifyToken: nonEmpty(env.INLET_VERIFY_TOKEN) ?? persistentVerifyToken(kv),
    graphUrl: baseUrl(
      'INLET_GRAPH_URL',
      nonEmpty(env.INLET_GRAPH_URL) ?? stored.graphUrl ?? DEFAULT_GRAPH_URL,
    ),
    tokenUrl: baseUrl(
      'INLET_TOKEN_URL',
      nonEmpty(env.INLET_TOKEN_URL) ?? stored.tokenUrl ?? DEFAULT_TOKEN_URL,
    ),
    oauthUrl: baseUrl(
      'INLET_OAUTH_URL',
      nonEmpty(env.INLET_OAUTH_URL) ?? stored.oauthUrl ?? DEFAULT_OAUTH_URL,
    ),
    graphVersion,
    staticAccount: igUserId !== null && accessToken !== null ? { igUserId, accessToken } : null,
    ngrok: authtoken
      ? { authtoken, domain: nonEmpty(env.INLET_NGROK_DOMAIN) ?? nonEmpty(stored.ngrokDomain) }
      : null,
    webhookPort:
      options.webhookPort ??
      portFrom(env.INLET_WEBHOOK_PORT) ??
      (mode === 'live' ? DEFAULT_LIVE_WEBHOOK_PORT : 0),
  };
}

function portFrom(value: string | undefined): number | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`INLET_WEBHOOK_PORT must be a port number, got "${text}"`);
  }
  return port;
}

/** The verify token is generated once and kept, so the value pasted into Meta's dashboard stays valid. */
function persistentVerifyToken(kv: KeyValueStore): string {
  const existing = kv.get('verifyToken');
  if (typeof existing === 'string' && existing.length >= 16) return existing;
  return regenerateVerifyToken(kv);
}

/** A new random verify token (the old one stops matching Meta's dashboard until pasted again). */
export function regenerateVerifyToken(kv: KeyValueStore): string {
  const token = randomBytes(18).toString('base64url');
  kv.set('verifyToken', token);
  return token;
}

/** Which settings the environment overrides, so the Settings form shows them read-only. */
export function environmentOverrides(env: Env) {
  const fields: (
    'appId' | 'appSecret' | 'verifyToken' | 'graphVersion' | 'ngrok' | 'metaAppSecret'
  )[] = [];
  if (nonEmpty(env.INLET_APP_ID)) fields.push('appId');
  if (nonEmpty(env.INLET_APP_SECRET)) fields.push('appSecret');
  if (nonEmpty(env.INLET_VERIFY_TOKEN)) fields.push('verifyToken');
  if (nonEmpty(env.INLET_GRAPH_VERSION)) fields.push('graphVersion');
  if (nonEmpty(env.INLET_NGROK_AUTHTOKEN)) fields.push('ngrok');
  if (nonEmpty(env.INLET_META_APP_SECRET)) fields.push('metaAppSecret');
  return fields;
}

/** In sandbox mode every Instagram endpoint is the embedded emulator: nothing can reach Meta. */
export function sandboxConfig(
  config: InletConfig,
  sandbox: Pick<Sandbox, 'appId' | 'appSecret' | 'verifyToken' | 'emulatorUrl'>,
): InletConfig {
  return {
    ...config,
    appId: sandbox.appId,
    appSecret: sandbox.appSecret,
    metaAppSecret: null,
    verifyToken: sandbox.verifyToken,
    graphUrl: sandbox.emulatorUrl,
    tokenUrl: sandbox.emulatorUrl,
    oauthUrl: sandbox.emulatorUrl,
    staticAccount: null,
    ngrok: null,
  };
}

/** What the log should say at start about a configuration that runs but cannot do its job. */
export function configWarnings(config: InletConfig): string[] {
  return config.mode === 'live' && !config.appSecret
    ? [
        'INLET_APP_SECRET is not set: webhook signatures cannot be checked, so deliveries are refused',
      ]
    : [];
}
