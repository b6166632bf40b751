import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../../shared/domain/schemas';
import {
  lastOutgoingId,
  lastSeenOutgoingId,
} from '../../../../../renderer/src/features/thread/seen';
import { makeMessage } from '../../fixtures';

function thread(...messages: Message[]) {
  return {
    ids: messages.map((message) => message.id),
    byId: Object.fromEntries(messages.map((message) => [message.id, message])),
  };
}
const out = (id: string, seenAt: number | null) =>
  makeMessage({ id, direction: 'out', status: 'sent', seenAt });
const inbound = (id: string) => makeMessage({ id });

describe('lastSeenOutgoingId', () => {
  it('picks the newest outgoing message that has been seen', () => {
    const { ids, byId } = thread(out('a', 1), out('b', 2), out('c', null), inbound('d'));
    expect(lastSeenOutgoingId(ids, byId)).toBe('b');
  });

  it('is null when nothing outgoing has been seen', () => {
    const { ids, byId } = thread(inbound('a'), out('b', null));
    expect(lastSeenOutgoingId(ids, byId)).toBeNull();
    expect(lastSeenOutgoingId([], {})).toBeNull();
  });

  it('ignores incoming messages and ids it does not know', () => {
    const { ids, byId } = thread(out('a', 5), makeMessage({ id: 'b', seenAt: 9 }));
    expect(lastSeenOutgoingId([...ids, 'missing'], byId)).toBe('a');
  });
});

describe('lastOutgoingId', () => {
  it('picks the newest outgoing message, whatever came in after it', () => {
    const { ids, byId } = thread(out('a', 1), out('b', null), inbound('c'));
    expect(lastOutgoingId(ids, byId)).toBe('b');
  });

  it('is null when the business has sent nothing', () => {
    const { ids, byId } = thread(inbound('a'));
    expect(lastOutgoingId(ids, byId)).toBeNull();
    expect(lastOutgoingId([], {})).toBeNull();
  });
});
