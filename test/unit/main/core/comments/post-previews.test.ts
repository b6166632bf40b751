import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FailureReason } from '../../../../../shared/domain/failure-reason';
import { Archive } from '../../../../../main/core/archive/archive';
import { PostsStore, type PostRecord } from '../../../../../main/core/archive/posts-store';
import { PostPreviews } from '../../../../../main/core/comments/post-previews';
import { createGraphClient } from '../../../../../main/core/graph/graph-client';
import { LONG_TOKEN_MS } from '../../../../../main/sandbox/world';
import { memoryLogger } from '../../../../fakes/logger';
import { startHarness, type Harness } from '../../sandbox/harness';

/**
 * The posts comments are on, described by the emulator's IG Media node through Inlet's own Graph
 * client: asked once, off the webhook's path; refused posts recorded; passing failures asked again
 * at the next start.
 */

let harness: Harness;
let archive: Archive;
beforeEach(async () => {
  harness = await startHarness();
  archive = new Archive(':memory:');
});
afterEach(async () => {
  archive.close();
  await harness.stop();
});

const FEED = '18050310947722001';
const REEL = '18050310947722002';

function previews(options: { token?: () => string | null } = {}) {
  const paths: string[] = [];
  let isOffline = false;
  const graph = createGraphClient({
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : input);
      if (isOffline) throw new TypeError('fetch failed');
      paths.push(url.pathname);
      return globalThis.fetch(input, init);
    },
    graphUrl: harness.emulator.url,
    tokenUrl: harness.emulator.url,
    version: 'v24.0',
    logger: memoryLogger(),
    clock: harness.clock,
  });
  const store = new PostsStore(archive.database);
  const described: string[] = [];
  const reconnects: FailureReason[] = [];
  const kept: [string, string | null][] = [];
  const posts = new PostPreviews({
    store,
    graph,
    tokenFor: options.token ?? (() => harness.account.accessToken),
    markReconnectNeeded: (_, reason) => reconnects.push(reason),
    keepPicture: async (mediaId, url) => {
      kept.push([mediaId, url]);
      return true;
    },
    clock: harness.clock,
    logger: memoryLogger(),
    onDescribed: (_, mediaId) => described.push(mediaId),
  });
  const row = (mediaId: string): PostRecord | undefined => store.findMany([mediaId]).get(mediaId);
  const setOffline = (value: boolean) => void (isOffline = value);
  return { posts, paths, described, reconnects, kept, row, setOffline };
}

/** A customer comments on the account's post: the emulator learns of the post as Meta knows it. */
async function commentOn(mediaId: string, productType: string, caption?: string) {
  await harness.client.comment({
    accountId: harness.account.igUserId,
    text: 'Price?',
    mediaId,
    mediaProductType: productType,
    ...(caption === undefined ? {} : { postCaption: caption }),
  });
}

describe('PostPreviews', () => {
  it('describes a photo post once, however many comments it gets', async () => {
    await commentOn(FEED, 'FEED', 'Linen shirts are back 🌿');
    const { posts, paths, described, kept, row } = previews();
    posts.want(harness.account.igUserId, FEED);
    posts.want(harness.account.igUserId, FEED);
    await posts.idle();
    posts.want(harness.account.igUserId, FEED);
    await posts.idle();

    expect(paths).toEqual([`/v24.0/${FEED}`]);
    expect(described).toEqual([FEED]);
    expect(row(FEED)).toMatchObject({
      state: 'known',
      accountId: harness.account.igUserId,
      mediaType: 'IMAGE',
      caption: 'Linen shirts are back 🌿',
      error: null,
    });
    expect(row(FEED)?.permalink).toMatch(/^https:\/\/www\.instagram\.com\/p\/\w+\/$/);
    expect(row(FEED)?.pictureUrl).toContain(`asset_id=post-${FEED}&type=image`);
    // Its picture is kept before the comments are shown again with it.
    expect(kept).toEqual([[FEED, row(FEED)?.pictureUrl]]);
  });

  it('takes a reel’s cover, not its video, and keeps a post without a caption', async () => {
    await commentOn(REEL, 'REELS');
    const { posts, row } = previews();
    posts.want(harness.account.igUserId, REEL);
    await posts.idle();
    expect(row(REEL)).toMatchObject({ state: 'known', mediaType: 'VIDEO', caption: null });
    expect(row(REEL)?.permalink).toContain('/reel/');
    expect(row(REEL)?.pictureUrl).toContain('type=image');
  });

  it('records a post Instagram will not describe, and does not ask again at the next start', async () => {
    // A comment archived for a post the emulator never heard of: deleted since, as Meta sees it.
    const { posts, paths, described, row } = previews();
    posts.want(harness.account.igUserId, '18099999999999999');
    await posts.idle();
    expect(row('18099999999999999')).toMatchObject({ state: 'failed', pictureUrl: null });
    expect(row('18099999999999999')?.error).toEqual(expect.any(String));
    expect(described).toEqual(['18099999999999999']);

    const next = previews();
    next.posts.want(harness.account.igUserId, '18099999999999999');
    await next.posts.idle();
    expect([...paths, ...next.paths]).toHaveLength(1);
  });

  it('leaves a post for the next start after a failure that may pass, and asks again then', async () => {
    await commentOn(FEED, 'FEED', 'Linen shirts are back 🌿');
    archive.comments.save({
      id: '17867301270520001',
      accountId: harness.account.igUserId,
      field: 'comments',
      mediaId: FEED,
      mediaProductType: 'FEED',
      fromId: harness.customer.igsid,
      fromUsername: 'lena.k',
      text: 'Price?',
      at: harness.clock.now(),
      parentId: null,
      isSelf: false,
      deliveryId: null,
    });
    const offline = previews();
    offline.setOffline(true);
    offline.posts.want(harness.account.igUserId, FEED);
    await offline.posts.idle();
    expect(offline.row(FEED)).toBeUndefined();
    expect(offline.described).toEqual([]);

    const restarted = previews();
    restarted.posts.resume();
    await restarted.posts.idle();
    expect(restarted.row(FEED)).toMatchObject({ state: 'known' });
    expect(restarted.described).toEqual([FEED]);
  });

  it('waits for a usable token, and marks the account when Instagram refuses it', async () => {
    await commentOn(FEED, 'FEED');
    let token: string | null = null;
    const { posts, paths, reconnects, row } = previews({ token: () => token });
    posts.want(harness.account.igUserId, FEED);
    await posts.idle();
    expect(paths).toEqual([]);

    // Expired: Instagram answers 190, the account needs a new login, nothing is recorded.
    token = harness.account.accessToken;
    harness.clock.set(harness.clock.now() + LONG_TOKEN_MS + 1);
    posts.want(harness.account.igUserId, FEED);
    await posts.idle();
    expect(paths).toHaveLength(1);
    expect(reconnects).toHaveLength(1);
    expect(row(FEED)).toBeUndefined();
  });

  it('stops asking once stopped', async () => {
    await commentOn(FEED, 'FEED');
    const { posts, paths } = previews();
    await posts.stop();
    posts.want(harness.account.igUserId, FEED);
    await posts.idle();
    expect(paths).toEqual([]);
  });
});
