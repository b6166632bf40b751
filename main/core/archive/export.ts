import { closeSync, openSync, writeFileSync } from 'node:fs';
import type { Conversation, Message } from '../../../shared/domain/schemas';
import type { Archive } from './archive';
import { PRIVATE_FILE_MODE, writeFileDurably } from './durable-file';
import { ARCHIVED_MEDIA_PATH } from './media-store';

/**
 * `inlet export`: the archive in a stable, documented format (README, "Export"). The archive is
 * the only complete history an owner has (Meta keeps 20 messages a thread), so this format is a
 * promise: new fields may be added, existing ones never change meaning within a version.
 */
export const EXPORT_FORMAT = 'inlet-export';
export const EXPORT_VERSION = 1;

export type ExportFormat = 'json' | 'csv';
export type ExportOptions = { accountId?: string; format: ExportFormat; now: number };

type ExportedMessage = {
  mid: string | null;
  direction: 'in' | 'out';
  at: string;
  text: string | null;
  attachments: { type: string; url: string | null; file: string | null }[];
  replyTo: string | null;
  reactions: { by: 'customer' | 'business'; emoji: string }[];
  edited: boolean;
  deleted: boolean;
  seen: string | null;
  status: Message['status'];
  /** `customer`, `inlet` (sent from Inlet) or `instagram-app` (sent from another app). */
  source: 'customer' | 'inlet' | 'instagram-app';
  error: string | null;
};

const PAGE = 500;
const iso = (ms: number) => new Date(ms).toISOString();

function sourceOf(message: Message): ExportedMessage['source'] {
  if (message.direction === 'in') return 'customer';
  return message.isFromOtherApp ? 'instagram-app' : 'inlet';
}

function exportMessage(message: Message): ExportedMessage {
  return {
    mid: message.mid,
    direction: message.direction,
    at: iso(message.at),
    // An unsent message's content is gone for the customer: the export does not revive it.
    text: message.isDeleted ? null : message.text,
    attachments: message.isDeleted
      ? []
      : message.attachments.map(({ type, url, archivedUrl }) => ({
          type,
          url,
          // The archived copy's file name in the data folder's media directory.
          file: archivedUrl?.slice(ARCHIVED_MEDIA_PATH.length) ?? null,
        })),
    replyTo: message.replyTo?.mid ?? null,
    reactions: message.reactions,
    edited: message.editCount > 0,
    deleted: message.isDeleted,
    seen: message.seenAt === null ? null : iso(message.seenAt),
    status: message.status,
    source: sourceOf(message),
    error: message.error?.text ?? null,
  };
}

function* conversationsOf(
  archive: Archive,
  accountId: string | undefined,
): Generator<Conversation> {
  let cursor: string | undefined;
  do {
    const page = archive.queries.listConversations({ cursor, limit: PAGE });
    for (const conversation of page.items) {
      if (accountId === undefined || conversation.accountId === accountId) yield conversation;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** Oldest first; pages are read newest to oldest, so they are collected and reversed once. */
function messagesOf(archive: Archive, conversationId: string): Message[] {
  const pages: Message[][] = [];
  let before: string | undefined;
  do {
    const page = archive.queries.listMessages({ conversationId, before, limit: PAGE });
    pages.push(page.items);
    before = page.nextCursor ?? undefined;
  } while (before !== undefined);
  // Gap markers are Inlet's note that catch-up could not recover something, not a message.
  return pages
    .reverse()
    .flat()
    .filter((message) => message.context?.kind !== 'gap');
}

/**
 * Writes the export in chunks (one conversation at a time), so a large archive never sits in
 * memory as a single string.
 */
export function writeExport(
  archive: Archive,
  options: ExportOptions,
  write: (chunk: string) => void,
): void {
  if (options.format === 'csv') return writeCsv(archive, options.accountId, write);
  const accounts = archive.accounts
    .list()
    .filter((account) => options.accountId === undefined || account.igUserId === options.accountId);
  write(
    `{"format":"${EXPORT_FORMAT}","version":${EXPORT_VERSION},"exportedAt":"${iso(options.now)}",`,
  );
  write(`"accounts":${JSON.stringify(accounts)},"conversations":[`);
  let first = true;
  for (const conversation of conversationsOf(archive, options.accountId)) {
    const exported = {
      accountId: conversation.accountId,
      customerId: conversation.customerId,
      customerUsername: conversation.customerUsername,
      customerName: conversation.customerName,
      unread: conversation.unreadCount,
      messages: messagesOf(archive, conversation.id).map(exportMessage),
    };
    write(`${first ? '' : ','}\n${JSON.stringify(exported)}`);
    first = false;
  }
  const comments = accounts.flatMap((account) =>
    archive.comments.list({ accountId: account.igUserId }).map((comment) => ({
      id: comment.id,
      accountId: comment.accountId,
      mediaId: comment.mediaId,
      fromId: comment.fromId,
      fromUsername: comment.fromUsername,
      text: comment.text,
      at: iso(comment.at),
      parentId: comment.parentId,
      isSelf: comment.isSelf,
      privateReplyAt: comment.privateReplyAt === null ? null : iso(comment.privateReplyAt),
    })),
  );
  write(`\n],"comments":${JSON.stringify(comments)}}\n`);
}

/**
 * Writes an export into a file owner-only, so that the file only ever holds a complete export
 * (written aside, fsynced, renamed; a failure halfway leaves `path` as it was).
 */
export function writeExportFile(
  path: string,
  exportTo: (write: (chunk: string) => void) => void,
): Promise<void> {
  return writeFileDurably(path, (temporary) => {
    const fd = openSync(temporary, 'wx', PRIVATE_FILE_MODE);
    try {
      exportTo((chunk) => writeFileSync(fd, chunk));
    } finally {
      closeSync(fd);
    }
  });
}

export const CSV_COLUMNS = [
  'account_id',
  'customer_id',
  'customer_username',
  'mid',
  'direction',
  'at',
  'text',
  'attachments',
  'reply_to',
  'reactions',
  'edited',
  'deleted',
  'seen',
  'status',
  'source',
] as const;

/** One row per message, RFC 4180 quoting. */
function writeCsv(
  archive: Archive,
  accountId: string | undefined,
  write: (chunk: string) => void,
): void {
  write(`${CSV_COLUMNS.join(',')}\r\n`);
  for (const conversation of conversationsOf(archive, accountId)) {
    for (const message of messagesOf(archive, conversation.id).map(exportMessage)) {
      const row = [
        conversation.accountId,
        conversation.customerId,
        conversation.customerUsername ?? '',
        message.mid ?? '',
        message.direction,
        message.at,
        message.text ?? '',
        message.attachments
          .map((attachment) => `${attachment.type}:${attachment.url ?? ''}`)
          .join(' '),
        message.replyTo ?? '',
        message.reactions.map((reaction) => `${reaction.by}:${reaction.emoji}`).join(' '),
        String(message.edited),
        String(message.deleted),
        message.seen ?? '',
        message.status,
        message.source,
      ];
      write(`${row.map(csvCell).join(',')}\r\n`);
    }
  }
}

/**
 * Quotes a cell and defuses spreadsheet formulas: customers write these texts, and a cell starting
 * with = + - @ would run as a formula when the owner opens the file in a spreadsheet (OWASP CSV
 * injection).
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
