import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { DeliveryView } from '../../../../../main/core/deliveries/delivery-view';
import {
  ListenerRecorder,
  REFUSED_BODY_CAP,
  REFUSED_RING_SIZE,
} from '../../../../../main/core/deliveries/listener-record';
import { writeListenerFile } from '../../../../../main/core/deliveries/listener-file';
import { WebhookServer } from '../../../../../main/core/webhook/webhook-server';
import { signBody } from '../../../../../main/core/webhook/signature';
import { runDeliveriesCommand, runReplayCommand } from '../../../../../main/cli/deliveries-command';
import { memoryLogger } from '../../../../fakes/logger';
import { IG_ID, textMessageBody } from '../../../../fakes/webhook-bodies';

const SECRET = 'app-secret';
let dir: string;
let archive: Archive;
let server: WebhookServer;
let recorder: ListenerRecorder;
let delivered: Uint8Array[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-deliveries-'));
  archive = new Archive(join(dir, 'archive.sqlite'));
  recorder = new ListenerRecorder(archive.database);
  delivered = [];
  server = new WebhookServer({
    port: 0,
    secrets: () => [SECRET],
    verifyToken: () => 'verify-me',
    onDelivery: (body) => {
      delivered.push(body);
      const id = archive.deliveries.store(body, Date.now());
      // Stands in for processing: understood, nothing changed.
      archive.deliveries.markProcessed(id, Date.now(), null);
      return id;
    },
    onAnswered: (answer) => recorder.record(answer),
    logger: memoryLogger(),
  });
  await server.start();
});

