import { describe, expect, it } from 'vitest';
import { incomingText } from '../../../../fakes/incoming';
import { CUSTOMER_ID, IG_ID } from '../../../../fakes/webhook-bodies';
import { CONVERSATION, tempArchive } from './archive-harness';

describe('InboundStore', () => {
  it('hydrates a whole page with reactions and quotes, hiding an unsent quote’s text', () => {
    const archive = tempArchive();
    archive.inbound.saveMessage(incomingText('m1', 1));
    archive.inbound.saveMessage(incomingText('m2', 2, { replyToMid: 'm1' }));
    archive.inbound.saveMessage(incomingText('m3', 3, { replyToMid: 'gone' }));
    archive.inbound.saveMessage(
      incomingText('e1', 4, { direction: 'out', text: 'reply', isFromOtherApp: true }),
    );
    const base = { accountId: IG_ID, customerId: CUSTOMER_ID, deliveryId: null };
    archive.inbound.applyReaction({ ...base, mid: 'm1', by: 'business', emoji: '👍', at: 5 });
    archive.inbound.applyReaction({ ...base, mid: 'm1', by: 'customer', emoji: '😆', at: 5 });
    archive.inbound.applyReaction({ ...base, mid: 'e1', by: 'customer', emoji: '❤️', at: 6 });
    let page = archive.queries.listMessages({ conversationId: CONVERSATION, limit: 10 });
    const m1 = page.items[0]!.id;
    expect(page.items.map((m) => [m.mid, m.reactions, m.replyTo])).toEqual([
      [
        'm1',
        [
          { by: 'customer', emoji: '😆' },
          { by: 'business', emoji: '👍' },
        ],
        null,
      ],
      ['m2', [], { mid: 'm1', text: 'm1', messageId: m1, attachment: null }],
      ['m3', [], { mid: 'gone', text: null, messageId: null, attachment: null }],
      ['e1', [{ by: 'customer', emoji: '❤️' }], null],
    ]);
    archive.inbound.applyUnsend({ ...base, mid: 'm1', at: 7 });
    page = archive.queries.listMessages({ conversationId: CONVERSATION, limit: 10 });
    expect(page.items[1]?.replyTo).toEqual({
      mid: 'm1',
      text: null,
      messageId: m1,
      attachment: null,
    });
    expect(page.items[0]?.isDeleted).toBe(true);
  });

  it('keeps the newest reaction whatever the arrival order, and ignores repeats', () => {
    const archive = tempArchive();
    archive.inbound.saveMessage(incomingText('m1', 1));
    const base = { accountId: IG_ID, customerId: CUSTOMER_ID, deliveryId: null, mid: 'm1' };
    const react = (emoji: string | null, at: number) =>
      archive.inbound.applyReaction({ ...base, by: 'customer', emoji, at });
    expect(react('🔥', 20)?.message.reactions).toEqual([{ by: 'customer', emoji: '🔥' }]);
    expect(react('🔥', 20)).toBeNull();
    expect(react('❤️', 10)).toBeNull(); // older than 🔥
    expect(react(null, 30)?.message.reactions).toEqual([]);
    expect(react(null, 30)).toBeNull();
  });

  it('keeps the newest edit with text, and counts edits from num_edit', () => {
    const archive = tempArchive();
    archive.inbound.saveMessage(incomingText('m1', 1, { text: 'v0' }));
    const edit = (numEdit: number, text: string | null) =>
      archive.inbound.applyEdit({
        accountId: IG_ID,
        customerId: null,
        mid: 'm1',
        numEdit,
        text,
        at: 10 + numEdit,
        deliveryId: null,
      });
    expect(edit(2, 'v2')?.message).toMatchObject({ text: 'v2', editCount: 2 });
    expect(edit(1, 'v1')).toBeNull(); // arrived late: nothing visible changes
    expect(edit(2, 'v2')).toBeNull();
    expect(edit(0, null)).toBeNull();
    expect(archive.queries.findMessageByMid('m1')).toMatchObject({ text: 'v2', editCount: 2 });
  });
});
