import { REPLY_WINDOW_MS } from '../../../shared/domain/reply-windows';
import type { Conversation } from '../../../shared/domain/schemas';
import type { Triage } from '../../../shared/ipc/triage-contract';

/** "Ending soon": less than this left to answer inside the window. */
export const ENDING_SOON_MS = 3 * 60 * 60 * 1000;

export type TriageState = 'open' | 'snoozed' | 'done';
export type InboxView = 'open' | 'endingSoon' | 'snoozed' | 'done' | 'all';
export const INBOX_VIEWS: readonly InboxView[] = ['open', 'endingSoon', 'snoozed', 'done', 'all'];
/** `account`: only that business account's conversations; null shows every account's. */
export type InboxFilter = { view: InboxView; label: string | null; account: string | null };

/** A snooze that has run out is simply open again: waking up needs no write, only time. */
export function triageStateOf(triage: Triage | undefined, now: number): TriageState {
  if (triage === undefined) return 'open';
  if (triage.doneAt !== null) return 'done';
  if (triage.snoozedUntil !== null && triage.snoozedUntil > now) return 'snoozed';
  return 'open';
}

/** Milliseconds left to reply, 0 once closed, null when the customer never wrote. */
export function replyWindowLeft(conversation: Conversation, now: number): number | null {
  if (conversation.lastInboundAt === null) return null;
  return Math.max(0, conversation.lastInboundAt + REPLY_WINDOW_MS - now);
}

/**
 * The customer wrote last: nothing the owner sent (here or from Instagram's app) came after it.
 * Every message moves `lastMessageAt`, a customer's also `lastInboundAt`.
 */
export function isAwaitingReply(conversation: Conversation): boolean {
  return (
    conversation.lastInboundAt !== null && conversation.lastInboundAt >= conversation.lastMessageAt
  );
}

/** "Ending soon": the customer is waiting for an answer and the window closes within 3 hours. */
export function isEndingSoon(conversation: Conversation, now: number): boolean {
  const left = replyWindowLeft(conversation, now);
  return isAwaitingReply(conversation) && left !== null && left > 0 && left <= ENDING_SOON_MS;
}

export function matchesFilter(
  conversation: Conversation,
  triage: Triage | undefined,
  filter: InboxFilter,
  now: number,
): boolean {
  if (filter.account !== null && conversation.accountId !== filter.account) return false;
  if (filter.label !== null && !(triage?.labels ?? []).includes(filter.label)) return false;
  const state = triageStateOf(triage, now);
  switch (filter.view) {
    case 'all':
      return true;
    case 'endingSoon':
      return state === 'open' && isEndingSoon(conversation, now);
    default:
      return state === filter.view;
  }
}

/** The conversation ids the list shows under `filter`, in the list's order. */
export function visibleConversationIds(
  order: readonly string[],
  byId: Readonly<Record<string, Conversation>>,
  triageById: Readonly<Record<string, Triage>>,
  filter: InboxFilter,
  now: number,
): string[] {
  return order.filter((id) => {
    const conversation = byId[id];
    return conversation !== undefined && matchesFilter(conversation, triageById[id], filter, now);
  });
}

/**
 * Where the owner goes once a conversation is done: the next one the list shows below it, or the
 * one above when it was the last; null when it was the only one.
 */
export function conversationAfter(visibleIds: readonly string[], id: string): string | null {
  const index = visibleIds.indexOf(id);
  if (index === -1) return null;
  return visibleIds[index + 1] ?? visibleIds[index - 1] ?? null;
}

/** Every label in use, sorted for a stable filter menu. */
export function labelsInUse(triageById: Record<string, Triage>): string[] {
  const labels = new Set<string>();
  for (const triage of Object.values(triageById))
    for (const label of triage.labels) labels.add(label);
  return [...labels].sort((a, b) => a.localeCompare(b));
}

/** The earliest moment a snoozed conversation wakes, so the list can re-filter right then. */
export function nextWakeUp(triageById: Record<string, Triage>, now: number): number | null {
  let next: number | null = null;
  for (const triage of Object.values(triageById)) {
    const until = triage.doneAt === null ? triage.snoozedUntil : null;
    if (until !== null && until > now && (next === null || until < next)) next = until;
  }
  return next;
}
