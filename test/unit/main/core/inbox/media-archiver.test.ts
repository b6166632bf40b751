import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Attachment } from '../../../../../shared/domain/schemas';
import { Archive } from '../../../../../main/core/archive/archive';
import { writeExport } from '../../../../../main/core/archive/export';
import { MediaStore } from '../../../../../main/core/archive/media-store';
import { MediaArchiver } from '../../../../../main/core/inbox/media-archiver';
import { PLAIN_INCOMING_DETAILS } from '../../../../fakes/incoming';
import { fixedClock } from '../../../../fakes/clock';
import { memoryLogger } from '../../../../fakes/logger';

const ACCOUNT = '17841405309211844';
const CUSTOMER = '1284973601758392';
const PNG = Buffer.from('\x89PNG\r\n\x1a\nfake-image-bytes', 'latin1');

let dir: string;
let server: Server;
let origin: string;
let hits: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-media-'));
  hits = [];
  // A stand-in for Instagram's lookaside CDN, with the ways a download goes wrong.
  server = createServer((request, response) => {
    const path = request.url ?? '';
    hits.push(path);
    if (path.startsWith('/ok.png')) {
      response.writeHead(200, { 'Content-Type': 'image/png; charset=binary' });
      return void response.end(PNG);
    }
    if (path === '/expired') {
      response.writeHead(403, { 'Content-Type': 'text/plain' });
      return void response.end('URL signature expired');
    }
    if (path === '/stall') {
      response.writeHead(200, { 'Content-Type': 'video/mp4' });
      return void response.write(Buffer.alloc(10)); // and never ends
    }
    if (path === '/clip.mp4') {
      response.writeHead(200, { 'Content-Type': 'video/mp4' });
      return void response.end(Buffer.alloc(20));
    }
    if (path === '/big.png') {
      // A picture far larger than any avatar, without a Content-Length to give it away.
      response.writeHead(200, { 'Content-Type': 'image/png' });
      return void response.end(Buffer.alloc(600));
    }
    if (path === '/html') {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      return void response.end('<script>alert(1)</script>');
    }
    if (path === '/declared-big') {
      response.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': '2000' });
      return void response.end(Buffer.alloc(2000));
    }
    if (path === '/streamed-big') {
      // No Content-Length: only counting the bytes can stop it.
      response.writeHead(200, { 'Content-Type': 'audio/mp4' });
      response.write(Buffer.alloc(600));
      return void response.end(Buffer.alloc(600));
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function build() {
  const archivePath = join(dir, 'archive.sqlite');
  const archive = new Archive(archivePath);
  const store = new MediaStore(archivePath);
  const archived: string[] = [];
  const mediaDir = join(dir, 'media');
  const archiver = new MediaArchiver({
    store,
    dir: mediaDir,
    fetch: globalThis.fetch,
    clock: fixedClock(1_000),
    logger: memoryLogger(),
    onArchived: (messageId) => archived.push(messageId),
    maxBytes: 1_000,
    pictureMaxBytes: 500,
  });
  const receive = (mid: string, attachments: Attachment[]) => {
    const saved = archive.inbound.saveMessage({
      accountId: ACCOUNT,
      customerId: CUSTOMER,
      mid,
      ...PLAIN_INCOMING_DETAILS,
      text: null,
      attachments,
      at: 1_000,
    });
    if (!saved) throw new Error('not saved');
    return saved.message;
  };
  const close = () => {
    store.close();
    archive.close();
  };
  return { archive, store, archiver, archived, receive, mediaDir, close };
}

const attachment = (type: string, url: string | null): Attachment => ({ type, url, title: null });

describe('MediaArchiver', () => {
  it('keeps the picture of the story a message replies to, since the story expires', async () => {
    const { archive, archiver, mediaDir, close } = build();
    const saved = archive.inbound.saveMessage({
      accountId: ACCOUNT,
      customerId: CUSTOMER,
      mid: 'story-reply',
      ...PLAIN_INCOMING_DETAILS,
      text: 'Is this still available?',
      attachments: [],
      story: { kind: 'reply', url: `${origin}/ok.png?story` },
      at: 1_000,
    });
    archiver.archive(saved!.message);
    await archiver.idle();

    const story = archive.queries.findMessage(saved!.message.id)?.story;
    expect(story?.url).toBe(`${origin}/ok.png?story`);
    expect(story?.archivedUrl).toMatch(/^\/archive\/media\/[0-9a-f-]{36}\.png$/);
    const name = story!.archivedUrl!.slice('/archive/media/'.length);
    expect(readFileSync(join(mediaDir, name))).toEqual(PNG);
    expect(archiver.file(name)?.contentType).toBe('image/png');
    close();
  });

  it('downloads image/video/audio/file attachments into the data folder and serves the copy', async () => {
    const { archive, store, archiver, archived, receive, mediaDir, close } = build();
    const message = receive('m1', [
      attachment('image', `${origin}/ok.png?sig=a`),
      attachment('share', `${origin}/ok.png?share`), // a link to Instagram, not media
      attachment('image', 'javascript:alert(1)'),
    ]);
    archiver.archive(message);
    await archiver.idle();

    expect(archived).toEqual([message.id]);
    expect(hits).toEqual(['/ok.png?sig=a']);
    const [image, share, bad] = archive.queries.findMessage(message.id)?.attachments ?? [];
    expect(image?.url).toBe(`${origin}/ok.png?sig=a`); // the original is kept beside the copy
    expect(image?.archivedUrl).toMatch(/^\/archive\/media\/[0-9a-f-]{36}\.png$/);
    expect(share?.archivedUrl).toBeUndefined();
    expect(bad?.archivedUrl).toBeUndefined();

    const name = image?.archivedUrl?.slice('/archive/media/'.length) ?? '';
    expect(store.findFile(name)).toEqual({ file: name, contentType: 'image/png' });
    expect(readFileSync(join(mediaDir, name))).toEqual(PNG);
    expect(readdirSync(mediaDir)).toEqual([name]); // no .part left behind
    // Only recorded names resolve: nothing else of the data folder can be asked for.
    expect(store.findFile('archive.sqlite')).toBeNull();
    expect(store.findFile(`../${name}`)).toBeNull();
    // What both shells serve at the renderer URL: the file in this archive's media folder.
    expect(archiver.file(name)).toEqual({ path: join(mediaDir, name), contentType: 'image/png' });
    expect(archiver.file('archive.sqlite')).toBeNull();

    let json = '';
    writeExport(archive, { format: 'json', now: 0 }, (chunk) => (json += chunk));
    const exported = JSON.parse(json) as {
      conversations: { messages: { attachments: unknown[] }[] }[];
    };
    expect(exported.conversations[0]?.messages[0]?.attachments[0]).toEqual({
      type: 'image',
      url: `${origin}/ok.png?sig=a`,
      file: name,
    });
    close();
  });

  it('records why a download failed and keeps the original URL: expired, wrong type, too big', async () => {
    const { archive, store, archiver, archived, receive, mediaDir, close } = build();
    const message = receive('m2', [
      attachment('image', `${origin}/expired`),
      attachment('file', `${origin}/html`),
      attachment('video', `${origin}/declared-big`),
      attachment('audio', `${origin}/streamed-big`),
      attachment('image', 'http://127.0.0.1:1/unreachable'),
    ]);
    archiver.archive(message);
    await archiver.idle();

    expect(archived).toEqual([]);
    expect(store.list(message.id).map(({ state, error }) => [state, error])).toEqual([
      ['failed', expect.stringContaining('HTTP 403') as string],
      ['failed', 'the content type "text/html" is not kept'],
      ['failed', 'the file is larger than 1000 bytes (2000)'],
      ['failed', 'the file is larger than 1000 bytes'],
      ['failed', expect.stringContaining('the download failed') as string],
    ]);
    const attachments = archive.queries.findMessage(message.id)?.attachments ?? [];
    expect(attachments.map((a) => a.archivedUrl)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(attachments[0]?.url).toBe(`${origin}/expired`);
    expect(readdirSync(mediaDir)).toEqual([]); // the oversized stream was removed
    close();
  });

  it('downloads each attachment once, and resumes what a stopped run left pending', async () => {
    const first = build();
    const message = first.receive('m3', [attachment('image', `${origin}/ok.png?x`)]);
    // Stopped before the download could run: the row stays pending in the archive.
    first.store.enqueue([{ messageId: message.id, idx: 0, url: `${origin}/ok.png?x` }], 1);
    await first.archiver.stop();
    first.archiver.archive(message);
    expect(hits).toEqual([]);
    first.close();

    const second = build();
    second.archiver.resume();
    await second.archiver.idle();
    expect(hits).toEqual(['/ok.png?x']);
    // A redelivery of the same message starts no second download.
    second.archiver.archive(message);
    second.archiver.resume();
    await second.archiver.idle();
    expect(hits).toEqual(['/ok.png?x']);
    expect(second.store.list(message.id).map((row) => row.state)).toEqual(['stored']);
    second.close();
  });

  it('stop() cancels a stalled download at once and leaves it pending for the next run', async () => {
    const { store, archiver, receive, mediaDir, close } = build();
    const message = receive('m4', [attachment('video', `${origin}/stall`)]);
    archiver.archive(message);
    await expect.poll(() => hits).toEqual(['/stall']);
    const started = Date.now();
    await archiver.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(store.list(message.id).map((row) => row.state)).toEqual(['pending']);
    expect(readdirSync(mediaDir)).toEqual([]);
    close();
  });

  it('on resume, fetches media of messages stored without a media record (a crash, an older archive)', async () => {
    const { store, archiver, archived, receive, close } = build();
    const message = receive('m5', [
      attachment('share', `${origin}/ok.png?share`),
      attachment('audio', `${origin}/expired`),
      attachment('image', `${origin}/ok.png?late`),
      attachment('image', 'javascript:alert(1)'),
    ]);
    archiver.resume();
    await archiver.idle();
    expect(hits.sort()).toEqual(['/expired', '/ok.png?late']);
    expect(store.list(message.id).map(({ idx, state }) => [idx, state])).toEqual([
      [1, 'failed'],
      [2, 'stored'],
    ]);
    expect(archived).toEqual([message.id]);
    // Nothing is fetched twice on the next start.
    archiver.resume();
    await archiver.idle();
    expect(hits).toHaveLength(2);
    close();
  });
});

describe('MediaArchiver.keepPicture: profile pictures, archived like media', () => {
  const OWNER = `${ACCOUNT}:${CUSTOMER}`;

  it('keeps a copy of the picture, serves it and shows it with the conversation', async () => {
    const { archive, archiver, receive, mediaDir, close } = build();
    receive('m1', []);
    expect(await archiver.keepPicture(OWNER, `${origin}/ok.png?v1`)).toBe(true);
    const pictureUrl = archive.queries.findConversation(OWNER)?.customerPictureUrl;
    expect(pictureUrl).toMatch(/^\/archive\/media\/[0-9a-f-]{36}\.png$/);
    const file = archiver.file(pictureUrl!.slice('/archive/media/'.length));
    expect(file?.contentType).toBe('image/png');
    expect(readFileSync(file!.path)).toEqual(PNG);
    expect(readdirSync(mediaDir)).toHaveLength(1);
    close();
  });

  it('downloads a link once, and replaces the copy (deleting the old file) when the link changes', async () => {
    const { archive, archiver, receive, mediaDir, close } = build();
    receive('m1', []);
    await archiver.keepPicture(OWNER, `${origin}/ok.png?v1`);
    const first = archive.queries.findConversation(OWNER)?.customerPictureUrl;
    expect(await archiver.keepPicture(OWNER, `${origin}/ok.png?v1`)).toBe(false);
    expect(hits).toEqual(['/ok.png?v1']);
    expect(await archiver.keepPicture(OWNER, `${origin}/ok.png?v2`)).toBe(true);
    const second = archive.queries.findConversation(OWNER)?.customerPictureUrl;
    expect(second).not.toBe(first);
    expect(readdirSync(mediaDir)).toEqual([second!.slice('/archive/media/'.length)]);
    expect(archiver.file(first!.slice('/archive/media/'.length))).toBeNull();
    close();
  });

  it('fetches nothing for a missing picture or a link that is not http(s)', async () => {
    const { archive, archiver, receive, close } = build();
    receive('m1', []);
    expect(await archiver.keepPicture(OWNER, null)).toBe(false);
    expect(await archiver.keepPicture(OWNER, 'javascript:alert(1)')).toBe(false);
    expect(hits).toEqual([]);
    expect(archive.queries.findConversation(OWNER)?.customerPictureUrl).toBeNull();
    close();
  });

  it('records why a picture was not kept: expired, not an image, too big; the older copy stays', async () => {
    const { archive, store, archiver, receive, mediaDir, close } = build();
    receive('m1', []);
    for (const path of ['/expired', '/html', '/clip.mp4', '/big.png']) {
      expect(await archiver.keepPicture(OWNER, `${origin}${path}`)).toBe(false);
      expect(archive.queries.findConversation(OWNER)?.customerPictureUrl).toBeNull();
    }
    expect(store.profilePicture(OWNER)).toEqual({
      url: `${origin}/big.png`,
      file: null,
      error: 'the file is larger than 500 bytes',
    });
    expect(readdirSync(mediaDir).filter((name) => name.endsWith('.part'))).toEqual([]);

    await archiver.keepPicture(OWNER, `${origin}/ok.png?v1`);
    const kept = archive.queries.findConversation(OWNER)?.customerPictureUrl;
    expect(await archiver.keepPicture(OWNER, `${origin}/expired`)).toBe(false);
    expect(store.profilePicture(OWNER)?.error).toContain('HTTP 403');
    expect(archive.queries.findConversation(OWNER)?.customerPictureUrl).toBe(kept);
    // The same link is tried again next time (the next run's lookup): it may work by then.
    await archiver.keepPicture(OWNER, `${origin}/expired`);
    expect(hits.filter((hit) => hit === '/expired')).toHaveLength(3);
    close();
  });
});
