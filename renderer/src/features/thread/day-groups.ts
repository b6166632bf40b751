import type { Message } from '../../../../shared/domain/schemas';
import { localDayKey } from '../../lib/format';

export type DayGroup = { dayKey: string; at: number; messageIds: string[] };

/** Splits a thread (oldest first) into local calendar days, for the day separators. */
export function groupByDay(
  messageIds: readonly string[],
  messagesById: Readonly<Record<string, Message>>,
): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const id of messageIds) {
    const message = messagesById[id];
    if (message === undefined) continue;
    const dayKey = localDayKey(message.at);
    const current = groups.at(-1);
    if (current !== undefined && current.dayKey === dayKey) current.messageIds.push(id);
    else groups.push({ dayKey, at: message.at, messageIds: [id] });
  }
  return groups;
}
