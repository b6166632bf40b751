import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { curlCommand } from '../../../../../main/core/deliveries/replay';
import { signBody } from '../../../../../main/core/webhook/signature';
import { SANDBOX_APP_SECRET } from '../../../../../main/sandbox/sandbox';
import { textMessageBody } from '../../../../fakes/webhook-bodies';
import { sandboxListenerPerTest } from '../sandbox-core';
import { newestOnceThat } from './deliveries-json';

const sandbox = sandboxListenerPerTest('inlet-developer-');
const { accountId, post } = sandbox;

async function countDeliveries(): Promise<number> {
  return (await sandbox.core.handlers['developer:listDeliveries']({ limit: 500 })).deliveries
    .length;
}

describe('developer:replay', () => {
  it('replays through the listener: the same bytes change nothing, edited ones create their message', async () => {
    const account = await accountId();
    const body = textMessageBody({
      mid: 'aWdfZAG1-dev-1',
      text: 'Still open?',
      accountId: account,
    });
    expect(await post(body, signBody(body, SANDBOX_APP_SECRET))).toBe(200);
    const original = await newestOnceThat(sandbox.dir);
    expect(original.changes.messagesCreated).toHaveLength(1);
    // "View webhook": the delivery behind a message, and none for a message no delivery created
    const behind = await sandbox.core.handlers['developer:listDeliveries']({
      messageId: original.changes.messagesCreated[0] ?? '',
    });
    expect(behind.deliveries.map((delivery) => delivery.id)).toEqual([original.id]);
    expect(
      (await sandbox.core.handlers['developer:listDeliveries']({ messageId: 'no-such-message' }))
        .deliveries,
    ).toEqual([]);

    const again = await sandbox.core.handlers['developer:replay']({ id: original.id });
    expect(again.delivery).toMatchObject({ outcome: 'understood', signature: 'valid' });
    expect(again.delivery?.id).not.toBe(original.id);
    expect(again.delivery?.changes.messagesCreated).toEqual([]);

    const edited = textMessageBody({
      mid: 'aWdfZAG1-dev-2',
      text: 'Open on Sunday?',
      accountId: account,
    });
    const changed = await sandbox.core.handlers['developer:replay']({
      id: original.id,
      editedJson: edited,
    });
    expect(changed.delivery?.changes.messagesCreated).toHaveLength(1);
    const stored = await sandbox.core.handlers['developer:getDelivery']({
      id: changed.delivery?.id ?? '',
    });
    expect(Buffer.from(stored.bodyBase64, 'base64').toString()).toBe(edited);
  });

  it('refuses edited text that is not JSON and sends nothing', async () => {
    const account = await accountId();
    const body = textMessageBody({ mid: 'aWdfZAG1-dev-3', text: 'Hi', accountId: account });
    expect(await post(body, signBody(body, SANDBOX_APP_SECRET))).toBe(200);
    const { id } = await newestOnceThat(sandbox.dir);
    const before = await countDeliveries();
    await expect(
      sandbox.core.handlers['developer:replay']({ id, editedJson: '{"object": "instagram",' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /not valid JSON.*nothing was sent/ });
    expect(await countDeliveries()).toBe(before);
  });

  it('refuses a refused request (never verified) and an unknown id', async () => {
    expect(await post('{"object":"instagram"}', 'sha256=00')).toBe(401);
    // The refused ring is written after the answer: wait for it as a developer would.
    const refused = await newestOnceThat(sandbox.dir, (record) => record.refused);
    expect(refused.id).toMatch(/^r\d+$/);
    await expect(
      sandbox.core.handlers['developer:replay']({ id: refused.id }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /never verified/,
    });
    await expect(sandbox.core.handlers['developer:curl']({ id: refused.id })).rejects.toMatchObject(
      {
        code: 'INVALID_INPUT',
      },
    );
    await expect(sandbox.core.handlers['developer:replay']({ id: '99999' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('developer:curl', () => {
  it('gives a command that the listener accepts, with the signature and without the secret', async () => {
    const account = await accountId();
    // Meta's escapes and a quote that the shell must keep
    const body = textMessageBody({
      mid: 'aWdfZAG1-dev-4',
      text: 'it\'s \u00e9t\u00e9 \\ "quoted"',
      accountId: account,
    });
    expect(await post(body, signBody(body, SANDBOX_APP_SECRET))).toBe(200);
    const { id } = await newestOnceThat(sandbox.dir);
    const { command } = await sandbox.core.handlers['developer:curl']({ id });
    expect(command).not.toContain(SANDBOX_APP_SECRET);
    expect(command).toContain(signBody(body, SANDBOX_APP_SECRET));
    const { stdout } = await promisify(execFile)('sh', ['-c', `${command} -w '%{http_code}'`]);
    expect(stdout.trim().endsWith('200')).toBe(true);
    const replayed = await newestOnceThat(
      sandbox.dir,
      (record) => record.id !== id && record.outcome !== 'pending',
    );
    const stored = await sandbox.core.handlers['developer:getDelivery']({ id: replayed.id });
    expect(Buffer.from(stored.bodyBase64, 'base64').toString()).toBe(body);
  });

  it('quotes single quotes so the shell gives back the exact text', () => {
    expect(curlCommand('http://h/w', Buffer.from(`a'b`), 's')).toContain(`--data-binary 'a'\\''b'`);
  });
});

describe('developer settings', () => {
  it('is off by default, remembered once switched on, and off when the stored value is damaged', async () => {
    expect(await sandbox.core.handlers['developer:getSettings']()).toEqual({ enabled: false });
    expect(await sandbox.core.handlers['developer:setSettings']({ enabled: true })).toEqual({
      enabled: true,
    });
    expect(await sandbox.core.handlers['developer:getSettings']()).toEqual({ enabled: true });
    sandbox.kv.set('developer.settings', { enabled: 'yes' });
    expect(await sandbox.core.handlers['developer:getSettings']()).toEqual({ enabled: false });
  });
});
