import { untranslated } from '../../../shared/domain/failure-reason';
import { detail } from '../../../shared/domain/localized-text';
import type { Settings } from '../../../shared/ipc/accounts-contract';
import type { InvokeParsedInput } from '../../../shared/ipc/contract';
import { TokenVault, type AppSecretName } from '../auth/token-vault';
import {
  environmentOverrides,
  regenerateVerifyToken,
  StoredSettingsSchema,
  type InletConfig,
  type VaultSecrets,
} from '../config';
import type { CoreDeps } from '../core-types';
import type { HandlersFor } from '../ipc/dispatch';
import { AppError } from '../errors';
import type { KeyValueStore, Sandbox } from '../ports';
import type { LoginSetup } from './accounts-service';
import { deriveRedirectUri, type RedirectUri } from './redirect-uri';

/** The user's explicit yes to plaintext-equivalent storage (a KV flag, not a secret). */
const ACCEPT_UNPROTECTED_KEY = 'acceptUnprotectedStorage';

/** What the running core tells settings about itself; null while it is stopped or starting. */
export type RunningView = { config: InletConfig; webhookPort: number | null } | null;

/**
 * The user's own Meta app and where its secrets live: the Settings panel's read and
 * write side, the vault holding the app secret, ngrok authtoken and account tokens, and the
 * redirect URI the login must use. The core restarts itself when a saved change alters how Inlet
 * reaches Meta; this module only says so.
 */
export class AppSettings {
  #vault: TokenVault;

  constructor(
    private readonly deps: Pick<CoreDeps, 'cipher' | 'kv' | 'env' | 'logger' | 'loginWindow'> & {
      running: () => RunningView;
      /** The tunnel's public https origin, when it is online. */
      publicUrl: () => string | null;
      /** Applies a saved change: stop and start the core (a no-op when it is not running). */
      restart: () => Promise<void>;
    },
  ) {
    // Built once, so what a memory-only vault holds survives the restart that saving settings
    // causes; rebuilt only when the user changes whether plaintext-equivalent storage is
    // acceptable.
    this.#vault = this.#buildVault();
  }

  /** App secret, ngrok authtoken and live account tokens, sealed. */
  get vault(): TokenVault {
    return this.#vault;
  }

  /**
   * Where account logins are kept: this vault, or in sandbox mode a vault for this run only, since
   * the emulator's tokens die with the emulator.
   */
  accountsVault(sandbox: boolean): TokenVault {
    const { cipher, logger } = this.deps;
    return sandbox ? new TokenVault({ cipher, kv: sessionKv(), logger }) : this.#vault;
  }

  /** The secrets the config needs; an undecryptable one reads as missing, never as plaintext. */
  async readVaultSecrets(): Promise<VaultSecrets> {
    const read = async (name: AppSecretName) => {
      const secret = await this.#vault.getSecret(name);
      if (secret.status === 'unreadable')
        this.deps.logger.warn('a saved secret could not be decrypted; enter it again in Settings', {
          name,
        });
      return secret.status === 'ok' ? secret.value : null;
    };
    const appSecret = await read('appSecret');
    return {
      appSecret,
      metaAppSecret: await read('metaAppSecret'),
      ngrokAuthtoken: await read('ngrokAuthtoken'),
      appSecretUnreadable: appSecret === null && this.#vault.hasSecret('appSecret'),
    };
  }

  /** The redirect URI registered at Meta (docs/platform.md#redirect-uri) for this configuration. */
  redirectUri(config: InletConfig, webhookPort: number | null): RedirectUri {
    const stored = this.#stored();
    return deriveRedirectUri({
      tunnelUrl: this.deps.publicUrl(),
      oauthUrl: config.oauthUrl,
      localOrigin: webhookPort ? `http://127.0.0.1:${webhookPort}` : null,
      loginWindow: this.deps.loginWindow ? { uri: stored.loginRedirectUri ?? null } : null,
    });
  }

  /**
   * What a login needs with this configuration; throws an AppError saying what is missing. In the
   * sandbox, the embedded emulator plays Meta's dashboard too: it learns the address to accept.
   */
  async loginSetup(
    config: InletConfig,
    webhookPort: number | null,
    sandbox: Pick<Sandbox, 'registerRedirectUri'> | null,
  ): Promise<LoginSetup> {
    if (!config.appId || !config.appSecret)
      throw new AppError(
        'NOT_CONNECTED',
        'Enter your Instagram app id and app secret in Settings before connecting an account.',
        { detail: detail('appNotConfigured') },
      );
    const redirect = this.redirectUri(config, webhookPort);
    if (redirect.uri === null)
      throw new AppError('NOT_CONNECTED', redirect.problem.text, {
        detail: redirect.problem.detail,
      });
    if (sandbox) await sandbox.registerRedirectUri(redirect.uri);
    return {
      appId: config.appId,
      appSecret: config.appSecret,
      oauthUrl: config.oauthUrl,
      redirectUri: redirect.uri,
      loginWindow: redirect.via === 'login-window' ? (this.deps.loginWindow ?? null) : null,
    };
  }

