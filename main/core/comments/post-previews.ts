import type { FailureReason } from '../../../shared/domain/failure-reason';
import type { PostsStore } from '../archive/posts-store';
import type { GraphClient } from '../graph/graph-client';
import { GraphError } from '../graph/graph-errors';
import type { Clock, Logger } from '../ports';

export type PostPreviewsDeps = {
  store: PostsStore;
  graph: Pick<GraphClient, 'getMedia'>;
  /** The account's access token, null while it needs a new login. */
  tokenFor: (igUserId: string) => string | null;
  /** Instagram refused the token: the account shows "Login needed". */
  markReconnectNeeded: (igUserId: string, reason: FailureReason) => void;
  clock: Clock;
  logger: Logger;
  /**
   * Keeps Inlet's copy of the post's picture under its media id (MediaArchiver.keepPicture):
   * Instagram's link expires, the comments stay.
   */
  keepPicture: (mediaId: string, url: string | null) => Promise<boolean>;
  /** Told once a post is described (or known to stay unknown): its comments are shown again. */
  onDescribed: (accountId: string, mediaId: string) => void;
};

/**
 * What the comments are on: the picture, caption and link of the business's post or reel, asked of
 * Instagram once per post (IG Media node, docs/platform.md#media-node) and kept in the archive.
 * Posts are asked about one at a time, off the webhook's path: a burst of comments on one post is
 * one request, and previews never compete with sends for the rate limit in a burst.
 * A post Instagram will not describe (deleted, not the account's) is recorded as such; a passing
 * failure (network, rate limit) leaves it to be asked again at the next start.
 */
export class PostPreviews {
  readonly #deps: PostPreviewsDeps;
  /** Media ids asked about, or waiting to be, this run. */
  readonly #asked = new Set<string>();
  #queue: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(deps: PostPreviewsDeps) {
    this.#deps = deps;
  }

  /** Describes the post a newly stored comment is on, unless it is known or already asked. */
  want(accountId: string, mediaId: string | null): void {
    if (mediaId === null || this.#asked.has(mediaId) || this.#stopped) return;
    if (this.#deps.store.findMany([mediaId]).has(mediaId)) return;
    this.#asked.add(mediaId);
    this.#queue = this.#queue.then(() => this.#describe(accountId, mediaId));
  }

  /** Asks about the posts of comments an earlier run stored but never described. */
  resume(): void {
    try {
      for (const { accountId, mediaId } of this.#deps.store.unknown())
        this.want(accountId, mediaId);
    } catch (error) {
      // Never a reason not to start: those comments keep a line without a picture.
      this.#deps.logger.warn('could not look for undescribed posts', { error: String(error) });
    }
  }

  /** Resolves when every post asked about so far has been answered. */
  idle(): Promise<void> {
    return this.#queue;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#queue;
  }

  async #describe(accountId: string, mediaId: string): Promise<void> {
    const { graph, store, clock, logger } = this.#deps;
    const token = this.#deps.tokenFor(accountId);
    if (token === null || this.#stopped) {
      this.#asked.delete(mediaId); // asked again once the account can be used
      return;
    }
    try {
      const media = await graph.getMedia(token, mediaId);
      store.save({
        mediaId,
        accountId,
        state: 'known',
        mediaType: media.mediaType,
        caption: media.caption,
        permalink: media.permalink,
        pictureUrl: media.pictureUrl,
        error: null,
        fetchedAt: clock.now(),
      });
      await this.#deps.keepPicture(mediaId, media.pictureUrl);
    } catch (error) {
      if (!(error instanceof GraphError)) {
        logger.warn('post preview not stored', { mediaId, error: String(error) });
        return;
      }
      if (error.failure.kind === 'reauth')
        this.#deps.markReconnectNeeded(accountId, error.failure.explanation);
      if (error.isRetryable || error.failure.kind === 'reauth') {
        logger.info('post not described for now', { mediaId, reason: error.failure.reason });
        return;
      }
      logger.info('Instagram does not describe this post', {
        mediaId,
        reason: error.failure.reason,
      });
      store.save({
        mediaId,
        accountId,
        state: 'failed',
        mediaType: null,
        caption: null,
        permalink: null,
        pictureUrl: null,
        error: error.message,
        fetchedAt: clock.now(),
      });
    }
    this.#deps.onDescribed(accountId, mediaId);
  }
}
