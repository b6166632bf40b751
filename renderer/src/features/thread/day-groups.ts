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

/** Where a bubble sits in a run of messages from one side, for drawing the run as one block. */
export type RunPosition = 'single' | 'first' | 'middle' | 'last';

/** Messages from the same side this close together read as one run, like Instagram draws them. */
export const RUN_GAP_MS = 5 * 60 * 1000;

/**
 * The run position of each message of one day (oldest first). A run breaks when the side changes,
 * when more than RUN_GAP_MS passes, or around a message with a context line or quote, which needs
 * its own header.
 */
export function runPositions(
  messageIds: readonly string[],
  messagesById: Readonly<Record<string, Message>>,
): Map<string, RunPosition> {
  const positions = new Map<string, RunPosition>();
  const joins = (earlier: Message | undefined, later: Message | undefined): boolean =>
    earlier !== undefined &&
    later !== undefined &&
    earlier.direction === later.direction &&
    later.at - earlier.at <= RUN_GAP_MS &&
    later.context === null &&
    later.replyTo === null;
  messageIds.forEach((id, index) => {
    const message = messagesById[id];
    if (message === undefined) return;
    const previous = index > 0 ? messagesById[messageIds[index - 1] ?? ''] : undefined;
    const next = messagesById[messageIds[index + 1] ?? ''];
    const joinsPrevious = joins(previous, message);
    const joinsNext = joins(message, next);
    positions.set(
      id,
      joinsPrevious ? (joinsNext ? 'middle' : 'last') : joinsNext ? 'first' : 'single',
    );
  });
  return positions;
}

/** A run's time is shown once, under its last bubble (DESIGN.md: time at the group's end). */
export function endsRun(position: RunPosition): boolean {
  return position === 'single' || position === 'last';
}

/**
 * The log's rows, oldest first, as the virtualized log renders them: the "load older" button when
 * there is more history, then each day's label followed by its messages. A message's key is its id;
 * a day's key is prefixed so it can never collide with one.
 */
export type LogRow =
  | { kind: 'older'; key: string }
  | { kind: 'day'; key: string; at: number }
  // A gap marker sits in the thread like a message but is not one: arrow keys pass over it.
  | { kind: 'message'; key: string; run: RunPosition | undefined; isGap: boolean };

export function logRows(
  messageIds: readonly string[],
  messagesById: Readonly<Record<string, Message>>,
  hasOlder: boolean,
): LogRow[] {
  const runs = runPositions(messageIds, messagesById);
  const rows: LogRow[] = hasOlder ? [{ kind: 'older', key: 'older:' }] : [];
  for (const day of groupByDay(messageIds, messagesById)) {
    rows.push({ kind: 'day', key: `day:${day.dayKey}`, at: day.at });
    for (const id of day.messageIds) {
      const isGap = messagesById[id]?.context?.kind === 'gap';
      rows.push({ kind: 'message', key: id, run: runs.get(id), isGap });
    }
  }
  return rows;
}
