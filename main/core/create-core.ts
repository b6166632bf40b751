import type { AppStatus } from '../../shared/domain/schemas';
import { AccountsService } from './accounts/accounts-service';
import { AppSettings } from './accounts/app-settings';
import { appStatus, oncePerTurn } from './app-status';
import { Archive } from './archive/archive';
import { archivePathIn, mediaDirsIn, prepareArchive } from './archive/archive-file';
import { DailyBackups } from './archive/backups';
import { DiskFullWatch, hasRoom } from './archive/disk-full';
import { MediaStore } from './archive/media-store';
import { writeExport } from './archive/export';
import { CALLBACK_PATH } from './auth/oauth-flow';
import type { TokenVault } from './auth/token-vault';
import { configWarnings, resolveConfig, sandboxConfig, type InletConfig } from './config';
import { SavedRepliesStore } from './archive/saved-replies-store';
import { SearchStore } from './archive/search-store';
import { TriageStore } from './archive/triage-store';
import type { Core, CoreDeps } from './core-types';
import { createEventBus } from './event-bus';
import { createGraphClient, type GraphClient } from './graph/graph-client';
import { createGraphReconciler, createGraphSender } from './inbox/graph-sender';
import { InboxService } from './inbox/inbox-service';
import { CatchUp } from './inbox/catch-up';
import { MediaArchiver } from './inbox/media-archiver';
import { Outbox } from './inbox/outbox';
import { mediaPublisher } from './inbox/media-publisher';
import { MEDIA_PATH, OutgoingMedia } from './inbox/outgoing-media';
import { profileLookup } from './inbox/profile-lookup';
import { SendingService } from './inbox/sending-service';
import { CommentsService } from './comments/comments-service';
import { PostPreviews } from './comments/post-previews';
import { PostsStore } from './archive/posts-store';
import { DmNotifications, unreadConversationCount } from './notify/dm-notifications';
import type { ChannelsOf } from '../../shared/ipc/contract';
import { routeHandlers, type HandlersFor, type InvokeHandlers } from './ipc/dispatch';
import type { Sandbox } from './ports';
import { savedRepliesHandlers } from './triage/saved-replies';
import { searchHandlers } from './triage/search';
import { TriageService } from './triage/triage-service';
import { PublicAddress } from './webhook/public-address';
import { WebhookReceiver } from './webhook/webhook-receiver';
import { ListenerRecorder } from './deliveries/listener-record';
import {
  developerHandlers,
  forwardTargets,
  readForwardingSettings,
} from './deliveries/developer-handlers';
import { commandLineTargets, Forwarder } from './deliveries/forwarder';
import { removeListenerFile, writeListenerFile } from './deliveries/listener-file';
import { readAppVersion } from './app-version';
import { diagnosticsHandler } from './diagnostics';
import { UpdatePolicy } from './updates/update-policy';
import { LoopTest } from './health/loop-test';
import { HealthMonitor } from './health/health-monitor';
import { PROBE_PATH, PublicProbe, remoteTime } from './health/public-probe';
import { SignatureLog } from './health/signature-log';
import { verificationRecord } from './health/verification-record';
import { conversationIdOf } from '../../shared/domain/schemas';
import { updatesHandlers } from './updates/updates-handlers';
import { runWakeSequence } from './wake-sequence';
import { startAtLoginHandlers } from './desktop/start-at-login';

/** Answered whether or not the core is running; every other channel needs it started. */
type AlwaysAnswered = ChannelsOf<'app' | 'settings' | 'updates' | 'desktop'>;
type RunningHandlers = Omit<InvokeHandlers, AlwaysAnswered>;

