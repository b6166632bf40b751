import { afterEach, describe, expect, it } from 'vitest';
import { INBOX_WEBHOOK_FIELDS } from '../../../../main/core/auth/webhook-subscription';
import { startSandbox, type Sandbox } from '../../../../main/sandbox/sandbox';
import {
  COMMENT_LINES,
  SANDBOX_COMMENTER,
  SANDBOX_CUSTOMERS,
} from '../../../../main/sandbox/sandbox-seed';
import { memoryLogger } from '../../../fakes/logger';
import {
  hasValidSignature,
  manualClock,
  messagingOf,
  startReceiver,
  type ReceivedPost,
} from './webhook-receiver';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

describe('sandbox mode', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function run(
    options: { liveliness?: boolean; fast?: boolean } = {},
  ): Promise<{ sandbox: Sandbox; receiver: Receiver }> {
    const sandbox = await startSandbox({
      clock: manualClock(),
      logger: memoryLogger(),
      liveliness: options.liveliness ?? false,
      livelinessTiming: options.fast ? { idleMs: 20, pollMs: 10, answerMs: 10 } : undefined,
    });
    const receiver = await startReceiver({ verifyToken: sandbox.verifyToken });
    cleanups.push(
      () => receiver.close(),
      () => sandbox.stop(),
    );
    await subscribeAsInlet(sandbox);
    await sandbox.attach(receiver.url);
    return { sandbox, receiver };
  }

  /** Inlet subscribes the shop at start; without it the emulator, like Meta, delivers nothing. */
  async function subscribeAsInlet(sandbox: Sandbox): Promise<void> {
    const { igUserId, accessToken } = sandbox.account;
    const url = new URL(`/v24.0/${igUserId}/subscribed_apps`, sandbox.emulatorUrl);
    url.searchParams.set('subscribed_fields', INBOX_WEBHOOK_FIELDS.join(','));
    url.searchParams.set('access_token', accessToken);
    const response = await fetch(url, { method: 'POST' });
    expect(response.status).toBe(200);
  }

  it('delivers nothing to the shop until it is subscribed, as Meta does', async () => {
    const sandbox = await startSandbox({
      clock: manualClock(),
      logger: memoryLogger(),
      liveliness: false,
    });
    const receiver = await startReceiver({ verifyToken: sandbox.verifyToken });
    cleanups.push(
      () => receiver.close(),
      () => sandbox.stop(),
    );
    await sandbox.attach(receiver.url);
    expect(receiver.posts).toEqual([]);
  });

  const summary = (posts: ReceivedPost[]) =>
    posts.flatMap(messagingOf).map((e) => ({
      mid: (e.message?.mid ?? (e.reaction as { mid: string } | undefined)?.mid) as string,
      sender: e.sender?.id,
    }));

  it('seeds varied conversations as signed webhooks, identically on every run', async () => {
    const first = await run();
    const posts = first.receiver.posts;
    expect(posts.every((p) => hasValidSignature(p, first.sandbox.appSecret))).toBe(true);
    const events = posts.flatMap(messagingOf);
    const senders = new Set(events.map((e) => e.sender?.id));
    for (const customer of SANDBOX_CUSTOMERS) expect(senders).toContain(customer.igsid);
    const kinds = events.flatMap((e) => [
      ...(e.message?.attachments ?? []).map((a) => a.type),
      ...(e.message?.reply_to ? ['reply_to'] : []),
      ...(e.message?.is_echo ? ['echo'] : []),
      ...(e.reaction ? ['reaction'] : []),
      ...(e.message?.text ? ['text'] : []),
    ]);
    expect(new Set(kinds)).toEqual(
      new Set(['text', 'image', 'video', 'audio', 'ig_reel', 'reply_to', 'echo', 'reaction']),
    );
    expect(first.sandbox.account.igUserId).toBe('17841400000000001');

    const second = await run();
    expect(second.sandbox.appId).toBe(first.sandbox.appId);
    expect(second.sandbox.appSecret).toBe(first.sandbox.appSecret);
    expect(second.sandbox.account.igUserId).toBe(first.sandbox.account.igUserId);
    expect(summary(second.receiver.posts)).toEqual(summary(posts));
  });

  const commentsOf = (posts: ReceivedPost[]) =>
    posts.flatMap((p) =>
      p.json.entry.flatMap((entry) =>
        (entry.changes ?? []).filter((change) => change.field === 'comments'),
      ),
    );

  it('seeds comments with fixed ids, and a private reply to one opens a conversation', async () => {
    const { sandbox, receiver } = await run();
    const seeded = commentsOf(receiver.posts).map((change) => change.value);
    expect(seeded.map((value) => value.id)).toEqual(['17867301270520001', '17867301270520002']);
    expect(seeded[1]).toMatchObject({
      from: { id: SANDBOX_COMMENTER.igsid, username: SANDBOX_COMMENTER.username },
      media: { media_product_type: 'REELS' },
    });
    const reply = (text: string) =>
      fetch(`${sandbox.emulatorUrl}/v24.0/me/messages`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${sandbox.account.accessToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ recipient: { comment_id: '17867301270520002' }, message: { text } }),
      });
    const first = await reply('Sent you the price list!');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ recipient_id: SANDBOX_COMMENTER.igsid });
    // The echo files the reply into a conversation with the commenter.
    await receiver.waitFor((p) =>
      messagingOf(p).some(
        (e) => e.message?.is_echo === true && e.recipient?.id === SANDBOX_COMMENTER.igsid,
      ),
    );
    const second = await reply('again');
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: { error_subcode: 2534025 } });
  });

  it('gives Inlet a working Graph API with the sandbox token', async () => {
    const { sandbox } = await run();
    const response = await fetch(
      `${sandbox.emulatorUrl}/v24.0/${sandbox.account.igUserId}/conversations?platform=instagram`,
      {
        headers: { Authorization: `Bearer ${sandbox.account.accessToken}` },
      },
    );
    const json = (await response.json()) as { data: unknown[] };
    expect(json.data).toHaveLength(SANDBOX_CUSTOMERS.length);
  });

  it('refuses to attach to a listener that fails verification', async () => {
    const sandbox = await startSandbox({
      clock: manualClock(),
      logger: memoryLogger(),
      liveliness: false,
    });
    const receiver = await startReceiver({ verifyToken: 'something else' });
    cleanups.push(
      () => receiver.close(),
      () => sandbox.stop(),
    );
    await expect(sandbox.attach(receiver.url)).rejects.toThrow(/502/);
    expect(receiver.posts).toHaveLength(0);
  });

  it('has customers write now and then, and answer a reply', async () => {
    const { sandbox, receiver } = await run({ liveliness: true, fast: true });
    const seeded = receiver.posts.length;
    await receiver.waitFor(
      (p) =>
        receiver.posts.indexOf(p) >= seeded &&
        messagingOf(p).some(
          (e) => !e.message?.is_echo && e.message?.mid?.startsWith('aWdf') === true,
        ),
    );

    // Now and then a customer comments on a post instead.
    const comment = await receiver.waitFor((p) =>
      commentsOf([p]).some((change) =>
        COMMENT_LINES.some((line) => line.text === change.value.text),
      ),
    );
    expect(hasValidSignature(comment, sandbox.appSecret)).toBe(true);

    const lena = SANDBOX_CUSTOMERS[0].igsid;
    const reply = await fetch(`${sandbox.emulatorUrl}/v24.0/me/messages`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${sandbox.account.accessToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ recipient: { id: lena }, message: { text: 'Happy to help!' } }),
    });
    expect(reply.status).toBe(200);
    const answer = await receiver.waitFor((p) =>
      messagingOf(p).some(
        (e) =>
          e.sender?.id === lena &&
          [
            'Thank you so much! 😊',
            'Perfect, thanks!',
            'Great, talk soon 👋',
            'Amazing, you’re the best!',
          ].includes(e.message?.text ?? ''),
      ),
    );
    expect(hasValidSignature(answer, sandbox.appSecret)).toBe(true);
  });
});
