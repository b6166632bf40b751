import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { createCore } from '../../../../../main/core/create-core';
import { readListenerFile } from '../../../../../main/core/deliveries/listener-file';
import { curlCommand } from '../../../../../main/core/deliveries/replay';
import { signBody } from '../../../../../main/core/webhook/signature';
import { SANDBOX_APP_SECRET } from '../../../../../main/sandbox/sandbox';
import { memoryKv } from '../../../../fakes/memory-kv';
import { textMessageBody } from '../../../../fakes/webhook-bodies';
import { sandboxCore } from '../sandbox-core';
import { newestOnceThat } from './deliveries-json';

let dir: string;
let core: ReturnType<typeof createCore>;
let kv: ReturnType<typeof memoryKv>;
let listenerUrl: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-developer-'));
  kv = memoryKv();
  core = sandboxCore(dir, {}, { kv });
  await core.start();
  listenerUrl =
    readListenerFile(join(dir, 'sandbox.sqlite'), (pid) => pid === process.pid)?.url ?? '';
});
afterEach(async () => {
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function accountId(): Promise<string> {
  const status = await core.handlers['app:getStatus']();
  return status.accounts[0]?.igUserId ?? '';
}

async function post(body: string, signature: string | null): Promise<number> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (signature) headers['X-Hub-Signature-256'] = signature;
  return (await fetch(listenerUrl, { method: 'POST', body, headers })).status;
}

async function countDeliveries(): Promise<number> {
  return (await core.handlers['developer:listDeliveries']({ limit: 500 })).deliveries.length;
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
    const original = await newestOnceThat(dir);
    expect(original.changes.messagesCreated).toHaveLength(1);
    // "View webhook": the delivery behind a message, and none for a message no delivery created
    const behind = await core.handlers['developer:listDeliveries']({
      messageId: original.changes.messagesCreated[0] ?? '',
    });
    expect(behind.deliveries.map((delivery) => delivery.id)).toEqual([original.id]);
    expect(
      (await core.handlers['developer:listDeliveries']({ messageId: 'no-such-message' }))
        .deliveries,
    ).toEqual([]);

    const again = await core.handlers['developer:replay']({ id: original.id });
    expect(again.delivery).toMatchObject({ outcome: 'understood', signature: 'valid' });
    expect(again.delivery?.id).not.toBe(original.id);
    expect(again.delivery?.changes.messagesCreated).toEqual([]);

    const edited = textMessageBody({
      mid: 'aWdfZAG1-dev-2',
      text: 'Open on Sunday?',
      accountId: account,
    });
    const changed = await core.handlers['developer:replay']({
      id: original.id,
      editedJson: edited,
    });
    expect(changed.delivery?.changes.messagesCreated).toHaveLength(1);
    const stored = await core.handlers['developer:getDelivery']({ id: changed.delivery?.id ?? '' });
    expect(Buffer.from(stored.bodyBase64, 'base64').toString()).toBe(edited);
  });

  it('refuses edited text that is not JSON and sends nothing', async () => {
    const account = await accountId();
    const body = textMessageBody({ mid: 'aWdfZAG1-dev-3', text: 'Hi', accountId: account });
    expect(await post(body, signBody(body, SANDBOX_APP_SECRET))).toBe(200);
    const { id } = await newestOnceThat(dir);
    const before = await countDeliveries();
    await expect(
      core.handlers['developer:replay']({ id, editedJson: '{"object": "instagram",' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /not valid JSON.*nothing was sent/ });
    expect(await countDeliveries()).toBe(before);
  });

  it('refuses a refused request (never verified) and an unknown id', async () => {
    expect(await post('{"object":"instagram"}', 'sha256=00')).toBe(401);
    // The refused ring is written after the answer: wait for it as a developer would.
    const refused = await newestOnceThat(dir, (record) => record.refused);
    expect(refused.id).toMatch(/^r\d+$/);
    await expect(core.handlers['developer:replay']({ id: refused.id })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: /never verified/,
    });
    await expect(core.handlers['developer:curl']({ id: refused.id })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(core.handlers['developer:replay']({ id: '99999' })).rejects.toMatchObject({
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
    const { id } = await newestOnceThat(dir);
    const { command } = await core.handlers['developer:curl']({ id });
    expect(command).not.toContain(SANDBOX_APP_SECRET);
    expect(command).toContain(signBody(body, SANDBOX_APP_SECRET));
    const { stdout } = await promisify(execFile)('sh', ['-c', `${command} -w '%{http_code}'`]);
    expect(stdout.trim().endsWith('200')).toBe(true);
    const replayed = await newestOnceThat(
      dir,
      (record) => record.id !== id && record.outcome !== 'pending',
    );
    const stored = await core.handlers['developer:getDelivery']({ id: replayed.id });
    expect(Buffer.from(stored.bodyBase64, 'base64').toString()).toBe(body);
  });

  it('quotes single quotes so the shell gives back the exact text', () => {
    expect(curlCommand('http://h/w', Buffer.from(`a'b`), 's')).toContain(`--data-binary 'a'\\''b'`);
  });
});

describe('developer settings', () => {
  it('is off by default, remembered once switched on, and off when the stored value is damaged', async () => {
    expect(await core.handlers['developer:getSettings']()).toEqual({ enabled: false });
    expect(await core.handlers['developer:setSettings']({ enabled: true })).toEqual({
      enabled: true,
    });
    expect(await core.handlers['developer:getSettings']()).toEqual({ enabled: true });
    kv.set('developer.settings', { enabled: 'yes' });
    expect(await core.handlers['developer:getSettings']()).toEqual({ enabled: false });
  });
});