type Running = {
  config: InletConfig;
  archive: Archive;
  backups: DailyBackups;
  media: { store: MediaStore; archiver: MediaArchiver };
  catchUp: CatchUp;
  sandbox: Sandbox | null;
  webhook: WebhookReceiver;
  listenerRecorder: ListenerRecorder;
  forwarder: Forwarder;
  inbox: InboxService;
  outbox: Outbox;
  accounts: AccountsService;
  triage: TriageService;
  notifications: DmNotifications;
  sending: SendingService;
  comments: CommentsService;
  postPreviews: PostPreviews;
  health: HealthMonitor;
  handlers: RunningHandlers;
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
  const publicAddress = new PublicAddress({
    provider: deps.tunnel,
    clock,
    logger,
    onChange: () => publishStatus(),
    // Back online: check the way in, then fetch what Meta could not deliver meanwhile.
    onBackOnline: () => {
      void running?.health.runNow();
      running?.catchUp.runAll();
    },
  });
  const status = (): AppStatus => appStatus({ running, publicAddress, diskFull });
  const publishStatus = () => events.emit('app:statusChanged', status());
  const publishStatusSoon = oncePerTurn(publishStatus);
  const diskFull = new DiskFullWatch({
    clock,
    logger,
    hasRoom: () => hasRoom(deps.dataDir),
    onChange: publishStatus,
  });

  // The user's own Meta app and the vault of its secrets.
  const appSettings = new AppSettings({
    ...deps,
    running: () => running && { config: running.config, webhookPort: running.webhook.port ?? null },
    publicUrl: () => publicAddress.url,
    restart: async () => {
      if (!running) return;
      await stop();
      await core.start();
      // The mode may have changed (sandbox ↔ the owner's app): the screen follows at once.
      publishStatus();
    },
  });

  // App-wide, across restarts of the core: installing stops the core first, as quitting does.
  const updates = new UpdatePolicy({
    updater: deps.updater ?? null,
    currentVersion: readAppVersion(),
    kv: deps.kv,
    clock,
    logger,
    pendingSends: () => running?.archive.outgoing.pending().length ?? 0,
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
      config.mode === 'sandbox'
        ? await deps.startSandbox({ clock, logger, fetch: deps.fetch })
        : null;
    try {
      if (sandbox) config = sandboxConfig(config, sandbox);
      const archivePath = archivePathIn(deps.dataDir, config.mode === 'sandbox');
      await prepareArchive(archivePath, () => clock.now()); // refuses a damaged archive
      const archive = new Archive(archivePath);
      const backups = new DailyBackups({ archivePath, clock, logger });
      const verification = verificationRecord(deps.kv, clock, sandbox ? 'sandbox' : 'live');
      const mediaDirs = mediaDirsIn(deps.dataDir, config.mode === 'sandbox');
      const mediaStore = new MediaStore(archivePath);
      const mediaArchiver = new MediaArchiver({
        store: mediaStore,
        dir: mediaDirs.received,
        fetch: deps.fetch,
        clock,
        logger,
        onArchived: (messageId) => {
          for (const saved of archive.queries.savedWithQuotes(messageId)) {
            events.emit('inbox:messageSaved', saved);
          }
        },
      });
      const graph = createGraphClient({
        fetch: deps.fetch,
        graphUrl: config.graphUrl,
        tokenUrl: config.tokenUrl,
        version: config.graphVersion,
        logger,
        clock,
        // Usage headers of every call (sends, reads) pace the outbox app-wide
        // (docs/platform.md#usage-headers).
        onUsage: (usage) => outbox.noteUsage(usage),
      });
      const vault = appSettings.accountsVault(sandbox !== null);
      const accounts = createAccounts(
        config,
        sandbox,
        vault,
        graph,
        archive,
        () => running?.webhook,
        mediaArchiver,
      );
      const token = (igUserId: string) => accounts.token(igUserId);
      // Attached files, served to Meta under the public origin while a send needs them.
      const outgoingMedia = new OutgoingMedia({
        dir: mediaDirs.outgoing,
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
          media: mediaPublisher({
            media: outgoingMedia,
            publicOrigin: () => publicAddress.url,
            localPort: sandbox ? () => running?.webhook.port ?? null : undefined,
          }),
        }),
        reconciler: createGraphReconciler(graph, token),
        accounts,
      });
      const loopTest = new LoopTest({ graph, now: () => clock.now(), logger });
      const inbox = new InboxService({
        archive,
        events,
        outbox,
        clock,
        logger,
        isConnectedAccount: (igUserId) => accounts.has(igUserId),
        // Off this thread, which serves the UI: a burst of deliveries never holds a command.
        processOn: {
          databasePath: archivePath,
          accounts: () => accounts.list().map((account) => account.igUserId),
        },
        archiveMedia: (messages) => mediaArchiver.downloadRecorded(messages),
        keepPicture: (conversationId, url) => mediaArchiver.keepPicture(conversationId, url),
        onCommentStored: (commentId) => running?.comments.commentStored(commentId),
        lookupProfile: profileLookup({
          graph,
          tokenFor: token,
          markReconnectNeeded: (igUserId, reason) => accounts.markReconnectNeeded(igUserId, reason),
          logger,
        }),
        markSeen: (conversation) => sending.markSeen(conversation),
        refreshBadge: () => notifications.refreshBadge(),
        onSelfEcho: (mid) => loopTest.echoArrived(mid),
      });
      const sending = new SendingService({
        archive,
        events,
        outbox,
        graph,
        media: outgoingMedia,
        // The one attachment of an attachment message is at index 0.
        keepSentCopy: (sent, bytes, mimeType) =>
          mediaArchiver.keepSent({ ...sent, idx: 0 }, bytes, mimeType),
        tokenFor: token,
        isConnectedAccount: (igUserId) => accounts.has(igUserId),
        kv: deps.kv,
        clock,
        logger,
      });
      // comments: the comments view and the one private reply each comment allows
      // (docs/platform.md#private-replies)
      const postsStore = new PostsStore(archive.database);
      const postPreviews = new PostPreviews({
        store: postsStore,
        graph,
        tokenFor: token,
        markReconnectNeeded: (igUserId, reason) => accounts.markReconnectNeeded(igUserId, reason),
        keepPicture: (mediaId, url) => mediaArchiver.keepPicture(mediaId, url),
        clock,
        logger,
        onDescribed: (accountId, mediaId) => comments.postDescribed(accountId, mediaId),
      });
      const comments: CommentsService = new CommentsService({
        store: archive.comments,
        posts: {
          findMany: (mediaIds) => postsStore.findMany(mediaIds),
          want: (accountId, mediaId) => postPreviews.want(accountId, mediaId),
        },
        events,
        clock,
        logger,
        sendPrivateReply: (input) => sending.privateReply(input),
        conversations: {
          find: (id) => archive.queries.findConversation(id),
          findMessageByMid: (mid) => archive.queries.findMessageByMid(mid),
          setUsername: (id, username) =>
            archive.conversations.setCustomerProfile(id, { username, name: null }),
        },
      });
      const listenerRecorder = new ListenerRecorder(archive.database);
      const forwardingFromCommandLine = commandLineTargets(deps.options);
      // Settings can change the targets while Inlet runs, so there is always a forwarder.
      const forwarder = new Forwarder(
        forwardTargets(forwardingFromCommandLine, readForwardingSettings(deps.kv)),
        {
          fetch: deps.fetch,
          logger,
          now: () => clock.now(),
          onResult: (result) => listenerRecorder.record({ kind: 'forwarded', ...result }),
          onTargetsChanged: () => running?.webhook.settingsChanged(),
        },
      );
      const signatures = new SignatureLog(() => clock.now());
      // Receiving runs on a thread of its own, committing through its own connection; the
      // processing thread processes what it stored.
      const webhook = new WebhookReceiver({
        port: config.webhookPort,
        databasePath: archivePath,
        // In SIGNING_SECRETS order; an absent secret is '' and never matches.
        secrets: () => [config.appSecret ?? '', config.metaAppSecret ?? ''],
        verifyToken: () => config.verifyToken,
        onSignatureChecked: (matched) => signatures.record(matched),
        onVerified: verification.record,
        forwarding: () => forwarder.state.length > 0,
        onStored: ({ id, receivedAt, forward }) => {
          inbox.stored(id, receivedAt);
          diskFull.stored();
          publishStatusSoon();
          if (forward) forwarder.forward({ id, ...forward });
        },
        onRestarted: () => void inbox.processPending(),
        onAnswered: (answer) => listenerRecorder.record(answer),
        onStoreFailed: (error) => diskFull.failed(error),
        logger,
      });
      webhook.mount(MEDIA_PATH, outgoingMedia.handler);
      const probe = new PublicProbe(deps.fetch);
      webhook.mount(PROBE_PATH, probe.handler);
      void outgoingMedia
        .prune()
        .catch((error: unknown) =>
          logger.warn('old attachments not pruned', { error: String(error) }),
        );
      // inbox-ui: triage and search share the archive's connection; reopening listens to events.
      const triage = new TriageService({
        archive,
        triage: new TriageStore(archive.database),
        events,
        clock,
      });
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
        accounts,
        live: config.mode === 'live',
      });
      const opensTunnel = config.mode === 'live' && !deps.options?.noTunnel;
      const health = new HealthMonitor({
        graph,
        loopTest,
        kv: deps.kv,
        appId: config.appId,
        accounts: () => accounts.healthAccounts(),
        lastMessageAt: (igUserId, customerId) =>
          archive.queries.findConversation(conversationIdOf(igUserId, customerId))?.lastMessageAt ??
          null,
        tunnel: () => (sandbox ? null : { ...publicAddress.status, url: publicAddress.url }),
        reachPublicUrl: (url) => probe.reach(url),
        lastVerificationAt: verification.lastAt,
        autoRepair: deps.options?.autoRepair,
        signatureRefusalsSince: (since) => signatures.refusalsSince(since),
        hasMetaAppSecret: () => config.metaAppSecret !== null,
        remoteTime: () => remoteTime(deps.fetch, config.graphUrl),
        now: () => clock.now(),
        listeningSince: clock.now(),
        tunnelRestartable: opensTunnel,
        restartTunnel: opensTunnel
          ? () => publicAddress.restart(config.ngrok, webhook.port)
          : undefined,
        onChange: (report) => events.emit('health:changed', report),
        onRepaired: (_reason, igUserId) => catchUp.runFor(igUserId),
        logger,
      });
      running = {
        config,
        archive,
        backups,
        media: { store: mediaStore, archiver: mediaArchiver },
        catchUp,
        sandbox,
        webhook,
        listenerRecorder,
        forwarder,
        inbox,
        outbox,
        sending,
        comments,
        postPreviews,
        accounts,
        health,
        triage,
        notifications,
        handlers: {
          ...inbox.handlers,
          ...sending.handlers,
          ...comments.handlers,
          ...accounts.handlers,
          ...triage.handlers,
          ...searchHandlers(new SearchStore(archive.database), archive),
          ...savedRepliesHandlers(new SavedRepliesStore(archive.database), clock),
          ...notifications.handlers,
          ...developerHandlers({
            database: archive.database,
            kv: deps.kv,
            fetch: deps.fetch,
            target: () => webhook.replayTarget,
            forwarding: { forwarder, commandLine: forwardingFromCommandLine },
            simulatedEvents: deps.simulatedEvents,
            now: () => clock.now(),
          }),
          ...health.handlers,
        },
      };
      await accounts.start();
      const account = sandbox?.account ?? config.staticAccount;
      if (account) await accounts.addConfiguredAccount(account);
      // The login's redirect reaches Inlet here, through the tunnel
      // (docs/platform.md#redirect-uri).
      webhook.mount(CALLBACK_PATH, accounts.handleCallback);
      for (const warning of configWarnings(config)) logger.warn(warning);
      await inbox.processPending();
      mediaArchiver.resume();
      postPreviews.resume();
      outbox.recover();
      await webhook.start();
      if (webhook.url) writeListenerFile(archivePath, { url: webhook.url, pid: process.pid });
      backups.start();
      logger.info('webhook listener ready', { url: webhook.url, mode: config.mode });
      if (sandbox && webhook.url) await sandbox.attach(webhook.url);
      if (opensTunnel) publicAddress.start(config.ngrok, webhook.port);
      catchUp.runAll();
      health.start();
    } catch (error) {
      await sandbox?.stop();
      throw error;
    }
  }

  function createAccounts(
    config: InletConfig,
    sandbox: Sandbox | null,
    vault: TokenVault,
    graph: GraphClient,
    archive: Archive,
    webhook: () => WebhookReceiver | undefined,
    media: MediaArchiver,
  ): AccountsService {
    return new AccountsService({
      vault,
      graph,
      browser: deps.browser,
      clock,
      logger,
      rememberAccount: (igUserId, username) => archive.accounts.upsert(igUserId, username),
      knownUsername: (igUserId) => archive.accounts.username(igUserId),
      subscribeAtStart: deps.options?.autoRepair !== false,
      onChange: () => {
        running?.outbox.holdAccountsNeedingLogin();
        running?.inbox.accountsChanged();
        publishStatus();
      },
      onConnectFinished: (result) => events.emit('accounts:connectFinished', result),
      loginSetup: () => appSettings.loginSetup(config, webhook()?.port ?? null, sandbox),
      picture: {
        keep: (igUserId, url) => media.keepPicture(igUserId, url),
        url: (igUserId) => media.pictureUrl(igUserId),
      },
    });
  }

  async function stop(): Promise<void> {
    const current = running;
    running = null;
    starting = null;
    await publicAddress.stop();
    if (!current) return;
    current.accounts.stop();
    current.health.stop();
    await current.webhook.stop();
    current.forwarder.stop();
    removeListenerFile(archivePathIn(deps.dataDir, current.config.mode === 'sandbox'));
    current.listenerRecorder.close();
    diskFull.stop();
    await current.backups.stop();
    await current.catchUp.stop();
    await current.inbox.stop(); // failed deliveries wait for the next start, not a timer
    await current.media.archiver.stop();
    await current.postPreviews.stop();
    current.media.store.close();
    await current.outbox.close(); // in-flight sends still need the sandbox's Graph to answer
    await current.sandbox?.stop();
    current.triage.close();
    current.notifications.close();
    current.archive.close();
  }

  const alwaysAnswered = {
    'app:getStatus': async () => status(),
    ...diagnosticsHandler({
      status,
      updates: () => updates.state(),
      recentLogLines: () => deps.recentLogLines?.() ?? [],
      clock,
    }),
    ...appSettings.handlers,
    ...updatesHandlers(updates),
    ...startAtLoginHandlers(deps.loginItem ?? null),
  } satisfies HandlersFor<'app'> &
    HandlersFor<'settings'> &
    HandlersFor<'updates'> &
    HandlersFor<'desktop'>;
  const handlers = routeHandlers(alwaysAnswered, () => requireRunning().handlers);

  const core: Core = {
    handlers,
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
      return running?.media.archiver.file(name) ?? null;
    },
    sandboxOrigin() {
      const sandbox = running?.sandbox;
      return sandbox ? new URL(sandbox.emulatorUrl).origin : null;
    },
    woke() {
      const current = running;
      if (!current) return;
      // Tunnel, then health checks, then catch-up: wake-sequence.ts says why in that order.
      void runWakeSequence({
        tunnel: publicAddress,
        health: current.health,
        catchUp: current.catchUp,
        isCurrent: () => running === current,
        logger,
      });
    },
    exportArchive(format, write) {
      writeExport(requireRunning().archive, { format, now: clock.now() }, write);
    },
  };
  return core;
}