afterEach(async () => {
  await server.stop();
  archive.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(body: string, headers: Record<string, string>) {
  return fetch(server.url ?? '', {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

describe('the delivery journal as a developer reads it', () => {
  it('lists verified and refused requests newest first, refused ones never processed', async () => {
    const body = textMessageBody({ mid: 'm-1', text: 'Hi' });
    expect((await post(body, { 'X-Hub-Signature-256': signBody(body, SECRET) })).status).toBe(200);
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { 'X-Hub-Signature-256': signBody(body, 'other') })).status).toBe(401);
    const wrongType = await fetch(server.url ?? '', { method: 'POST', body: 'x' });
    expect(wrongType.status).toBe(415);
    recorder.flush();

    expect(delivered).toHaveLength(1);
    const records = new DeliveryView(archive.database).list();
    expect(records.map((record) => [record.signature, record.status, record.outcome])).toEqual([
      ['unchecked', 415, 'refused'],
      ['wrong', 401, 'refused'],
      ['missing', 401, 'refused'],
      ['valid', 200, 'understood'],
    ]);
    const verified = records[3];
    expect(verified).toMatchObject({
      id: '1',
      accountIds: [IG_ID],
      unknownAccountIds: [IG_ID],
      kinds: ['message'],
      fields: ['messaging'],
      bytes: Buffer.byteLength(body),
    });
    expect(verified?.answerMs).toEqual(expect.any(Number));
    const refused = new DeliveryView(archive.database).get(records[1]?.id ?? '');
    expect(Buffer.from(refused?.body ?? []).toString()).toBe(body);
    expect(refused?.headers['x-hub-signature-256']).toBe(signBody(body, 'other'));
    expect(new DeliveryView(archive.database).list({ refused: true })).toHaveLength(3);
    expect(new DeliveryView(archive.database).list({ kind: 'message' })).toHaveLength(1);
    expect(new DeliveryView(archive.database).list({ accountId: 'nobody' })).toHaveLength(0);
  });

  it('keeps at most the ring of refused requests, bodies capped, however many arrive', () => {
    for (let n = 0; n < REFUSED_RING_SIZE * 3; n++) {
      recorder.record({
        kind: 'refused',
        receivedAt: n,
        status: 401,
        reason: 'Signature missing',
        signature: 'missing',
        headers: {},
        bytes: REFUSED_BODY_CAP * 2,
        body: new Uint8Array(REFUSED_BODY_CAP * 2),
        answerMs: 0,
      });
      if (n % 200 === 0) recorder.flush();
    }
    recorder.flush();
    const usage = new DeliveryView(archive.database).usage();
    expect(usage.refused.count).toBe(REFUSED_RING_SIZE);
    expect(usage.refused.bytes).toBe(REFUSED_RING_SIZE * REFUSED_BODY_CAP);
    const newest = new DeliveryView(archive.database).list({ refused: true, limit: 1 })[0];
    expect(newest).toMatchObject({
      receivedAt: REFUSED_RING_SIZE * 3 - 1,
      bytes: REFUSED_BODY_CAP * 2,
    });
  });

  it('prunes old processed bodies but keeps their rows, unprocessed ones and messages', () => {
    const old = archive.deliveries.store(Buffer.from('{"old":1}'), 0);
    archive.deliveries.markProcessed(old, 1, null);
    const unprocessed = archive.deliveries.store(Buffer.from('{"pending":1}'), 0);
    archive.database.exec(
      `INSERT INTO conversations (id, account_id, customer_id, last_message_at) VALUES ('c', 'a', 'u', 0);
       INSERT INTO messages (id, mid, conversation_id, direction, text, at, status, delivery_id)
       VALUES ('msg', 'mid', 'c', 'in', 'kept', 0, 'received', ${old});`,
    );
    const view = new DeliveryView(archive.database);
    expect(view.prune(1, 2 * 24 * 60 * 60 * 1000)).toEqual({ bodiesDropped: 1, refusedDropped: 0 });
    expect(view.get(String(old))?.record).toMatchObject({ pruned: true, bytes: 0 });
    expect(view.get(String(old))?.record.changes.messagesCreated).toEqual(['msg']);
    expect(view.get(String(unprocessed))?.record).toMatchObject({
      pruned: false,
      outcome: 'pending',
    });
    expect(archive.database.prepare("SELECT text FROM messages WHERE id = 'msg'").get()).toEqual({
      text: 'kept',
    });
  });
});

describe('inlet deliveries and inlet replay', () => {
  const deps = (lines: string[]) => ({
    env: {},
    defaultDataDir: () => dir,
    stdout: (line: string) => void lines.push(line),
    now: Date.now,
  });
  const replayDeps = (lines: string[], fetchFn: typeof fetch = fetch) => ({
    ...deps(lines),
    fetch: fetchFn,
    isRunning: () => true,
    sleep: () => new Promise<void>((resolve) => setTimeout(resolve, 10)),
  });

  it('prints one JSON object per delivery and the space the journal uses', async () => {
    const body = textMessageBody({ mid: 'm-2', text: 'Hi' });
    await post(body, { 'X-Hub-Signature-256': signBody(body, SECRET) });
    await post(body, {});
    recorder.flush();
    const lines: string[] = [];
    await runDeliveriesCommand(['--data-dir', dir, '--json'], deps(lines));
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.map((object) => [object.id, object.signature, object.outcome])).toEqual([
      ['r1', 'missing', 'refused'],
      ['1', 'valid', 'understood'],
    ]);
    for (const key of ['receivedAt', 'accountIds', 'kinds', 'status', 'bytes'])
      expect(objects[1]).toHaveProperty(key);
    const text: string[] = [];
    await runDeliveriesCommand(['--data-dir', dir, '--refused'], deps(text));
    expect(text.at(-1)).toMatch(/^Journal: 1 deliveries .* 1 refused requests/);
    await expect(
      runDeliveriesCommand(['--data-dir', dir, '--limit', '0'], deps([])),
    ).rejects.toThrow(/positive whole number/);

    const ids = async (args: string[]) => {
      const found: string[] = [];
      await runDeliveriesCommand(['--data-dir', dir, '--json', ...args], deps(found));
      return found.map((line) => (JSON.parse(line) as { id: string }).id);
    };
    expect(await ids(['--signature', 'missing'])).toEqual(['r1']);
    expect(await ids(['--outcome', 'understood'])).toEqual(['1']);
    expect(await ids(['--text', 'M-2'])).toEqual(['r1', '1']);
    expect(await ids(['--text', 'nowhere'])).toEqual([]);
    await expect(
      runDeliveriesCommand(['--data-dir', dir, '--signature', 'forged'], deps([])),
    ).rejects.toThrow(/--signature is one of valid, wrong, missing, unchecked/);
  });

  it('replays a stored delivery byte for byte, signed, and says it changed nothing', async () => {
    const body = textMessageBody({ mid: 'm-3', text: 'Hi' });
    await post(body, { 'X-Hub-Signature-256': signBody(body, SECRET) });
    writeListenerFile(join(dir, 'archive.sqlite'), { url: server.url ?? '', pid: 1 });
    const lines: string[] = [];
    await runReplayCommand(['1', '--data-dir', dir, '--secret', SECRET], replayDeps(lines));
    expect(delivered.map((bytes) => Buffer.from(bytes).toString())).toEqual([body, body]);
    expect(lines).toEqual([
      'Replayed as delivery 2: changed nothing (everything in it was already stored). Not connected in Inlet (skipped): ' +
        IG_ID +
        '.',
    ]);
  });

  it('refuses to replay a refused request, bad JSON, or without a running Inlet, sending nothing', async () => {
    const body = textMessageBody({ mid: 'm-4', text: 'Hi' });
    await post(body, {});
    recorder.flush();
    const sent = vi.fn(fetch);
    const archivePath = join(dir, 'archive.sqlite');
    await expect(
      runReplayCommand(['r1', '--data-dir', dir, '--secret', SECRET], replayDeps([], sent)),
    ).rejects.toThrow(/r1 was refused \(Signature missing\); it was never verified/);
    await expect(
      runReplayCommand(['1', '--data-dir', dir, '--secret', SECRET], replayDeps([], sent)),
    ).rejects.toThrow(/No delivery 1 is kept/);
    const stored = textMessageBody({ mid: 'm-5', text: 'Hi' });
    await post(stored, { 'X-Hub-Signature-256': signBody(stored, SECRET) });
    await expect(
      runReplayCommand(['1', '--data-dir', dir, '--secret', SECRET], replayDeps([], sent)),
    ).rejects.toThrow(/no Inlet is running/);
    writeListenerFile(archivePath, { url: server.url ?? '', pid: 1 });
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, '{"object": "instagram", ');
    await expect(
      runReplayCommand(
        ['1', '--data-dir', dir, '--secret', SECRET, '--edit', edited],
        replayDeps([], sent),
      ),
    ).rejects.toThrow(/edited text is not valid JSON .*nothing was sent/);
    await expect(runReplayCommand(['1', '--data-dir', dir], replayDeps([], sent))).rejects.toThrow(
      /--secret/,
    );
    expect(sent).not.toHaveBeenCalled();
    expect(delivered).toHaveLength(1);
  });
});
