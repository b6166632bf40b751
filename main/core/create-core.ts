import { join } from 'node:path';
import { detail } from '../../shared/domain/localized-text';
import type { AppStatus } from '../../shared/domain/schemas';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { AccountsService } from './accounts/accounts-service';
import { AppSettings, sessionKv } from './accounts/app-settings';
import { Archive } from './archive/archive';
import { DeliveryWriter } from './archive/delivery-writer';
import { MediaStore } from './archive/media-store';
import { writeExport } from './archive/export';
import { CALLBACK_PATH } from './auth/oauth-flow';
import { TokenVault } from './auth/token-vault';
import { resolveConfig, type InletConfig } from './config';
import { SavedRepliesStore } from './archive/saved-replies-store';
import { SearchStore } from './archive/search-store';
import { TriageStore } from './archive/triage-store';
import type { Core, CoreDeps } from './core-types';
import { AppError, describeError } from './errors';
import { createEventBus } from './event-bus';
import { createGraphClient, type GraphClient } from './graph/graph-client';
import { GraphError } from './graph/graph-errors';
import { createGraphReconciler, createGraphSender } from './inbox/graph-sender';
import { InboxService } from './inbox/inbox-service';
import { CatchUp } from './inbox/catch-up';
import { MediaArchiver } from './inbox/media-archiver';
import { heldReason, Outbox } from './inbox/outbox';
import { MEDIA_PATH, OutgoingMedia } from './inbox/outgoing-media';
import { SendingService } from './inbox/sending-service';
import { CommentsStore } from './archive/comments-store';
import { CommentsService } from './comments/comments-service';
import { DmNotifications, unreadConversationCount } from './notify/dm-notifications';
import { TunnelKeeper } from './webhook/tunnel-keeper';
import { savedRepliesHandlers } from './triage/saved-replies';
import { TriageService } from './triage/triage-service';
import { WEBHOOK_PATH, WebhookServer } from './webhook/webhook-server';
import { readAppVersion } from './app-version';
import { UpdatePolicy } from './updates/update-policy';
import { updatesHandlers } from './updates/updates-handlers';

const MEDIA_NEEDS_TUNNEL =
  'Attachments need the public address (tunnel) to be online, so Instagram can fetch the file. Retry once it is.';

