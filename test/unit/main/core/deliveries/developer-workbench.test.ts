import { describe, expect, it } from 'vitest';
import { matchSignature, signBody } from '../../../../../main/core/webhook/signature';
import { SANDBOX_APP_SECRET } from '../../../../../main/sandbox/sandbox';
import { simulatedEvents, SIMULATE_EVENTS } from '../../../../../main/sandbox/simulate-command';
import { textMessageBody } from '../../../../fakes/webhook-bodies';
import { sandboxListenerPerTest } from '../sandbox-core';
import { newestOnceThat } from './deliveries-json';
import { startWebhookHandler } from '../../../../fakes/webhook-handler';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Moves the core's clock forward (pruning "older than N days"). */
let clockOffset = 0;
const sandbox = sandboxListenerPerTest('inlet-workbench-', () => {
  clockOffset = 0;
  return { simulatedEvents, clock: { now: () => Date.now() + clockOffset } };
});
const { accountId, post } = sandbox;

async function postSigned(mid: string, text: string): Promise<string> {
  const body = textMessageBody({ mid, text, accountId: await accountId() });
  expect(await post(body, signBody(body, SANDBOX_APP_SECRET))).toBe(200);
  return (
    await newestOnceThat(sandbox.dir, (record) => record.outcome !== 'pending' && !record.refused)
  ).id;
}

const list = (input: Parameters<(typeof sandbox.core.handlers)['developer:listDeliveries']>[0]) =>
  sandbox.core.handlers['developer:listDeliveries'](input).then(({ deliveries }) =>
    deliveries.map((delivery) => delivery.id),
  );

describe('developer:listDeliveries filters', () => {
  it('filters by signature result and outcome, and searches every kept body in main', async () => {
    const sized = await postSigned('aWdfZAG1-wb-1', 'Größe M, bitte');
    const plain = await postSigned('aWdfZAG1-wb-2', 'Hello');
    expect(await post('{"object":"instagram"}', 'sha256=00')).toBe(401);
    expect(await post('{"object":"instagram"}', null)).toBe(401);
    const missing = await newestOnceThat(sandbox.dir, (record) => record.signature === 'missing');
    const wrong = (await list({ signature: 'wrong' }))[0];

    expect(wrong).toMatch(/^r\d+$/);
    expect(await list({ signature: 'missing' })).toEqual([missing.id]);
    expect(await list({ outcome: 'refused' })).toEqual([missing.id, wrong]);
    expect(await list({ signature: 'valid', outcome: 'understood' })).toEqual(
      expect.arrayContaining([plain, sized]),
    );
    // Meta sent "Gr\u00f6\u00dfe": found by what it says, in any case, past a page of one.
    expect(await list({ text: 'größe m', limit: 1 })).toEqual([sized]);
    expect(await list({ text: 'aWdfZAG1-wb-2' })).toEqual([plain]);
    expect(await list({ text: 'no such words' })).toEqual([]);
  });

  it('links each message a delivery created to its conversation ("Open message")', async () => {
    const id = await postSigned('aWdfZAG1-wb-3', 'Where is my parcel?');
    const { delivery } = await sandbox.core.handlers['developer:getDelivery']({ id });
    const [link] = delivery.messageLinks;
    expect(delivery.messageLinks).toHaveLength(1);
    expect(link?.messageId).toBe(delivery.changes.messagesCreated[0]);
    const page = await sandbox.core.handlers['inbox:listMessages']({
      conversationId: link?.conversationId ?? '',
    });
    expect(page.messages.map((message) => message.id)).toContain(link?.messageId);
  });
});

