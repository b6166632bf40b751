import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { CommentsStore } from '../../../../../main/core/archive/comments-store';
import {
  CSV_COLUMNS,
  csvCell,
  writeExport,
  writeExportFile,
} from '../../../../../main/core/archive/export';
import { createEventBus } from '../../../../../main/core/event-bus';
import { catalogueInbox } from '../inbox/inbox-harness';
import { runExportCommand } from '../../../../../main/cli/export-command';
import { memoryLogger } from '../../../../fakes/logger';
import { CATALOGUE, IG_ID } from '../../../../fakes/webhook-bodies';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inlet-export-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The whole catalogue of docs/platform.md#webhooks, docs/platform.md#payload-catalogue received
 * through the real inbox pipeline.
 */
async function receivedArchive(): Promise<Archive> {
  const logger = memoryLogger();
  const archive = new Archive(join(dir, 'archive.sqlite'));
  archive.accounts.upsert(IG_ID, 'acme.studio');
  const events = createEventBus(logger);
  const { inbox } = catalogueInbox({
    archive,
    events,
    logger,
    lookupProfile: async () => ({ username: 'lena.k', name: 'Lena K', pictureUrl: null }),
  });
  for (const key of Object.keys(CATALOGUE).sort())
    void inbox.acceptDelivery(Buffer.from(CATALOGUE[key]?.body ?? ''));
  await inbox.idle();
  return archive;
}

function exportText(archive: Archive, options: Parameters<typeof writeExport>[1]): string {
  const chunks: string[] = [];
  writeExport(archive, options, (chunk) => chunks.push(chunk));
  return chunks.join('');
}

type Exported = {
  format: string;
  version: number;
  exportedAt: string;
  accounts: { igUserId: string; username: string | null }[];
  conversations: {
    accountId: string;
    customerId: string;
    customerUsername: string | null;
    unread: number;
    messages: Record<string, unknown>[];
  }[];
  comments: { id: string; text: string | null; at: string; privateReplyAt: string | null }[];
};

