import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Comment } from '../../../../../shared/ipc/comments-contract';
import { PRIVATE_REPLY_WINDOW_MS } from '../../../../../shared/domain/reply-windows';
import { Archive } from '../../../../../main/core/archive/archive';
import { PostsStore } from '../../../../../main/core/archive/posts-store';
import { CommentsStore } from '../../../../../main/core/archive/comments-store';
import { CommentsService } from '../../../../../main/core/comments/comments-service';
import { AppError } from '../../../../../main/core/errors';
import { createEventBus } from '../../../../../main/core/event-bus';
import type { GraphError } from '../../../../../main/core/graph/graph-errors';
import { graphRefusal } from '../../../../fakes/graph-refusal';
import { inboxForTestAccount } from '../inbox/inbox-harness';
import type { Outbox } from '../../../../../main/core/inbox/outbox';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';
import { CATALOGUE, catalogueAt, IG_ID, textMessageBody } from '../../../../fakes/webhook-bodies';

const PRICE = '17867301270523379'; // [36] priya.makes: "Price? 💸"
const REPLY = '17871129034456180'; // [37] tom.builds, a reply to [36]
const OWN = '17999912345678901'; // [38] the business's own comment
const LIVE = '17855501234567890'; // [39] a live comment
const COMMENTER = '952467318864215';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-comments-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Send = (input: { accountId: string; commentId: string; text: string }) => Promise<{
  recipientId: string;
  mid: string;
}>;

async function build(options: { send?: Send } = {}) {
  const logger = memoryLogger();
  const archive = new Archive(join(dir, 'archive.sqlite'));
  const events = createEventBus(logger);
  const clock = fixedClock(catalogueAt('39') + 60_000);
  const saved: Comment[] = [];
  events.on('comments:saved', (comment) => saved.push(comment));
  const sends: { commentId: string; text: string }[] = [];
  const posts = new PostsStore(archive.database);
  const wanted: [accountId: string, mediaId: string | null][] = [];
  const comments = new CommentsService({
    store: new CommentsStore(archive.database),
    posts: {
      findMany: (mediaIds) => posts.findMany(mediaIds),
      want: (accountId, mediaId) => wanted.push([accountId, mediaId]),
    },
    events,
    clock,
    logger,
    sendPrivateReply:
      options.send ??
      (async (input) => {
        sends.push({ commentId: input.commentId, text: input.text });
        return { recipientId: COMMENTER, mid: `pr-${sends.length}` };
      }),
    conversations: {
      find: (id) => archive.queries.findConversation(id),
      findMessageByMid: (mid) => archive.queries.findMessageByMid(mid),
      setUsername: (id, username) =>
        archive.conversations.setCustomerProfile(id, { username, name: null }),
    },
  });
  const inbox = inboxForTestAccount({
    archive,
    events,
    outbox: {
      settled: async () => {},
      claimEcho: () => false,
      hasPending: () => false,
    } as unknown as Outbox,
    clock,
    logger,
    onCommentStored: (id) => comments.commentStored(id),
  });
  for (const key of ['36', '37', '38', '39']) {
    await inbox.acceptDelivery(Buffer.from(CATALOGUE[key]!.body));
  }
  await inbox.idle();
  return { archive, comments, inbox, clock, saved, sends, events, posts, wanted };
}

/** SendingService turns a GraphError into the owner-readable AppError, keeping it as the cause. */
const wrapped = (error: GraphError) =>
  new AppError(error.failure.appCode, error.failure.explanation.text, {
    cause: error,
    detail: error.detail,
  });