describe('developer:simulate', () => {
  it('sends every kind `inlet simulate` knows, for the connected account, and refuses others', async () => {
    const { simulateKinds } = await sandbox.core.handlers['developer:getWorkbench']();
    expect(simulateKinds).toEqual(SIMULATE_EVENTS);

    const { delivery } = await sandbox.core.handlers['developer:simulate']({
      kind: 'message',
      text: 'Simulated hello',
    });
    expect(delivery).toMatchObject({
      signature: 'valid',
      outcome: 'understood',
      accountIds: [await accountId()],
      unknownAccountIds: [],
      kinds: ['message'],
    });
    expect(delivery?.changes.messagesCreated).toHaveLength(1);

    await expect(
      sandbox.core.handlers['developer:simulate']({ kind: 'fax' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /"fax" is not an event/,
    });
  });
});

describe('developer:setForwarding', () => {
  it('forwards verified deliveries to a target set in Settings, and refuses bad targets with a reason', async () => {
    const handler = await startWebhookHandler({ answer: () => 204 });
    const { received } = handler;
    const target = handler.url;
    try {
      await expect(
        sandbox.core.handlers['developer:setForwarding']({
          targets: ['ftp://127.0.0.1/'],
          allowRemote: false,
        }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /not http\(s\)/ });
      await expect(
        sandbox.core.handlers['developer:setForwarding']({
          targets: ['https://hooks.example.com/'],
          allowRemote: false,
        }),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: /Allow hosts other than this machine/,
      });
      expect(
        (await sandbox.core.handlers['developer:getWorkbench']()).forwarding.settings.targets,
      ).toEqual([]);

      const workbench = await sandbox.core.handlers['developer:setForwarding']({
        targets: [target],
        allowRemote: false,
      });
      expect(workbench.forwarding.settings).toEqual({ targets: [target], allowRemote: false });
      expect(workbench.forwarding.queues.map((queue) => queue.target)).toEqual([target]);

      const body = textMessageBody({
        mid: 'aWdfZAG1-wb-4',
        text: 'Forward me',
        accountId: await accountId(),
      });
      expect(await post(body, signBody(body, SANDBOX_APP_SECRET))).toBe(200);
      const forwarded = await newestOnceThat(sandbox.dir, (record) => record.forwards.length > 0);
      expect(forwarded.forwards).toMatchObject([{ target, status: 204, error: null }]);
      expect(received[0]?.body.toString()).toBe(body);
      expect(
        matchSignature(received[0]?.body ?? Buffer.alloc(0), received[0]?.signature ?? '', [
          SANDBOX_APP_SECRET,
        ]),
      ).toBe(0);

      const off = await sandbox.core.handlers['developer:setForwarding']({
        targets: [],
        allowRemote: false,
      });
      expect(off.forwarding.queues).toEqual([]);
    } finally {
      await handler.stop();
    }
  });
});

describe('developer:prune', () => {
  it('shows the space the journal uses and drops old bodies, never messages', async () => {
    const id = await postSigned('aWdfZAG1-wb-5', 'Keep this message');
    const before = (await sandbox.core.handlers['developer:getWorkbench']()).usage;
    expect(before.verified.count).toBeGreaterThan(0);
    expect(before.verified.bytes).toBeGreaterThan(0);

    expect(await sandbox.core.handlers['developer:prune']({ days: 1 })).toMatchObject({
      bodiesDropped: 0,
    });
    clockOffset = 2 * DAY_MS;
    const pruned = await sandbox.core.handlers['developer:prune']({ days: 1 });
    expect(pruned.bodiesDropped).toBeGreaterThan(0);
    expect(pruned.workbench.usage.verified.pruned).toBe(pruned.bodiesDropped);
    expect(pruned.workbench.usage.verified.bytes).toBeLessThan(before.verified.bytes);

    const { delivery } = await sandbox.core.handlers['developer:getDelivery']({ id });
    expect(delivery.pruned).toBe(true);
    const [link] = delivery.messageLinks;
    const page = await sandbox.core.handlers['inbox:listMessages']({
      conversationId: link?.conversationId ?? '',
    });
    expect(page.messages.map((message) => message.text)).toContain('Keep this message');
  });
});
