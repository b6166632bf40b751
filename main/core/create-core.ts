import { join } from 'node:path';
import type { Account, AppStatus } from '../../shared/domain/schemas';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { Archive } from './archive/archive';
import { DeliveryWriter } from './archive/delivery-writer';
import { MediaStore } from './archive/media-store';
import { writeExport } from './archive/export';
import { resolveConfig, type InletConfig } from './config';
import type { Core, CoreDeps } from './core-types';
import { describeError } from './errors';
import { createEventBus } from './event-bus';
import { createGraphClient, type GraphClient } from './graph/graph-client';
import { GraphError } from './graph/graph-errors';
import { createGraphSender } from './inbox/graph-sender';
import { InboxService } from './inbox/inbox-service';
import { CatchUp } from './inbox/catch-up';
import { MediaArchiver } from './inbox/media-archiver';
import { Outbox } from './inbox/outbox';
import { TunnelKeeper } from './webhook/tunnel-keeper';
import { WEBHOOK_PATH, WebhookServer } from './webhook/webhook-server';

type ConnectedAccount = Account & { accessToken: string };

type Running = {
  config: InletConfig;
  archive: Archive;
  deliveryWriter: DeliveryWriter;
  media: { store: MediaStore; archiver: MediaArchiver; dir: string };
  catchUp: { run: () => void; stop: () => Promise<void> };
  sandbox: Sandbox | null;
  webhook: WebhookServer;
  inbox: InboxService;
  outbox: Outbox;
  accounts: Map<string, ConnectedAccount>;
};

/**
 * The composition of Inlet's core, shared by the desktop and headless shells. `start` brings it up
 * in dependency order; `stop` tears down whatever came up, in reverse.
 */
