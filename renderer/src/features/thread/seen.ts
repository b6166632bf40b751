import type { Message } from '../../../../shared/domain/schemas';

/**
 * The outgoing message that carries "Seen": the newest one the customer has seen. Instagram's read
 * receipt is a watermark, so marking every earlier message too would only repeat it.
 */
export function lastSeenOutgoingId(
  messageIds: readonly string[],
  messagesById: Readonly<Record<string, Message>>,
): string | null {
  for (let index = messageIds.length - 1; index >= 0; index -= 1) {
    const message = messagesById[messageIds[index] ?? ''];
    if (message?.direction === 'out' && message.seenAt !== null) return message.id;
  }
  return null;
}

/**
 * The newest outgoing message: the one that says "Sent", as a messenger does. Earlier sent
 * messages keep the word for screen readers only; it would repeat under every bubble.
 */
export function lastOutgoingId(
  messageIds: readonly string[],
  messagesById: Readonly<Record<string, Message>>,
): string | null {
  for (let index = messageIds.length - 1; index >= 0; index -= 1) {
    const message = messagesById[messageIds[index] ?? ''];
    if (message?.direction === 'out') return message.id;
  }
  return null;
}