const TUNNEL_OFF: AppStatus['tunnel'] = {
  state: 'off',
  error: null,
  errorDetail: null,
  retryAt: null,
};

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
  accounts: AccountsService;
  triage: TriageService;
  replies: ReturnType<typeof savedRepliesHandlers>;
  notifications: DmNotifications;
  sending: SendingService;
  comments: CommentsService;
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
  let tunnelState: AppStatus['tunnel'] = TUNNEL_OFF;
  let publicUrl: string | null = null;
  const status = (): AppStatus => ({
    mode: running?.config.mode ?? 'sandbox',
    accounts: running?.accounts.list() ?? [],
    webhookUrl: running?.webhook.url ?? null,
    publicWebhookUrl: publicUrl === null ? null : `${publicUrl}${WEBHOOK_PATH}`,
    tunnel: tunnelState,
    verifyToken: running?.config.verifyToken ?? null,
    lastEventAt: running?.inbox.lastEventAt ?? null,
  });
  const publishStatus = () => events.emit('app:statusChanged', status());

  // The user's own Meta app and the vault of its secrets (issue #4).
  const appSettings = new AppSettings({
    ...deps,
    running: () => running && { config: running.config, webhookPort: running.webhook.port ?? null },
    publicUrl: () => publicUrl,
    restart: async () => {
      if (!running) return;
      await stop();
      await core.start();
    },
  });

  // App-wide, across restarts of the core: installing stops the core first, as quitting does.
  const updates = new UpdatePolicy({
    updater: deps.updater ?? null,
    currentVersion: readAppVersion(),
    kv: deps.kv,
    clock,
    logger,
    pendingSends: () => running?.archive.pendingOutgoing().length ?? 0,
    stopCore: () => stop(),
    startCore: () => core.start(),
    onChange: (state) => events.emit('updates:stateChanged', state),
  });

  const requireRunning = (): Running => {
    if (!running) throw new Error('Inlet core is not started');
    return running;
  };

  async function bringUp(): Promise<void> {
    let config = resolveConfig(
      deps.env,
      deps.kv,
      deps.options,
      await appSettings.readVaultSecrets(),
    );
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
        clock,
        // Usage headers of every call (sends, reads) pace the outbox app-wide (§5.2).
        onUsage: (usage) => outbox.noteUsage(usage),
      });
      const accounts = createAccounts(config, sandbox, graph, archive, () => running?.webhook);
      const token = (igUserId: string) => accounts.token(igUserId);
      // Issue #6: attached files, served to Meta under the public origin while a send needs them.
      const outgoingMedia = new OutgoingMedia({
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
          onTokenRejected: (igUserId, reason) => accounts.markReconnectNeeded(igUserId, reason),
          media: {
            publish: async (path) => {
              // The sandbox's Meta runs on this machine; a live one needs the tunnel.
              const origin =
                publicUrl ??
                (config.mode === 'sandbox' && running?.webhook.port
                  ? `http://127.0.0.1:${running.webhook.port}`
                  : null);
              if (origin === null)
                return { ok: false, reason: MEDIA_NEEDS_TUNNEL, reasonKey: 'mediaNeedsTunnel' };
              if (!(await outgoingMedia.publish(path)))
                return {
                  ok: false,
                  reason: 'The attached file is no longer on this computer.',
                  reasonKey: 'mediaMissing',
                };
              return { ok: true, url: `${origin}${path}` };
            },
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
        storeDeliveries: (items) => deliveryWriter.write(items),
        archiveMedia: (message) => mediaArchiver.archive(message),
        onCommentStored: (commentId) => running?.comments.commentStored(commentId),
        lookupProfile: async (accountId, customerId) => {
          const accessToken = token(accountId);
          if (accessToken === null) return null;
          try {
            const profile = await graph.getUserProfile(accessToken, customerId);
            return { username: profile.username, name: profile.name };
          } catch (error) {
            if (!(error instanceof GraphError)) throw error;
            if (error.failure.kind === 'reauth')
              accounts.markReconnectNeeded(accountId, {
                text: error.failure.userMessage,
                detail: error.detail,
              });
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
        media: outgoingMedia,
        tokenFor: token,
        isConnectedAccount: (igUserId) => accounts.has(igUserId),
        kv: deps.kv,
        clock,
        logger,
      });
      // comments: the comments view and the one private reply each comment allows (§3.8)
      const comments = new CommentsService({
        store: new CommentsStore(archive.database),
        events,
        clock,
        logger,
        sendPrivateReply: (input) => sending.handlers.privateReply(input),
        conversations: {
          find: (id) => archive.findConversation(id),
          findMessageByMid: (mid) => archive.findMessageByMid(mid),
          setUsername: (id, username) => archive.setCustomerProfile(id, { username, name: null }),
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
      webhook.mount(MEDIA_PATH, outgoingMedia.handler);
      void outgoingMedia
        .prune()
        .catch((error: unknown) =>
          logger.warn('old attachments not pruned', { error: String(error) }),
        );
      // inbox-ui: triage and search share the archive's connection; reopening listens to events.
      const triage = new TriageService({
        archive,
        triage: new TriageStore(archive.database),
        search: new SearchStore(archive.database),
        events,
        clock,
      });
      const replies = savedRepliesHandlers(new SavedRepliesStore(archive.database), clock);
      // inbox-ui: native notifications for new DMs and the unread badge
      const notifications = new DmNotifications({
        events,
        notifier: deps.notifier,
        kv: deps.kv,
        clock,
        logger,
        unreadConversations: unreadConversationCount(archive.database),
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
        for (const { igUserId } of accounts.list()) {
          const accessToken = accounts.token(igUserId);
          if (accessToken === null) continue; // reconnect-needed: nothing can be read for it
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
        sending,
        comments,
        accounts,
        triage,
        replies,
        notifications,
      };
      await accounts.start();
      const account = sandbox?.account ?? config.staticAccount;
      if (account) {
        // A token Instagram already rejected is not offered to it again, not even to read the name.
        const connected = accounts.isRejected(account.igUserId, account.accessToken)
          ? {
              ...account,
              username:
                archive.listAccounts().find((a) => a.igUserId === account.igUserId)?.username ??
                account.igUserId,
            }
          : await describeAccount(graph, account.igUserId, account.accessToken);
        accounts.addConfigured(connected.igUserId, connected.username, connected.accessToken);
      }
      holdAccountsNeedingLogin(); // before `recover`: their queued messages stay queued
      // The login's redirect reaches Inlet here, through the tunnel (instagram-platform.md §1.3).
      webhook.mount(CALLBACK_PATH, accounts.handleCallback);
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

  function createAccounts(
    config: InletConfig,
    sandbox: Sandbox | null,
    graph: GraphClient,
    archive: Archive,
    webhook: () => WebhookServer | undefined,
  ): AccountsService {
    // Emulator tokens die with the emulator, so sandbox logins are kept for this run only.
    const accountsVault = sandbox
      ? new TokenVault({ cipher: deps.cipher, kv: sessionKv(), logger })
      : appSettings.vault;
    const accounts = new AccountsService({
      vault: accountsVault,
      graph,
      browser: deps.browser,
      clock,
      logger,
      rememberAccount: (igUserId, username) => archive.upsertAccount(igUserId, username),
      knownUsername: (igUserId) =>
        archive.listAccounts().find((a) => a.igUserId === igUserId)?.username ?? null,
      onChange: () => {
        holdAccountsNeedingLogin();
        publishStatus();
      },
      onConnectFinished: (result) => events.emit('accounts:connectFinished', result),
      loginSetup: async () => {
        if (!config.appId || !config.appSecret)
          throw new AppError(
            'NOT_CONNECTED',
            'Enter your Instagram app id and app secret in Settings before connecting an account.',
            { detail: detail('appNotConfigured') },
          );
        const redirect = appSettings.redirectUri(config, webhook()?.port ?? null);
        if (redirect.uri === null)
          throw new AppError('NOT_CONNECTED', redirect.problem, { detail: redirect.problemDetail });
        // The embedded emulator plays Meta's dashboard too: register the address it must accept.
        if (sandbox) await sandbox.registerRedirectUri(redirect.uri);
        return {
          appId: config.appId,
          appSecret: config.appSecret,
          oauthUrl: config.oauthUrl,
          redirectUri: redirect.uri,
          loginWindow: redirect.via === 'login-window' ? (deps.loginWindow ?? null) : null,
        };
      },
    });
    // A reconnected account releases what paused on it: the outbox holds sends after code 190.
    accounts.onAccountReady((igUserId) => {
      logger.info('account ready', { igUserId });
      running?.outbox.resumeAccount(igUserId);
    });
    return accounts;
  }

  /**
   * An account waiting for a new login holds its outgoing messages instead of failing them; the
   * login's `onAccountReady` releases them. Also at start, for a rejection an earlier run saw.
   */
  function holdAccountsNeedingLogin(): void {
    const current = running;
    if (!current) return;
    for (const [igUserId, reason] of current.accounts.reconnectReasons())
      current.outbox.pauseAccount(igUserId, heldReason(reason));
  }

  async function describeAccount(
    graph: GraphClient,
    igUserId: string,
    accessToken: string,
  ): Promise<{ igUserId: string; username: string; accessToken: string }> {
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
        errorDetail: detail('tunnelNotConfigured'),
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
        const { error, errorDetail, retryAt } = state;
        tunnelState = { state: state.state, error, errorDetail, retryAt };
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
    tunnelState = TUNNEL_OFF;
    publicUrl = null;
    if (!current) return;
    current.accounts.stop();
    await current.webhook.stop();
    await current.catchUp.stop();
    await current.inbox.idle();
    await current.media.archiver.stop();
    current.media.store.close();
    await current.deliveryWriter.close();
    await current.outbox.close(); // in-flight sends still need the sandbox's Graph to answer
    await current.sandbox?.stop();
    current.triage.close();
    current.notifications.close();
    current.archive.close();
  }

  const core: Core = {
    handlers: {
      'app:getStatus': () => Promise.resolve(status()),
      'inbox:listConversations': (input) =>
        requireRunning().inbox.handlers.listConversations(input),
      'inbox:listMessages': (input) => requireRunning().inbox.handlers.listMessages(input),
      'inbox:sendText': (input) => requireRunning().inbox.handlers.sendText(input),
      'inbox:markRead': async (input) => {
        const { archive, inbox, sending, notifications } = requireRunning();
        const before = archive.findConversation(input.conversationId);
        const result = await inbox.handlers.markRead(input);
        notifications.refreshBadge(); // reading is the one change no event announces
        // Issue #6: reading a thread with unread messages tells Instagram (mark_seen, §3.5).
        if (before !== null && before.unreadCount > 0) sending.markSeen(result.conversation);
        return result;
      },
      'inbox:retryMessage': (input) => requireRunning().inbox.handlers.retryMessage(input),
      'inbox:deleteMessage': (input) => requireRunning().inbox.handlers.deleteMessage(input),
      'settings:get': () => Promise.resolve(appSettings.current()),
      'settings:update': (input) => appSettings.update(input),
      'accounts:connect': () => requireRunning().accounts.connect(),
      'accounts:reconnect': ({ igUserId }) => requireRunning().accounts.reconnect(igUserId),
      'accounts:disconnect': ({ igUserId }) => requireRunning().accounts.disconnect(igUserId),
      // inbox-ui: triage and search
      'triage:list': () => requireRunning().triage.handlers.list(),
      'triage:setDone': (input) => requireRunning().triage.handlers.setDone(input),
      'triage:snooze': (input) => requireRunning().triage.handlers.snooze(input),
      'triage:setLabels': (input) => requireRunning().triage.handlers.setLabels(input),
      'triage:setNote': (input) => requireRunning().triage.handlers.setNote(input),
      'triage:markUnread': (input) => requireRunning().triage.handlers.markUnread(input),
      'search:messages': (input) => requireRunning().triage.handlers.searchMessages(input),
      'replies:list': () => requireRunning().replies.list(),
      'replies:save': (input) => requireRunning().replies.save(input),
      'replies:delete': (input) => requireRunning().replies.delete(input),
      'notifications:setPresence': (input) =>
        requireRunning().notifications.handlers.setPresence(input),
      'notifications:getSettings': () => requireRunning().notifications.handlers.getSettings(),
      'notifications:setMuted': (input) => requireRunning().notifications.handlers.setMuted(input),
      // --- issue #6: message kinds and sending settings ---
      'sending:sendReply': (input) => requireRunning().sending.handlers.sendReply(input),
      'sending:sendAttachment': (input) => requireRunning().sending.handlers.sendAttachment(input),
      'sending:react': (input) => requireRunning().sending.handlers.react(input),
      'sending:unreact': (input) => requireRunning().sending.handlers.unreact(input),
      'sending:setTyping': (input) => requireRunning().sending.handlers.setTyping(input),
      // comments: checked against the archive and recorded there, then sent by SendingService
      'sending:privateReply': (input) => requireRunning().comments.handlers.privateReply(input),
      'sending:getSettings': () => requireRunning().sending.handlers.getSettings(),
      'sending:setSettings': (input) => requireRunning().sending.handlers.setSettings(input),
      'comments:list': (input) => requireRunning().comments.handlers.list(input),
      ...updatesHandlers(updates),
    },

    events,
    status,
    start() {
      starting ??= bringUp().then(
        () => updates.start(),
        async (error: unknown) => {
          await stop();
          throw error;
        },
      );
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
  return core;
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