export function createCore(deps: CoreDeps): Core {
  const { logger, clock } = deps;
  const events = createEventBus(logger);
  let running: Running | null = null;
  let starting: Promise<void> | null = null;
  let tunnel: TunnelKeeper | null = null;
  let tunnelState: AppStatus['tunnel'] = { state: 'off', error: null, retryAt: null };
  let publicUrl: string | null = null;

  const status = (): AppStatus => ({
    mode: running?.config.mode ?? 'sandbox',
    accounts: [...(running?.accounts.values() ?? [])].map(({ igUserId, username }) => ({
      igUserId,
      username,
    })),
    webhookUrl: running?.webhook.url ?? null,
    publicWebhookUrl: publicUrl === null ? null : `${publicUrl}${WEBHOOK_PATH}`,
    tunnel: tunnelState,
    verifyToken: running?.config.verifyToken ?? null,
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
      const archivePath = join(
        deps.dataDir,
        config.mode === 'sandbox' ? 'sandbox.sqlite' : 'archive.sqlite',
      );
      const archive = new Archive(archivePath);
      const deliveryWriter = new DeliveryWriter(archivePath);
      // Archived attachments, beside the archive they belong to (sandbox media stays apart too).
      const mediaDir = join(deps.dataDir, config.mode === 'sandbox' ? 'sandbox-media' : 'media');
      const mediaStore = new MediaStore(archivePath);
      const mediaArchiver = new MediaArchiver({
        store: mediaStore,
        dir: mediaDir,
        fetch: deps.fetch,
        clock,
        logger,
        onArchived: (messageId) => {
          const message = archive.findMessage(messageId);
          const conversation = message && archive.findConversation(message.conversationId);
          if (message && conversation) events.emit('inbox:messageSaved', { message, conversation });
        },
      });
      const graph = createGraphClient({
        fetch: deps.fetch,
        graphUrl: config.graphUrl,
        tokenUrl: config.tokenUrl,
        version: config.graphVersion,
        logger,
      });
      const accounts = new Map<string, ConnectedAccount>();
      const token = (igUserId: string) => accounts.get(igUserId)?.accessToken ?? null;
      const outbox = new Outbox({
        archive,
        events,
        logger,
        sender: createGraphSender(graph, token),
      });
      const inbox = new InboxService({
        archive,
        events,
        outbox,
        clock,
        logger,
        isConnectedAccount: (igUserId) => accounts.has(igUserId),
        storeDeliveries: (items) => deliveryWriter.write(items),
        archiveMedia: (message) => mediaArchiver.archive(message),
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
      const webhook = new WebhookServer({
        port: config.webhookPort,
        secrets: () => (config.appSecret ? [config.appSecret] : []),
        verifyToken: () => config.verifyToken,
        onDelivery: async (body) => {
          await inbox.acceptDelivery(body);
          publishStatus();
        },
        logger,
      });
      const catchUp = new CatchUp({
        graph,
        archive,
        logger,
        onSaved: (saved) => {
          events.emit('inbox:messageSaved', saved);
          mediaArchiver.archive(saved.message);
        },
        onConversation: (conversation) => events.emit('inbox:conversationSaved', conversation),
        settled: (conversationId) => outbox.settled(conversationId),
      });
      // What webhooks missed while Inlet or its tunnel was down (issue #5). Live mode only: the
      // sandbox's emulator starts and stops with Inlet, so it has nothing Inlet could have missed.
      const runCatchUp = () => {
        if (config.mode !== 'live') return;
        for (const { igUserId, accessToken } of accounts.values()) {
          catchUp.run(igUserId, accessToken).catch((error: unknown) =>
            logger.warn('catch-up through the Conversations API failed', {
              igUserId,
              error: describeError(error),
            }),
          );
        }
      };
      running = {
        config,
        archive,
        deliveryWriter,
        media: { store: mediaStore, archiver: mediaArchiver, dir: mediaDir },
        catchUp: { run: runCatchUp, stop: () => catchUp.stop() },
        sandbox,
        webhook,
        inbox,
        outbox,
        accounts,
      };
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
      mediaArchiver.resume();
      outbox.recover();
      await webhook.start();
      logger.info('webhook listener ready', { url: webhook.url, mode: config.mode });
      if (sandbox && webhook.url) await sandbox.attach(webhook.url);
      if (config.mode === 'live' && !deps.options?.noTunnel) startTunnel(config, webhook);
      runCatchUp();
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

  function startTunnel(config: InletConfig, webhook: WebhookServer): void {
    if (!config.ngrok || webhook.port === null) {
      tunnelState = {
        state: 'off',
        error:
          'No ngrok authtoken configured (INLET_NGROK_AUTHTOKEN): Meta cannot reach this machine.',
        retryAt: null,
      };
      publishStatus();
      return;
    }
    let wasOffline = false;
    tunnel = new TunnelKeeper({
      provider: deps.tunnel,
      localPort: webhook.port,
      authtoken: config.ngrok.authtoken,
      domain: config.ngrok.domain,
      logger,
      now: () => clock.now(),
      onChange: (state) => {
        // Back online after a drop or failed connect: fetch what Meta could not deliver meanwhile.
        if (state.state === 'online' && wasOffline) running?.catchUp.run();
        wasOffline = state.state !== 'online';
        tunnelState = { state: state.state, error: state.error, retryAt: state.retryAt };
        publicUrl = state.url;
        publishStatus();
      },
    });
    tunnel.start();
  }

  async function stop(): Promise<void> {
    const current = running;
    running = null;
    starting = null;
    const keeper = tunnel;
    tunnel = null;
    await keeper?.stop();
    tunnelState = { state: 'off', error: null, retryAt: null };
    publicUrl = null;
    if (!current) return;
    await current.webhook.stop();
    await current.catchUp.stop();
    await current.inbox.idle();
    await current.media.archiver.stop();
    current.media.store.close();
    await current.deliveryWriter.close();
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
      'inbox:markRead': (input) => requireRunning().inbox.handlers.markRead(input),
      'inbox:retryMessage': (input) => requireRunning().inbox.handlers.retryMessage(input),
      'inbox:deleteMessage': (input) => requireRunning().inbox.handlers.deleteMessage(input),
    },
    events,
    status,
    start() {
      starting ??= bringUp().catch(async (error: unknown) => {
        await stop();
        throw error;
      });
      return starting;
    },
    stop,
    mediaFile(name) {
      const media = running?.media;
      const found = media?.store.findFile(name);
      return media && found
        ? { path: join(media.dir, found.file), contentType: found.contentType }
        : null;
    },
    exportArchive(format, write) {
      writeExport(requireRunning().archive, { format, now: clock.now() }, write);
    },
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
