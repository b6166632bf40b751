import type { Clock, Fetch, Logger, Sandbox } from '../core/ports';
import { createEmulatorClient, type EmulatorClient } from './emulator-client';
import { startEmulator } from './emulator';
import {
  COMMENT_LINES,
  FRIENDLY_ANSWERS,
  IDLE_LINES,
  SANDBOX_ACCOUNT,
  SANDBOX_CUSTOMERS,
  SANDBOX_SECOND_ACCOUNT,
  SANDBOX_MEDIA,
  seedComments,
  seedConversations,
} from './sandbox-seed';

/**
 * Sandbox mode: the embedded emulator with a shop account and simulated customers, what a new
 * user sees before connecting a Meta app. It drives the emulator only through its admin API.
 */

/** Fixed so that the archive (which persists between runs) recognises the same data. */
export const SANDBOX_APP_ID = '1618033988749894';
export const SANDBOX_APP_SECRET = 'sandbox0secret0not0for0production';
export const SANDBOX_VERIFY_TOKEN = 'inlet-sandbox-verify-token';

export type SandboxOptions = {
  clock: Clock;
  logger: Logger;
  fetch?: Fetch;
  /** Default true: customers write now and then, and sometimes answer a reply. */
  liveliness?: boolean;
  /** How often customers write, how often replies are checked, how long an answer takes. */
  livelinessTiming?: LivelinessTiming;
};

export type LivelinessTiming = { idleMs: number; pollMs: number; answerMs: number };

const DEFAULT_TIMING: LivelinessTiming = { idleMs: 75_000, pollMs: 1_500, answerMs: 4_000 };

export type { Sandbox };

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const emulator = await startEmulator({
    appId: SANDBOX_APP_ID,
    appSecret: SANDBOX_APP_SECRET,
    clock: options.clock,
    logger: options.logger,
    fetch: options.fetch,
    // The sandbox plays an owner whose Meta app is set up: published and Live.
    app: { mode: 'live', published: true },
  });
  const client = createEmulatorClient(emulator.url);
  const created = await client.createAccount(SANDBOX_ACCOUNT);
  await client.createAccount(SANDBOX_SECOND_ACCOUNT);
  const life = new Liveliness(client, options.logger, options.livelinessTiming ?? DEFAULT_TIMING);
  let isSeeded = false;

  return {
    emulatorUrl: emulator.url,
    appId: SANDBOX_APP_ID,
    appSecret: SANDBOX_APP_SECRET,
    verifyToken: SANDBOX_VERIFY_TOKEN,
    account: {
      igUserId: created.igUserId,
      username: created.username,
      accessToken: created.accessToken,
      permissions: created.permissions,
    },
    async registerRedirectUri(uri) {
      const app = await client.getApp();
      if (!app.redirectUris.includes(uri))
        await client.configureApp({ redirectUris: [...app.redirectUris, uri] });
    },
    async attach(webhookUrl) {
      await client.registerWebhook({ callbackUrl: webhookUrl, verifyToken: SANDBOX_VERIFY_TOKEN });
      if (!isSeeded) {
        isSeeded = true;
        const { now } = await client.now();
        await seedConversations(client, now);
        await seedComments(client);
      }
      if (options.liveliness ?? true) life.start();
    },
    async stop() {
      await life.stop();
      await emulator.stop();
    },
  };
}

/**
 * A customer writes (or comments on a post) now and then; every other reply from Inlet gets a
 * friendly answer.
 */
class Liveliness {
  private timers = new Set<NodeJS.Timeout>();
  private tasks = new Set<Promise<void>>();
  private isRunning = false;
  private seenSends = 0;
  private repliesSeen = 0;
  private idleIndex = 0;
  private ticks = 0;
  private commentIndex = 0;
  private isPolling = false;

  constructor(
    private readonly client: EmulatorClient,
    private readonly logger: Logger,
    private readonly timing: LivelinessTiming,
  ) {}

  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    this.every(this.timing.idleMs, () => this.idleMessage());
    this.every(this.timing.pollMs, () => this.answerReplies());
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled(this.tasks);
  }

  private every(ms: number, task: () => Promise<void>): void {
    const timer = setInterval(() => this.run(task), ms);
    timer.unref();
    this.timers.add(timer);
  }

  private later(ms: number, task: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.run(task);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private run(task: () => Promise<void>): void {
    if (!this.isRunning) return;
    const running = task().catch((error: unknown) =>
      this.logger.warn('sandbox customer could not write', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    this.tasks.add(running);
    void running.finally(() => this.tasks.delete(running));
  }

  private async idleMessage(): Promise<void> {
    // Every third time a customer comments on a post instead of writing a DM.
    if (this.ticks++ % 3 === 2) {
      const line = COMMENT_LINES[this.commentIndex++ % COMMENT_LINES.length]!;
      await this.client.comment({
        accountId: SANDBOX_ACCOUNT.igUserId,
        fromId: line.igsid,
        fromUsername: line.username,
        mediaId: SANDBOX_MEDIA.feed,
        text: line.text,
      });
      return;
    }
    const line = IDLE_LINES[this.idleIndex++ % IDLE_LINES.length]!;
    await this.client.customerSends(line.igsid, { text: line.text });
  }

  private async answerReplies(): Promise<void> {
    // Polls must not overlap, or one reply would be answered twice.
    if (this.isPolling) return;
    this.isPolling = true;
    try {
      await this.answerNewReplies();
    } finally {
      this.isPolling = false;
    }
  }

  private async answerNewReplies(): Promise<void> {
    const sent = await this.client.sent(SANDBOX_ACCOUNT.igUserId);
    const fresh = sent.slice(this.seenSends);
    this.seenSends = sent.length;
    for (const request of fresh) {
      const recipient = (request.body.recipient as { id?: unknown } | undefined)?.id;
      const isReply =
        request.response.status === 200 &&
        typeof recipient === 'string' &&
        request.body.message !== undefined;
      if (!isReply || !SANDBOX_CUSTOMERS.some((c) => c.igsid === recipient)) continue;
      if (this.repliesSeen++ % 2 !== 0) continue;
      const text = FRIENDLY_ANSWERS[this.repliesSeen % FRIENDLY_ANSWERS.length]!;
      this.later(this.timing.answerMs, async () => {
        await this.client.customerSends(recipient, { text });
      });
    }
  }
}
