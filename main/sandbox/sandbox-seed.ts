import { encodeMid } from './ids';
import type { EmulatorClient } from './emulator-client';

/**
 * The sandbox's simulated customers and their conversations. Everything is fixed (ids, usernames,
 * mids) because Inlet's archive survives restarts and deduplicates by mid
 * (docs/platform.md#webhook-fields): a second run must not duplicate the first. Only timestamps
 * follow the clock.
 */

export const SANDBOX_ACCOUNT = {
  igUserId: '17841400000000001',
  username: 'inlet.sandbox',
  name: 'Inlet Sandbox Shop',
};

/** Not connected at start: what "Connect another account" finds on the emulator's consent page. */
export const SANDBOX_SECOND_ACCOUNT = {
  igUserId: '17841400000000002',
  username: 'inlet.sandbox.cafe',
  name: 'Inlet Sandbox Café',
};

export const SANDBOX_CUSTOMERS = [
  { igsid: '1284973601758392', username: 'lena.k', name: 'Lena K' },
  { igsid: '3012745589164230', username: 'tom.builds', name: 'Tom Builds' },
  { igsid: '9524673188642150', username: 'priya.makes', name: 'Priya' },
  { igsid: '7391046258173946', username: 'marco.rossi', name: 'Marco Rossi' },
  { igsid: '5820394716283051', username: 'yuki.t', name: 'Yuki T' },
] as const;

const [lena, tom, priya, marco, yuki] = SANDBOX_CUSTOMERS;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function sandboxMid(n: number): string {
  return encodeMid(
    `ig_item:1:IGMessage:${SANDBOX_ACCOUNT.igUserId}:sandbox-${String(n).padStart(4, '0')}`,
  );
}

/** Seeds every conversation through the admin API, as real signed webhooks, oldest first. */
export async function seedConversations(client: EmulatorClient, now: number): Promise<void> {
  for (const customer of SANDBOX_CUSTOMERS) {
    await client.createCustomer({ accountId: SANDBOX_ACCOUNT.igUserId, ...customer });
  }
  // Marco wrote three days ago: his 24-hour window is closed, which the inbox should show. He
  // filmed the unboxing and left a voice note first: the sandbox's video and voice-note samples.
  await client.customerSends(marco.igsid, {
    mid: sandboxMid(3),
    timestamp: now - 74 * HOUR - 3 * MINUTE,
    attachments: [{ type: 'video' }],
  });
  await client.customerSends(marco.igsid, {
    mid: sandboxMid(4),
    timestamp: now - 74 * HOUR - 2 * MINUTE,
    attachments: [{ type: 'audio' }],
  });
  await client.customerSends(marco.igsid, {
    mid: sandboxMid(1),
    timestamp: now - 74 * HOUR,
    text: 'Grazie! Arrivato perfetto 🙏',
  });
  await client.customerDoes(marco.igsid, 'echo', {
    mid: sandboxMid(2),
    timestamp: now - 73 * HOUR,
    text: 'So glad it arrived safely, Marco!',
  });

  await client.customerSends(lena.igsid, {
    mid: sandboxMid(10),
    timestamp: now - 3 * HOUR,
    text: 'Hi! Do you still have the linen shirt in size M? ✨',
  });
  await client.customerDoes(lena.igsid, 'echo', {
    mid: sandboxMid(11),
    timestamp: now - 3 * HOUR + 4 * MINUTE,
    text: 'Yes! We have M in beige and navy.',
  });
  await client.customerSends(lena.igsid, {
    mid: sandboxMid(12),
    timestamp: now - 3 * HOUR + 6 * MINUTE,
    attachments: [{ type: 'image' }, { type: 'image' }],
  });
  await client.customerDoes(lena.igsid, 'react', {
    mid: sandboxMid(11),
    reaction: 'love',
    timestamp: now - 3 * HOUR + 7 * MINUTE,
  });

  await client.customerSends(yuki.igsid, {
    mid: sandboxMid(20),
    timestamp: now - 2 * HOUR,
    text: 'こんにちは！マグカップはまだありますか？',
  });
  await client.customerDoes(yuki.igsid, 'echo', {
    mid: sandboxMid(21),
    timestamp: now - 2 * HOUR + 10 * MINUTE,
    text: 'Hello Yuki! Yes, two left in blue.',
  });
  await client.customerSends(yuki.igsid, {
    mid: sandboxMid(22),
    timestamp: now - 2 * HOUR + 12 * MINUTE,
    text: 'Blue please 💙',
    replyToMid: sandboxMid(21),
  });

  await client.customerSends(priya.igsid, {
    mid: sandboxMid(30),
    timestamp: now - 50 * MINUTE,
    attachments: [{ type: 'ig_reel', title: 'Morning routine with the speckled mug ☕' }],
  });
  await client.customerSends(priya.igsid, {
    mid: sandboxMid(31),
    timestamp: now - 49 * MINUTE,
    text: 'Saw this reel — can I order the same mug?',
  });

  await client.customerSends(tom.igsid, {
    mid: sandboxMid(40),
    timestamp: now - 20 * MINUTE,
    text: 'Is this one still available?',
    replyToStory: { id: '18047712935561234' },
  });
  await client.customerSends(tom.igsid, {
    mid: sandboxMid(41),
    timestamp: now - 18 * MINUTE,
    text: 'Also, do you ship to Canada? 🇨🇦 / 🇺🇸',
  });
}