  /** What the Settings panel shows. Secrets are reported as present or absent, never returned. */
  current(): Settings {
    const { env, cipher, loginWindow } = this.deps;
    const running = this.deps.running();
    const stored = this.#stored();
    const config = running?.config ?? null;
    const redirect = config
      ? this.redirectUri(config, running?.webhookPort ?? null)
      : { uri: null, problem: { text: 'Inlet is starting.', detail: detail('coreStarting') } };
    const storage = this.#vault.storage();
    const isSandbox = config?.mode === 'sandbox';
    return {
      // In the sandbox the running config is the emulator's; the form shows the user's own app.
      appId: (isSandbox ? env.INLET_APP_ID?.trim() || stored.appId : config?.appId) ?? null,
      hasAppSecret: Boolean(env.INLET_APP_SECRET?.trim()) || this.#vault.hasSecret('appSecret'),
      hasMetaAppSecret:
        Boolean(env.INLET_META_APP_SECRET?.trim()) || this.#vault.hasSecret('metaAppSecret'),
      verifyToken: isSandbox || !config ? this.#verifyToken() : config.verifyToken,
      redirectUri: redirect.uri,
      redirectUriProblem: redirect.problem,
      hasLoginWindow: loginWindow !== undefined,
      loginRedirectUri: stored.loginRedirectUri ?? null,
      graphVersion: config?.graphVersion ?? stored.graphVersion ?? 'v24.0',
      hasNgrokAuthtoken:
        Boolean(env.INLET_NGROK_AUTHTOKEN?.trim()) || this.#vault.hasSecret('ngrokAuthtoken'),
      ngrokDomain: env.INLET_NGROK_DOMAIN?.trim() || stored.ngrokDomain || null,
      fromEnvironment: environmentOverrides(env),
      vault: {
        persistent: storage.persistent,
        reason: storage.persistent ? null : untranslated(storage.reason),
        canAcceptUnprotected: !cipher.isAvailable() && cipher.hasUnprotectedFallback?.() === true,
        unprotectedAccepted: this.#vault.storageMode() === 'unprotected',
      },
    };
  }

  readonly handlers = {
    'settings:get': async () => this.current(),
    'settings:update': (input) => this.update(input),
  } satisfies HandlersFor<'settings'>;

  /**
   * Saves what changed, then restarts the core: every field alters how Inlet reaches Meta (app,
   * secret, version, tunnel), and a half-applied app configuration would sign with one secret and
   * log in with another.
   */
  async update(input: InvokeParsedInput<'settings:update'>): Promise<Settings> {
    const { kv, logger } = this.deps;
    const next = { ...this.#stored() };
    if (input.appId !== undefined) {
      if (input.appId === null) delete next.appId;
      else next.appId = input.appId;
    }
    if (input.graphVersion !== undefined) next.graphVersion = input.graphVersion;
    if (input.ngrokDomain !== undefined) {
      if (input.ngrokDomain === null) delete next.ngrokDomain;
      else next.ngrokDomain = input.ngrokDomain.toLowerCase();
    }
    if (input.acceptUnprotectedStorage !== undefined)
      await this.#changeVaultMode(input.acceptUnprotectedStorage);
    if (input.loginRedirectUri !== undefined) {
      if (input.loginRedirectUri === null) delete next.loginRedirectUri;
      else next.loginRedirectUri = input.loginRedirectUri;
    }
    if (input.appSecret !== undefined) await this.#vault.setSecret('appSecret', input.appSecret);
    if (input.clearAppSecret) this.#vault.deleteSecret('appSecret');
    if (input.metaAppSecret !== undefined)
      await this.#vault.setSecret('metaAppSecret', input.metaAppSecret);
    if (input.clearMetaAppSecret) this.#vault.deleteSecret('metaAppSecret');
    if (input.ngrokAuthtoken !== undefined)
      await this.#vault.setSecret('ngrokAuthtoken', input.ngrokAuthtoken);
    if (input.clearNgrokAuthtoken) this.#vault.deleteSecret('ngrokAuthtoken');
    kv.set('settings', next);
    if (input.regenerateVerifyToken) regenerateVerifyToken(kv);
    const needsRestart = Object.keys(input).length > 0;
    logger.info('settings saved', { fields: Object.keys(input), restart: needsRestart });
    if (needsRestart) await this.deps.restart();
    return this.current();
  }

  #stored() {
    return StoredSettingsSchema.parse(this.deps.kv.get('settings') ?? {});
  }

  #verifyToken(): string {
    const env = this.deps.env.INLET_VERIFY_TOKEN?.trim();
    if (env) return env;
    const kept = this.deps.kv.get('verifyToken');
    return typeof kept === 'string' && kept.length >= 16
      ? kept
      : regenerateVerifyToken(this.deps.kv);
  }

  #buildVault(): TokenVault {
    const { cipher, kv, logger } = this.deps;
    return new TokenVault({
      cipher,
      kv,
      logger,
      acceptUnprotected: kv.get(ACCEPT_UNPROTECTED_KEY) === true,
    });
  }

  /**
   * Moves everything into a vault of the new mode; leaving plaintext-equivalent storage wipes it.
   */
  async #changeVaultMode(accept: boolean): Promise<void> {
    const { cipher, kv, logger } = this.deps;
    if (accept === (kv.get(ACCEPT_UNPROTECTED_KEY) === true)) return;
    const previous = this.#vault;
    kv.set(ACCEPT_UNPROTECTED_KEY, accept);
    const next = this.#buildVault();
    if (!accept) {
      // Read first: once purged, the disk no longer has them.
      const memory = new TokenVault({ cipher, kv: sessionKv(), logger });
      await previous.copyInto(memory);
      previous.purgePersisted();
      await memory.copyInto(next);
    } else {
      await previous.copyInto(next);
    }
    this.#vault = next;
    logger.info('secret storage changed', { mode: next.storageMode() });
  }
}

/** A key-value store that lives as long as the run (memory-only secrets, sandbox logins). */
export function sessionKv(): KeyValueStore {
  const data = new Map<string, unknown>();
  return {
    get: (key) => structuredClone(data.get(key)),
    set: (key, value) => void data.set(key, structuredClone(value)),
    delete: (key) => void data.delete(key),
  };
}
