import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGraphReconciler } from '../../../../../main/core/inbox/graph-sender';
import { memoryLogger } from '../../../../fakes/logger';
import { emulatorGraph, startHarness, type Harness } from '../../sandbox/harness';

/**
 * Finding a send whose answer was lost, against the emulator, whichever way Graph expands a
 * conversation's messages (docs/platform.md#conversation-messages).
 */
let h: Harness;
let paths: string[];
let sleeps: number[];
beforeEach(async () => {
  h = await startHarness();
  paths = [];
  sleeps = [];
});
afterEach(() => h.stop());

const reconciler = () =>
  createGraphReconciler(
    emulatorGraph(h.emulator.url, { paths, logger: memoryLogger() }),
    () => h.account.accessToken,
    async (ms) => void sleeps.push(ms),
  );

async function conversationWithReply(): Promise<{ sentAfter: number; mid: string }> {
  await h.client.customerSends(h.customer.igsid, { text: 'Do you ship?' });
  h.clock.set(h.clock.now() + 2_000);
  const sentAfter = h.clock.now();
  const answer = await h.sendMessage({
    recipient: { id: h.customer.igsid },
    message: { text: 'Yes, everywhere' },
  });
  return { sentAfter, mid: (answer.json as { message_id: string }).message_id };
}

describe.each(['bodies', 'ids-only'] as const)('the send reconciler, expansion %s', (mode) => {
  beforeEach(() => h.client.configureApp({ messageExpansion: mode }));

  it('finds the send by text after its time, and not a mid it already knows', async () => {
    const { sentAfter, mid } = await conversationWithReply();
    const lookUp = (known: string[]) =>
      reconciler().lookUp({
        accountId: h.account.igUserId,
        customerId: h.customer.igsid,
        text: 'Yes, everywhere',
        sentAfter,
        isKnownMid: (candidate) => known.includes(candidate),
      });
    expect(await lookUp([])).toEqual({ state: 'found', mid });
    expect(await lookUp([mid])).toEqual({ state: 'absent' });
    // Ids only: the customer's older message is not read, only what came after the send.
    expect(paths.filter((path) => path.includes(mid))).toHaveLength(mode === 'ids-only' ? 1 : 0);
    expect(sleeps.length).toBe(mode === 'ids-only' ? 1 : 0);
  });
});