describe('CommentsService', () => {
  it('announces each stored customer comment once, never the business’s own', async () => {
    const { inbox, saved } = await build();
    expect(saved.map((c) => c.id)).toEqual([PRICE, REPLY, LIVE]);
    expect(saved[0]).toMatchObject({
      accountId: IG_ID,
      field: 'comments',
      fromId: COMMENTER,
      fromUsername: 'priya.makes',
      text: 'Price? 💸',
      mediaId: '18050310947722369',
      mediaProductType: 'FEED',
      parentId: null,
      privateReply: { state: 'available', sentAt: null, conversationId: null, refusal: null },
    });
    expect(saved[1]!.parentId).toBe(PRICE);
    // Meta redelivers: the duplicate is neither stored nor announced again.
    await inbox.acceptDelivery(Buffer.from(CATALOGUE['36']!.body));
    await inbox.idle();
    expect(saved).toHaveLength(3);
  });

  it('asks for the post of each stored comment, and shows it once Instagram described it', async () => {
    const { archive, comments, saved, posts, wanted, clock } = await build();
    expect(wanted).toContainEqual([IG_ID, '18050310947722369']);
    expect(saved[0]!.post).toBeNull();

    posts.save({
      mediaId: '18050310947722369',
      accountId: IG_ID,
      state: 'known',
      mediaType: 'IMAGE',
      caption: 'Linen shirts are back',
      permalink: 'https://www.instagram.com/p/C0000000001/',
      pictureUrl: 'https://scontent.cdninstagram.com/v/post.jpg',
      error: null,
      fetchedAt: clock.now(),
    });
    archive.database
      .prepare(
        `INSERT INTO pictures (owner_id, url, file, content_type, size, updated_at)
         VALUES (?, ?, ?, 'image/jpeg', 1000, 0)`,
      )
      .run('18050310947722369', 'https://scontent.cdninstagram.com/v/post.jpg', 'a.jpg');
    saved.length = 0;
    comments.postDescribed(IG_ID, '18050310947722369');
    const post = {
      caption: 'Linen shirts are back',
      permalink: 'https://www.instagram.com/p/C0000000001/',
      // Inlet's copy, never Instagram's expiring link.
      pictureUrl: '/archive/media/a.jpg',
      isVideo: false,
    };
    // Every customer comment on that post is shown again, now with it.
    expect(saved.map((c) => [c.id, c.post])).toEqual([
      [PRICE, post],
      [REPLY, post],
    ]);
    const listed = await comments.handlers['comments:list']({ accountId: IG_ID });
    expect(listed.comments.find((c) => c.id === PRICE)?.post).toEqual(post);
  });

  it('shows no post Instagram would not describe', async () => {
    const { comments, posts, clock } = await build();
    posts.save({
      mediaId: '18050310947722369',
      accountId: IG_ID,
      state: 'failed',
      mediaType: null,
      caption: null,
      permalink: null,
      pictureUrl: null,
      error: 'Instagram cannot find this item.',
      fetchedAt: clock.now(),
    });
    const listed = await comments.handlers['comments:list']({ accountId: IG_ID });
    expect(listed.comments.find((c) => c.id === PRICE)?.post).toBeNull();
  });

  it('lists customers’ comments newest first, a page at a time', async () => {
    const { comments } = await build();
    const first = await comments.handlers['comments:list']({ accountId: IG_ID, limit: 2 });
    expect(first.comments.map((c) => c.id)).toEqual([LIVE, REPLY]);
    expect(first.nextCursor).not.toBeNull();
    const second = await comments.handlers['comments:list']({
      accountId: IG_ID,
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect(second.comments.map((c) => c.id)).toEqual([PRICE]);
    expect(second.nextCursor).toBeNull();
    expect(
      (await comments.handlers['comments:list']({ accountId: '17841400000000009' })).comments,
    ).toEqual([]);
    await expect(
      comments.handlers['comments:list']({ accountId: IG_ID, cursor: 'garbage' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'This page of the list no longer exists.',
      detail: { key: 'errorDetail.pageGone', vars: null },
    });
  });

  it('sends the one private reply, records it and says which conversation it opened', async () => {
    const { comments, sends, saved, clock } = await build();
    saved.length = 0;
    const result = await comments.handlers['comments:privateReply']({
      accountId: IG_ID,
      commentId: PRICE,
      text: 'Sent you the price list!',
    });
    expect(result).toEqual({ recipientId: COMMENTER, mid: 'pr-1' });
    expect(sends).toEqual([{ commentId: PRICE, text: 'Sent you the price list!' }]);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.privateReply).toEqual({
      state: 'answered',
      // Comment webhooks carry seconds (docs/platform.md#envelope).
      allowedUntil: Math.floor(catalogueAt('36') / 1000) * 1000 + PRIVATE_REPLY_WINDOW_MS,
      sentAt: clock.now(),
      conversationId: `${IG_ID}:${COMMENTER}`,
      refusal: null,
    });
    // Persisted: a new list (another window, a restart) shows it answered.
    const listed = await comments.handlers['comments:list']({ accountId: IG_ID });
    expect(listed.comments.find((c) => c.id === PRICE)!.privateReply.state).toBe('answered');
    // A second attempt is refused before anything reaches Instagram.
    await expect(
      comments.handlers['comments:privateReply']({
        accountId: IG_ID,
        commentId: PRICE,
        text: 'again',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /already answered/ });
    expect(sends).toHaveLength(1);
  });

  it('files the reply’s echo as Inlet’s own and names the new conversation after the commenter', async () => {
    for (const echoFirst of [false, true]) {
      rmSync(dir, { recursive: true, force: true });
      const { comments, inbox, archive, events } = await build();
      const named: (string | null)[] = [];
      events.on('inbox:conversationSaved', (c) => named.push(c.customerUsername));
      // A listener subscribed after the service (the renderer's forwarder): the corrections must
      // reach it after the snapshots they correct.
      const seen: string[] = [];
      events.on('inbox:messageSaved', ({ message }) =>
        seen.push(`message ${message.isFromOtherApp}`),
      );
      events.on('inbox:conversationSaved', (c) => seen.push(`conversation ${c.customerUsername}`));
      const echo = () =>
        inbox.acceptDelivery(
          Buffer.from(
            textMessageBody({
              mid: 'pr-1',
              text: 'Price list!',
              echo: true,
              customerId: COMMENTER,
            }),
          ),
        );
      if (echoFirst) {
        await echo();
        await inbox.idle();
      }
      await comments.handlers['comments:privateReply']({
        accountId: IG_ID,
        commentId: PRICE,
        text: 'Price list!',
      });
      if (!echoFirst) {
        await echo();
        await inbox.idle();
      }
      const message = archive.queries.findMessageByMid('pr-1')!;
      expect(message.isFromOtherApp).toBe(false);
      const conversation = archive.queries.findConversation(`${IG_ID}:${COMMENTER}`)!;
      expect(conversation.customerUsername).toBe('priya.makes');
      expect(named).toEqual(['priya.makes']);
      expect(seen.filter((event) => event.startsWith('message')).at(-1)).toBe('message false');
      expect(seen.at(-1)).toBe('conversation priya.makes');
      archive.close();
    }
  });

  it('refuses after 7 days without asking Instagram, and counts a future-stamped comment as new', async () => {
    const { comments, sends, clock } = await build();
    clock.set(catalogueAt('36') - 60_000); // this machine's clock is behind Meta's
    const early = await comments.handlers['comments:list']({ accountId: IG_ID });
    expect(early.comments.find((c) => c.id === PRICE)!.privateReply.state).toBe('available');
    clock.set(catalogueAt('36') + PRIVATE_REPLY_WINDOW_MS + 1);
    const late = await comments.handlers['comments:list']({ accountId: IG_ID });
    expect(late.comments.find((c) => c.id === PRICE)!.privateReply.state).toBe('expired');
    await expect(
      comments.handlers['comments:privateReply']({
        accountId: IG_ID,
        commentId: PRICE,
        text: 'hi',
      }),
    ).rejects.toMatchObject({ code: 'OUTSIDE_WINDOW', message: /within 7 days/ });
    expect(sends).toEqual([]);
  });

  it('remembers Instagram’s refusal (2534025) so the reply is not offered again', async () => {
    let calls = 0;
    const { comments, saved } = await build({
      send: async () => {
        calls += 1;
        throw wrapped(graphRefusal(10, 2534025));
      },
    });
    saved.length = 0;
    await expect(
      comments.handlers['comments:privateReply']({
        accountId: IG_ID,
        commentId: PRICE,
        text: 'hi',
      }),
    ).rejects.toMatchObject({ code: 'GRAPH_ERROR', message: /only one is allowed/ });
    expect(saved[0]!.privateReply.state).toBe('refused');
    expect(saved[0]!.privateReply.refusal?.text).toMatch(/only one is allowed/);
    // The owner reads it in their language: the refusal's key travels with the English text.
    expect(saved[0]!.privateReply.refusal?.detail).toEqual({
      key: 'sendError.privateReplyUnavailable',
      vars: null,
    });
    await expect(
      comments.handlers['comments:privateReply']({
        accountId: IG_ID,
        commentId: PRICE,
        text: 'hi',
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /only one is allowed/,
      detail: { key: 'sendError.privateReplyUnavailable', vars: null },
    });
    expect(calls).toBe(1);
  });

  it('keeps a comment answerable after a failure that may pass (rate limit, network)', async () => {
    let fail = true;
    const { comments, saved } = await build({
      send: async () => {
        if (fail) throw wrapped(graphRefusal(4));
        return { recipientId: COMMENTER, mid: 'pr-late' };
      },
    });
    saved.length = 0;
    await expect(
      comments.handlers['comments:privateReply']({ accountId: IG_ID, commentId: LIVE, text: 'hi' }),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(saved).toEqual([]);
    fail = false;
    await expect(
      comments.handlers['comments:privateReply']({ accountId: IG_ID, commentId: LIVE, text: 'hi' }),
    ).resolves.toEqual({ recipientId: COMMENTER, mid: 'pr-late' });
  });

  it('sends only one reply when asked twice at once', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const { comments } = await build({
      send: async () => {
        calls += 1;
        await gate;
        return { recipientId: COMMENTER, mid: 'pr-1' };
      },
    });
    const first = comments.handlers['comments:privateReply']({
      accountId: IG_ID,
      commentId: PRICE,
      text: 'a',
    });
    await expect(
      comments.handlers['comments:privateReply']({ accountId: IG_ID, commentId: PRICE, text: 'b' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /already on its way/ });
    release();
    await first;
    expect(calls).toBe(1);
  });

  it('refuses unknown comments, another account’s, and the business’s own', async () => {
    const { comments, sends } = await build();
    await expect(
      comments.handlers['comments:privateReply']({
        accountId: IG_ID,
        commentId: '17000000000000001',
        text: 'x',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      comments.handlers['comments:privateReply']({
        accountId: '17841400000000009',
        commentId: PRICE,
        text: 'x',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      comments.handlers['comments:privateReply']({ accountId: IG_ID, commentId: OWN, text: 'x' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /your own comment/ });
    expect(sends).toEqual([]);
  });
});