describe('inlet export', () => {
  it('round-trips everything that was received, in the documented JSON format', async () => {
    const archive = await receivedArchive();
    // The one private reply Inlet sent to [36] is part of the history too.
    new CommentsStore(archive.database).markAnswered('17867301270523379', {
      at: Date.UTC(2026, 10, 22, 9),
      mid: 'pr-1',
      recipientId: '952467318864215',
    });
    const exported = JSON.parse(
      exportText(archive, { format: 'json', now: Date.UTC(2026, 10, 23) }),
    ) as Exported;
    expect(exported).toMatchObject({
      format: 'inlet-export',
      version: 1,
      exportedAt: '2026-11-23T00:00:00.000Z',
    });
    expect(exported.accounts).toContainEqual({ igUserId: IG_ID, username: 'acme.studio' });

    const { items: conversations } = archive.queries.listConversations({ limit: 500 });
    expect(exported.conversations).toHaveLength(conversations.length);
    for (const conversation of conversations) {
      const out = exported.conversations.find(
        (c) => c.customerId === conversation.customerId && c.accountId === conversation.accountId,
      );
      expect(out).toMatchObject({
        customerUsername: conversation.customerUsername,
        unread: conversation.unreadCount,
      });
      const { items: messages } = archive.queries.listMessages({
        conversationId: conversation.id,
        limit: 10_000,
      });
      expect(out?.messages.map((m) => m.mid)).toEqual(messages.map((m) => m.mid));
      for (const [index, message] of messages.entries()) {
        expect(out?.messages[index]).toEqual({
          mid: message.mid,
          direction: message.direction,
          at: new Date(message.at).toISOString(),
          text: message.isDeleted ? null : message.text,
          attachments: message.isDeleted
            ? []
            : message.attachments.map(({ type, url }) => ({ type, url, file: null })),
          replyTo: message.replyTo?.mid ?? null,
          reactions: message.reactions,
          edited: message.editCount > 0,
          deleted: message.isDeleted,
          seen: message.seenAt === null ? null : new Date(message.seenAt).toISOString(),
          status: message.status,
          source:
            message.direction === 'in'
              ? 'customer'
              : message.isFromOtherApp
                ? 'instagram-app'
                : 'inlet',
          error: message.error,
        });
      }
    }
    const comments = archive.comments.list({ accountId: IG_ID });
    expect(comments.length).toBeGreaterThan(0);
    expect(exported.comments.map((c) => c.id)).toEqual(comments.map((c) => c.id));
    expect(exported.comments.map((c) => c.privateReplyAt).filter((at) => at !== null)).toEqual([
      '2026-11-22T09:00:00.000Z',
    ]);
    // Sanity: the catalogue covers the kinds the format promises.
    const all = exported.conversations.flatMap((c) => c.messages);
    expect(all.some((m) => m.edited === true)).toBe(true);
    expect(all.some((m) => m.deleted === true && m.text === null)).toBe(true);
    expect(all.some((m) => m.replyTo !== null)).toBe(true);
    expect(all.some((m) => m.direction === 'out')).toBe(true);
  });

  it('filters by account and writes CSV with one row per message, quoted and formula-safe', async () => {
    const archive = await receivedArchive();
    const json = JSON.parse(
      exportText(archive, { format: 'json', accountId: '17841499999999999', now: 0 }),
    ) as Exported;
    expect(json.conversations).toEqual([]);
    expect(json.comments).toEqual([]);

    const csv = exportText(archive, { format: 'csv', now: 0 });
    const lines = csv.split('\r\n').filter((line) => line !== '');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    const messageCount = archive.queries
      .listConversations({ limit: 500 })
      .items.reduce(
        (sum, c) =>
          sum + archive.queries.listMessages({ conversationId: c.id, limit: 10_000 }).items.length,
        0,
      );
    // A quoted cell may contain a newline, so count records by their leading account id instead.
    expect(csv.split('\r\n').filter((line) => line.startsWith(`${IG_ID},`))).toHaveLength(
      messageCount,
    );
  });

  it('csvCell quotes separators and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1 555')).toBe(`"'+1 555"`);
    expect(csvCell('@cmd')).toBe(`"'@cmd"`);
  });

  it('the command explains a missing archive and bad flags, and exports the sandbox archive on request', async () => {
    const deps = (write: (chunk: string) => void = () => undefined) => ({
      env: {},
      defaultDataDir: () => dir,
      write,
      now: () => 0,
    });
    await expect(runExportCommand([], deps())).rejects.toThrow(/no archive at .*archive\.sqlite/);
    expect(existsSync(join(dir, 'archive.sqlite'))).toBe(false); // looking creates nothing
    await expect(runExportCommand(['--format', 'xml'], deps())).rejects.toThrow(/json or csv/);
    await expect(runExportCommand(['--account', 'acme'], deps())).rejects.toThrow(/numeric/);
    await expect(runExportCommand(['--bogus'], deps())).rejects.toThrow(/bogus/);
    const archive = await receivedArchive();
    archive.close();
    const chunks: string[] = [];
    await runExportCommand(
      ['--data-dir', dir],
      deps((chunk) => chunks.push(chunk)),
    );
    expect((JSON.parse(chunks.join('')) as Exported).conversations.length).toBeGreaterThan(0);
    await expect(runExportCommand(['--data-dir', dir, '--sandbox'], deps())).rejects.toThrow(
      /sandbox\.sqlite/,
    );
  });

  it('--out writes the export owner-only and whole, replacing an older export', async () => {
    const archive = await receivedArchive();
    archive.close();
    const out = join(dir, 'export.json');
    writeFileSync(out, 'an older export', { mode: 0o644 });
    const written: string[] = [];
    await runExportCommand(['--data-dir', dir, '--out', out], {
      env: {},
      defaultDataDir: () => dir,
      write: (chunk) => written.push(chunk),
      now: () => 0,
    });
    expect(written).toEqual([]); // nothing on stdout
    expect(
      (JSON.parse(readFileSync(out, 'utf8')) as Exported).conversations.length,
    ).toBeGreaterThan(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('refuses to export a damaged archive', async () => {
    const archive = await receivedArchive();
    archive.close();
    writeFileSync(join(dir, 'archive.sqlite'), 'not a database any more');
    await expect(
      runExportCommand(['--data-dir', dir], {
        env: {},
        defaultDataDir: () => dir,
        write: () => undefined,
        now: () => 0,
      }),
    ).rejects.toThrow(/archive\.sqlite is damaged/);
  });
});

describe('writeExportFile', () => {
  it('leaves the previous file as it was when the export fails halfway', async () => {
    const target = join(dir, 'inlet-export.json');
    writeFileSync(target, 'yesterday');
    await expect(
      writeExportFile(target, (write) => {
        write('{"half":');
        throw new Error('the archive went away');
      }),
    ).rejects.toThrow('the archive went away');
    expect(readFileSync(target, 'utf8')).toBe('yesterday');
    expect(readdirSync(dir)).toEqual(['inlet-export.json']);
  });
});
