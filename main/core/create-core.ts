import { join } from 'node:path';
import type { Account, AppStatus } from '../../shared/domain/schemas';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { Archive } from './archive/archive';
import { resolveConfig, type InletConfig } from './config';
import type { Core, CoreDeps } from './core-types';
import { describeError } from './errors';
import { createEventBus } from './event-bus';
import { createGraphClient, type GraphClient } from './graph/graph-client';
import { GraphError } from './graph/graph-errors';
import { createGraphReconciler, createGraphSender } from './inbox/graph-sender';
import { InboxService } from './inbox/inbox-service';
import { Outbox } from './inbox/outbox';
import { MEDIA_PATH, OutgoingMedia } from './inbox/outgoing-media';
import { SendingService } from './inbox/sending-service';
import type { TunnelSession } from './ports';
import { describeTunnelError } from './webhook/ngrok-tunnel';
import { WEBHOOK_PATH, WebhookServer } from './webhook/webhook-server';

type ConnectedAccount = Account & { accessToken: string };

const MEDIA_NEEDS_TUNNEL =
  'Attachments need the public address (tunnel) to be online, so Instagram can fetch the file. Retry once it is.';

type Running = {
  config: InletConfig;
  archive: Archive;
  sandbox: Sandbox | null;
  webhook: WebhookServer;
  inbox: InboxService;
  outbox: Outbox;
  sending: SendingService;
  accounts: Map<string, ConnectedAccount>;
};

/**
 * The composition of Inlet's core, shared by the desktop and headless shells. `start` brings it up
 * in dependency order; `stop` tears down whatever came up, in reverse.
 */
/**
 * Issue #6: an account whose token expired (190) has its outbox paused, its messages kept queued
 * with "connect the account again". The accounts flow calls `resumeSending` once the account is
 * connected again (new token in place), and they go out in order.
 */
export type SendingHooks = { resumeSending(igUserId: string): void };

