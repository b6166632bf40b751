import { z } from 'zod';
import type { Attachment } from '../../../shared/domain/schemas';

/**
 * Normalized inbox events derived from one webhook delivery. Anything Inlet does not act on yet is
 * kept as `ignored` with a reason; the raw delivery is archived regardless, so nothing is lost.
 */
export type MessageEvent = {
  kind: 'message';
  accountId: string;
  customerId: string;
  mid: string;
  direction: 'in' | 'out';
  text: string | null;
  attachments: Attachment[];
  at: number;
  /** From `standby[]`: another app owns the thread; show it, never auto-reply (§2.7). */
  isStandby: boolean;
};

export type WebhookEvent =
  MessageEvent | { kind: 'ignored'; accountId: string | null; reason: string };

const IdRef = z.object({ id: z.coerce.string() });

const AttachmentPayload = z
  .object({
    type: z.string(),
    payload: z
      .object({ url: z.string().optional(), title: z.string().optional() })
      .loose()
      .nullish(),
  })
  .loose();

const MessageObject = z
  .object({
    mid: z.string().min(1),
    text: z.string().optional(),
    attachments: z.array(AttachmentPayload).optional(),
    is_echo: z.boolean().optional(),
    is_deleted: z.boolean().optional(),
  })
  .loose();

const MessagingItem = z
  .object({
    sender: IdRef.optional(),
    recipient: IdRef.optional(),
    // Meta's dashboard test events send the timestamp as a string (§2.5).
    timestamp: z.coerce.number().optional(),
    message: z.unknown().optional(),
  })
  .loose();

const Entry = z
  .object({
    id: z.coerce.string(),
    time: z.coerce.number().optional(),
    messaging: z.array(z.unknown()).optional(),
    standby: z.array(z.unknown()).optional(),
    changes: z.array(z.unknown()).optional(),
  })
  .loose();

const Envelope = z.object({ object: z.string(), entry: z.array(z.unknown()) }).loose();

export class MalformedWebhook extends Error {}

/** Parses a verified delivery body. Throws `MalformedWebhook` when it is not Meta's envelope. */
export function parseWebhook(body: Uint8Array, receivedAt: number): WebhookEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new MalformedWebhook('The delivery is not valid UTF-8 JSON');
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) throw new MalformedWebhook('The delivery has no object/entry envelope');
  if (envelope.data.object !== 'instagram') {
    return [{ kind: 'ignored', accountId: null, reason: `object "${envelope.data.object}"` }];
  }
  return envelope.data.entry.flatMap((raw): WebhookEvent[] => {
    const entry = Entry.safeParse(raw);
    if (!entry.success) return [{ kind: 'ignored', accountId: null, reason: 'malformed entry' }];
    const { id: accountId } = entry.data;
    // The dashboard "Test" button posts a Page-style wrapper with entry id "0" (§2.5): never a real DM.
    if (accountId === '0') return [{ kind: 'ignored', accountId, reason: 'dashboard test event' }];
    return [
      ...(entry.data.messaging ?? []).map((item) =>
        parseMessaging(accountId, item, false, receivedAt),
      ),
      ...(entry.data.standby ?? []).map((item) =>
        parseMessaging(accountId, item, true, receivedAt),
      ),
      ...(entry.data.changes ?? []).map((): WebhookEvent => ({
        kind: 'ignored',
        accountId,
        reason: 'changes[] (comments) not handled yet',
      })),
    ];
  });
}

function parseMessaging(
  accountId: string,
  raw: unknown,
  isStandby: boolean,
  receivedAt: number,
): WebhookEvent {
  const item = MessagingItem.safeParse(raw);
  if (!item.success) return { kind: 'ignored', accountId, reason: 'malformed messaging item' };
  const message = MessageObject.safeParse(item.data.message);
  if (!message.success) {
    const keys = Object.keys(raw as object).filter(
      (key) => !['sender', 'recipient', 'timestamp'].includes(key),
    );
    return {
      kind: 'ignored',
      accountId,
      reason: `messaging event ${keys.join(',') || 'without content'}`,
    };
  }
  if (message.data.is_deleted)
    return { kind: 'ignored', accountId, reason: 'unsend not handled yet' };
  const { sender, recipient, timestamp } = item.data;
  // Echoes swap sender and recipient (§2.5); the business is whichever side is the entry's account.
  const isEcho = message.data.is_echo === true || sender?.id === accountId;
  const customerId = isEcho ? recipient?.id : sender?.id;
  if (customerId === undefined)
    return { kind: 'ignored', accountId, reason: 'message without a customer id' };
  return {
    kind: 'message',
    accountId,
    customerId,
    mid: message.data.mid,
    direction: isEcho ? 'out' : 'in',
    text: message.data.text ?? null,
    attachments: (message.data.attachments ?? []).map((attachment) => ({
      type: attachment.type,
      url: attachment.payload?.url ?? null,
      title: attachment.payload?.title ?? null,
    })),
    at: timestamp === undefined ? receivedAt : toMilliseconds(timestamp),
    isStandby,
  };
}

/** Messaging timestamps are milliseconds, but test events have carried seconds (§2.5). */
function toMilliseconds(timestamp: number): number {
  return timestamp < 1e11 ? timestamp * 1000 : timestamp;
}