/** Someone who comments but never wrote a DM: a private reply is the only way to reach her. */
export const SANDBOX_COMMENTER = { igsid: '6150283947162038', username: 'noor.designs' } as const;

/**
 * The shop's posts the seeded comments are on (media ids are 17-digit numbers,
 * docs/platform.md#comments-field).
 */
export const SANDBOX_MEDIA = { feed: '18050310947722001', reel: '18050310947722002' } as const;

/**
 * Comments on the shop's posts, as `comments` webhooks; fixed ids, so a second run does not
 * duplicate them (an answered one stays answered in the archive). No timestamps: a comment
 * webhook carries only its delivery time (docs/platform.md#comments-field), so Inlet and the
 * emulator agree on "now".
 */
export async function seedComments(client: EmulatorClient): Promise<void> {
  await client.comment({
    accountId: SANDBOX_ACCOUNT.igUserId,
    id: '17867301270520001',
    fromId: lena.igsid,
    fromUsername: lena.username,
    mediaId: SANDBOX_MEDIA.feed,
    mediaProductType: 'FEED',
    postCaption: 'Linen shirts are back: beige, navy and sage, sizes S–XL 🌿',
    text: 'Does the linen shirt come in green? 💚',
  });
  await client.comment({
    accountId: SANDBOX_ACCOUNT.igUserId,
    id: '17867301270520002',
    fromId: SANDBOX_COMMENTER.igsid,
    fromUsername: SANDBOX_COMMENTER.username,
    mediaId: SANDBOX_MEDIA.reel,
    mediaProductType: 'REELS',
    postCaption: 'Morning routine with the speckled mug ☕',
    text: 'Price? 😍',
  });
}

/** Comments simulated customers leave now and then (private replies to comments). */
export const COMMENT_LINES = [
  { igsid: priya.igsid, username: priya.username, text: 'Is the speckled mug dishwasher-safe?' },
  { igsid: SANDBOX_COMMENTER.igsid, username: SANDBOX_COMMENTER.username, text: 'Ship to Berlin?' },
  { igsid: tom.igsid, username: tom.username, text: 'Love this colour 🔥' },
] as const;

/** Things simulated customers say now and then, or in answer to a reply. */
export const IDLE_LINES = [
  { igsid: lena.igsid, text: 'Could you hold the beige one for me until Friday?' },
  { igsid: tom.igsid, text: 'What would shipping to Toronto cost?' },
  { igsid: priya.igsid, text: 'Do you do gift wrapping? 🎁' },
  { igsid: yuki.igsid, text: 'ありがとうございます！' },
  { igsid: lena.igsid, text: 'Also — is the navy one pre-washed?' },
] as const;

export const FRIENDLY_ANSWERS = [
  'Thank you so much! 😊',
  'Perfect, thanks!',
  'Great, talk soon 👋',
  'Amazing, you’re the best!',
] as const;