export function createCore(deps: CoreDeps): Core & SendingHooks {
  const { logger, clock } = deps;
  const events = createEventBus(logger);
  let running: Running | null = null;
  let starting: Promise<void> | null = null;
  let tunnel: TunnelSession | null = null;
  let tunnelState: AppStatus['tunnel'] = { state: 'off', error: null };

  const status = (): AppStatus => ({
    mode: running?.config.mode ?? 'sandbox',
    accounts: [...(running?.accounts.values() ?? [])].map(({ igUserId, username }) => ({
      igUserId,
      username,
    })),
    webhookUrl: running?.webhook.url ?? null,
    publicWebhookUrl: tunnel ? `${tunnel.url}${WEBHOOK_PATH}` : null,
    tunnel: tunnelState,
    lastEventAt: running?.inbox.lastEventAt ?? null,
  });
  const publishStatus = () => events.emit('app:statusChanged', status());

  const requireRunning = (): Running => {
    if (!running) throw new Error('Inlet core is not started');
    return running;
  };

  async function bringUp(): Promise<void> {
    let config = resolveConfig(deps.env, deps.kv, deps.options);
    const sandbox =
      config.mode === 'sandbox' ? await startSandbox({ clock, logger, fetch: deps.fetch }) : null;
    try {
      if (sandbox) config = sandboxConfig(config, sandbox);
      // Sandbox data never mixes with a real inbox's archive.
      const archive = new Archive(
        join(deps.dataDir, config.mode === 'sandbox' ? 'sandbox.sqlite' : 'archive.sqlite'),
      );
      const graph = createGraphClient({
        fetch: deps.fetch,
        graphUrl: config.graphUrl,
        tokenUrl: config.tokenUrl,
        version: config.graphVersion,
        logger,
        clock,
        // Usage headers of every call (sends, reads) pace the outbox app-wide (§5.2).
        onUsage: (usage) => outbox.noteUsage(usage),
      });
      const accounts = new Map<string, ConnectedAccount>();
      const token = (igUserId: string) => accounts.get(igUserId)?.accessToken ?? null;
      // Issue #6: attached files, served to Meta under the public origin while a send needs them.
      const media = new OutgoingMedia({
        dir: join(deps.dataDir, config.mode === 'sandbox' ? 'sandbox-media-out' : 'media-out'),
        clock,
        logger,
      });
      const outbox: Outbox = new Outbox({
        archive,
        events,
        logger,
        clock,
        sender: createGraphSender(graph, token, {
          publish: async (path) => {
            // The sandbox's Meta runs on this machine; a live one needs the tunnel.
            const origin =
              tunnel?.url ??
              (config.mode === 'sandbox' && running?.webhook.port
                ? `http://127.0.0.1:${running.webhook.port}`
                : null);
            if (origin === null) return { ok: false, reason: MEDIA_NEEDS_TUNNEL };
            if (!(await media.publish(path)))
              return { ok: false, reason: 'The attached file is no longer on this computer.' };
            return { ok: true, url: `${origin}${path}` };
          },
        }),
        reconciler: createGraphReconciler(graph, token),
      });
      const inbox = new InboxService({
        archive,
        events,
        outbox,
        clock,
        logger,
        isConnectedAccount: (igUserId) => accounts.has(igUserId),
        lookupProfile: async (accountId, customerId) => {
          const accessToken = token(accountId);
          if (accessToken === null) return null;
          try {
            const profile = await graph.getUserProfile(accessToken, customerId);
            return { username: profile.username, name: profile.name };
          } catch (error) {
            if (!(error instanceof GraphError)) throw error;
            // Code 230 (never messaged) and blocked customers are expected: show the IGSID instead.
            logger.info('customer profile not available', { reason: error.failure.reason });
            return null;
          }
        },
      });
      const sending = new SendingService({
        archive,
        events,
        outbox,
        graph,
        media,
        tokenFor: token,
        isConnectedAccount: (igUserId) => accounts.has(igUserId),
        kv: deps.kv,
        clock,
        logger,
      });
      const webhook = new WebhookServer({
        port: config.webhookPort,
        secrets: () => (config.appSecret ? [config.appSecret] : []),
        verifyToken: () => config.verifyToken,
        onDelivery: (body) => {
          inbox.acceptDelivery(body);
          publishStatus();
        },
        logger,
      });
      webhook.mount(MEDIA_PATH, media.handler);
      void media
        .prune()
        .catch((error: unknown) =>
          logger.warn('old attachments not pruned', { error: String(error) }),
        );
      running = { config, archive, sandbox, webhook, inbox, outbox, sending, accounts };
      const account = sandbox?.account ?? config.staticAccount;
      if (account) {
        const connected = await describeAccount(graph, account.igUserId, account.accessToken);
        accounts.set(connected.igUserId, connected);
        archive.upsertAccount(connected.igUserId, connected.username);
      }
      if (config.mode === 'live' && !config.appSecret) {
        logger.warn(
          'INLET_APP_SECRET is not set: webhook signatures cannot be checked, so deliveries are refused',
        );
      }
      await inbox.processPending();
      outbox.recover();
      await webhook.start();
      logger.info('webhook listener ready', { url: webhook.url, mode: config.mode });
      if (sandbox && webhook.url) await sandbox.attach(webhook.url);
      if (config.mode === 'live' && !deps.options?.noTunnel) void openTunnel(config, webhook);
    } catch (error) {
      await sandbox?.stop();
      throw error;
    }
  }

  async function describeAccount(
    graph: GraphClient,
    igUserId: string,
    accessToken: string,
  ): Promise<ConnectedAccount> {
    try {
      const me = await graph.getMe(accessToken);
      if (me.igUserId !== igUserId) {
        logger.warn('the access token belongs to another account than INLET_IG_USER_ID', {
          igUserId,
          tokenAccount: me.igUserId,
        });
      }
      return { igUserId, username: me.username, accessToken };
    } catch (error) {
      // The inbox still works from webhooks; the name is cosmetic and is fetched again next start.
      logger.warn('could not read the account profile from Graph', {
        igUserId,
        error: describeError(error),
      });
      return { igUserId, username: igUserId, accessToken };
    }
  }

  async function openTunnel(config: InletConfig, webhook: WebhookServer): Promise<void> {
    if (!config.ngrok || webhook.port === null) {
      tunnelState = {
        state: 'off',
        error:
          'No ngrok authtoken configured (INLET_NGROK_AUTHTOKEN): Meta cannot reach this machine.',
      };
      publishStatus();
      return;
    }
    tunnelState = { state: 'connecting', error: null };
    publishStatus();
    try {
      const session = await deps.tunnel.open({
        localPort: webhook.port,
        authtoken: config.ngrok.authtoken,
        ...(config.ngrok.domain ? { domain: config.ngrok.domain } : {}),
      });
      if (running?.webhook !== webhook) {
        await session.close(); // stopped while connecting
        return;
      }
      tunnel = session;
      tunnelState = { state: 'online', error: null };
      logger.info('tunnel online', { url: session.url });
    } catch (error) {
      tunnelState = { state: 'error', error: describeTunnelError(error) };
      logger.warn('tunnel failed', { error: tunnelState.error });
    }
    publishStatus();
  }

  async function stop(): Promise<void> {
    const current = running;
    running = null;
    starting = null;
    const session = tunnel;
    tunnel = null;
    tunnelState = { state: 'off', error: null };
    await session
      ?.close()
      .catch((error: unknown) => logger.warn('tunnel close failed', { error: String(error) }));
    if (!current) return;
    await current.webhook.stop();
    await current.inbox.idle();
    await current.outbox.close(); // in-flight sends still need the sandbox's Graph to answer
    await current.sandbox?.stop();
    current.archive.close();
  }

  return {
    handlers: {
      'app:getStatus': () => Promise.resolve(status()),
      'inbox:listConversations': (input) =>
        requireRunning().inbox.handlers.listConversations(input),
      'inbox:listMessages': (input) => requireRunning().inbox.handlers.listMessages(input),
      'inbox:sendText': (input) => requireRunning().inbox.handlers.sendText(input),
      'inbox:markRead': async (input) => {
        const { archive, inbox, sending } = requireRunning();
        const before = archive.findConversation(input.conversationId);
        const result = await inbox.handlers.markRead(input);
        // Issue #6: reading a thread with unread messages tells Instagram (mark_seen, §3.5).
        if (before !== null && before.unreadCount > 0) sending.markSeen(result.conversation);
        return result;
      },
      'inbox:retryMessage': (input) => requireRunning().inbox.handlers.retryMessage(input),
      'inbox:deleteMessage': (input) => requireRunning().inbox.handlers.deleteMessage(input),
      // --- issue #6: message kinds and sending settings ---
      'sending:sendReply': (input) => requireRunning().sending.handlers.sendReply(input),
      'sending:sendAttachment': (input) => requireRunning().sending.handlers.sendAttachment(input),
      'sending:react': (input) => requireRunning().sending.handlers.react(input),
      'sending:unreact': (input) => requireRunning().sending.handlers.unreact(input),
      'sending:setTyping': (input) => requireRunning().sending.handlers.setTyping(input),
      'sending:privateReply': (input) => requireRunning().sending.handlers.privateReply(input),
      'sending:getSettings': () => requireRunning().sending.handlers.getSettings(),
      'sending:setSettings': (input) => requireRunning().sending.handlers.setSettings(input),
    },
    events,
    status,
    // Hook point for the accounts flow (reconnect): resume the account's paused outbox.
    resumeSending: (igUserId) => running?.outbox.resumeAccount(igUserId),
    start() {
      starting ??= bringUp().catch(async (error: unknown) => {
        await stop();
        throw error;
      });
      return starting;
    },
    stop,
  };
}
/** In sandbox mode every Instagram endpoint is the embedded emulator: nothing can reach Meta. */
function sandboxConfig(config: InletConfig, sandbox: Sandbox): InletConfig {
  return {
    ...config,
    appId: sandbox.appId,
    appSecret: sandbox.appSecret,
    verifyToken: sandbox.verifyToken,
    graphUrl: sandbox.emulatorUrl,
    tokenUrl: sandbox.emulatorUrl,
    oauthUrl: sandbox.emulatorUrl,
    staticAccount: null,
    ngrok: null,
  };
}
