import { describe, expect, it } from 'vitest';
import { tempArchive } from './archive-harness';

const bytes = (text: string) => Buffer.from(text);

describe('DeliveryJournal', () => {
  it('keeps every body byte for byte until it is marked processed', () => {
    const { deliveries } = tempArchive();
    const first = deliveries.store(bytes('{"a":1}'), 100);
    const [second, third] = deliveries.storeMany([
      { body: bytes('{"b":2}'), receivedAt: 200 },
      { body: bytes('{"c": 3 }'), receivedAt: 300 },
    ]);
    expect([first, second, third]).toEqual([1, 2, 3]);
    deliveries.markProcessed(2, 400, null);
    deliveries.markProcessed(1, 400, 'malformed');
    const left = deliveries.unprocessed();
    expect(left.map((d) => [d.id, d.receivedAt, Buffer.from(d.body).toString()])).toEqual([
      [3, 300, '{"c": 3 }'],
    ]);
    expect(deliveries.count()).toBe(3);
  });

  it('stores none of a group when one body cannot be stored', () => {
    const { deliveries } = tempArchive();
    expect(() =>
      deliveries.storeMany([
        { body: bytes('{}'), receivedAt: 1 },
        { body: null as unknown as Uint8Array, receivedAt: 2 },
      ]),
    ).toThrow();
    expect(deliveries.count()).toBe(0);
  });
});
