import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { burstFromAnotherProcess } from '../../../../fakes/burst-client';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive } from '../../../../../main/core/archive/archive';
import { GroupCommit } from '../../../../../main/core/archive/group-commit';
import { signBody } from '../../../../../main/core/webhook/signature';
import { WebhookServer } from '../../../../../main/core/webhook/webhook-server';
import { memoryLogger } from '../../../../fakes/logger';
import { textMessageBody } from '../../../../fakes/webhook-bodies';

/** One turn of the event loop: what was submitted in it has been handed to the commit. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A commit that stays in flight until the test finishes it: `batches` holds what each commit got,
 * `finishes[i]()` lets commit i succeed.
 */
function heldCommits(options?: ConstructorParameters<typeof GroupCommit<number, number>>[1]) {
  const batches: number[][] = [];
  const finishes: (() => void)[] = [];
  const group = new GroupCommit<number, number>(
    (items) =>
      new Promise((resolve) => {
        batches.push([...items]);
        finishes.push(() => resolve([...items]));
      }),
    options,
  );
  return { group, batches, finishes };
}

describe('GroupCommit', () => {
  it('commits items submitted in the same turn in one batch, in submission order', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number, string>((items) => {
      batches.push([...items]);
      return items.map((item) => `stored ${item}`);
    });
    const results = await Promise.all([1, 2, 3].map((item) => group.submit(item)));
    expect(results).toEqual(['stored 1', 'stored 2', 'stored 3']);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(await group.submit(4)).toBe('stored 4');
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('settles nobody before the commit that holds their item has run', async () => {
    const order: string[] = [];
    const group = new GroupCommit<string, string>((items) => {
      order.push(`commit ${items.join(',')}`);
      return [...items];
    });
    const acks = ['a', 'b'].map((item) => group.submit(item).then(() => order.push(`ack ${item}`)));
    order.push('submitted');
    await Promise.all(acks);
    expect(order).toEqual(['submitted', 'commit a,b', 'ack a', 'ack b']);
  });

  it('refuses every item of a failed commit and carries on with the next batch', async () => {
    let fail = true;
    const group = new GroupCommit<number, number>((items) => {
      if (fail) throw new Error('disk full');
      return [...items];
    });
    const first = await Promise.allSettled([group.submit(1), group.submit(2)]);
    expect(first).toEqual([
      { status: 'rejected', reason: new Error('disk full') },
      { status: 'rejected', reason: new Error('disk full') },
    ]);
    fail = false;
    expect(await group.submit(3)).toBe(3);
  });

  it('refuses the batch when the commit returns the wrong number of results', async () => {
    const group = new GroupCommit<number, number>(() => [1]);
    const settled = await Promise.allSettled([group.submit(1), group.submit(2)]);
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('splits a batch larger than maxBatch into several transactions', async () => {
    const sizes: number[] = [];
    const group = new GroupCommit<number, number>(
      (items) => {
        sizes.push(items.length);
        return [...items];
      },
      { maxBatch: 2 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((item) => group.submit(item)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('collects what arrives while an asynchronous commit is in flight into the next batch', async () => {
    const { group, batches, finishes } = heldCommits();
    const first = group.submit(1);
    await nextTurn();
    expect(batches).toEqual([[1]]);
    const later = [group.submit(2), group.submit(3)];
    await nextTurn();
    expect(batches).toEqual([[1]]); // one commit at a time
    finishes[0]?.();
    expect(await first).toBe(1);
    await nextTurn();
    expect(batches).toEqual([[1], [2, 3]]);
    finishes[1]?.();
    expect(await Promise.all(later)).toEqual([2, 3]);
  });

  it('with maxInFlight, hands the next batch over while earlier ones are still committing', async () => {
    const { group, batches, finishes } = heldCommits({ maxInFlight: 2 });
    const settled: number[] = [];
    const track = (item: number) => group.submit(item).then((result) => settled.push(result));
    const first = track(1);
    await nextTurn();
    const second = [track(2), track(3)];
    await nextTurn();
    const third = [track(4), track(5)];
    await nextTurn();
    // Two commits in flight; the third batch waits for one of them to end.
    expect(batches).toEqual([[1], [2, 3]]);
    expect(settled).toEqual([]);
    let idle = false;
    const idleNow = group.idle().then(() => (idle = true));
    finishes[0]?.();
    await first;
    expect(settled).toEqual([1]);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
    finishes[1]?.();
    await Promise.all(second);
    expect(idle).toBe(false);
    finishes[2]?.();
    await Promise.all([...third, idleNow]);
    expect(settled).toEqual([1, 2, 3, 4, 5]);
  });

  it('with maxInFlight, refuses only the batch whose commit failed', async () => {
    const group = new GroupCommit<string, string>(
      async (items) => {
        await nextTurn();
        if (items.includes('bad')) throw new Error('disk I/O error');
        return [...items];
      },
      { maxInFlight: 3 },
    );
    const first = group.submit('a');
    await nextTurn();
    const failing = group.submit('bad');
    await nextTurn();
    const last = group.submit('c');
    expect(await Promise.allSettled([first, failing, last])).toEqual([
      { status: 'fulfilled', value: 'a' },
      { status: 'rejected', reason: new Error('disk I/O error') },
      { status: 'fulfilled', value: 'c' },
    ]);
  });

  it('idle() waits for the pending batch', async () => {
    const committed: number[] = [];
    const group = new GroupCommit<number, number>((items) => {
      committed.push(...items);
      return [...items];
    });
    void group.submit(7);
    await group.idle();
    expect(committed).toEqual([7]);
  });
});

describe('group commit behind the webhook listener', () => {
  const SECRET = 'app-secret';
  let cleanup: (() => Promise<void>) | null = null;

  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });

  async function setUp(commitDelayMs = 0) {
    const dir = mkdtempSync(join(tmpdir(), 'inlet-group-'));
    const path = join(dir, 'archive.sqlite');
    const archive = new Archive(path);
    const commits: number[] = [];
    const group = new GroupCommit<{ body: Uint8Array; receivedAt: number }, number>((items) => {
      const ids = archive.deliveries.storeMany(items);
      commits.push(items.length);
      // Stands in for a slow fsync: the event loop is blocked, so arrivals pile up meanwhile.
      const until = Date.now() + commitDelayMs;
      while (Date.now() < until);
      return ids;
    });
    const server = new WebhookServer({
      port: 0,
      secrets: () => [SECRET],
      verifyToken: () => 'v',
      onDelivery: async (body) => void (await group.submit({ body, receivedAt: Date.now() })),
      logger: memoryLogger(),
    });
    await server.start();
    cleanup = async () => {
      await server.stop();
      archive.close();
      rmSync(dir, { recursive: true, force: true });
    };
    const post = (index: number) => {
      const body = textMessageBody({ mid: `m${index}`, text: `burst ${index}` });
      return fetch(server.url ?? '', {
        method: 'POST',
        body,
        headers: {
          'Content-Type': 'application/json',
          'X-Hub-Signature-256': signBody(body, SECRET),
        },
      }).then((response) => response.status);
    };
    return { archive, commits, post, path, url: server.url ?? '' };
  }

  it('acknowledges a concurrent burst with fewer commits than requests, every body stored once', async () => {
    const { archive, commits, url } = await setUp(5);
    const bodies = Array.from({ length: 40 }, (_, index) =>
      textMessageBody({ mid: `m${index}`, text: `burst ${index}` }),
    );
    const statuses = await burstFromAnotherProcess(url, bodies, SECRET);
    expect(statuses).toEqual(Array.from({ length: 40 }, () => 200));
    expect(archive.deliveries.count()).toBe(40);
    expect(commits.reduce((sum, size) => sum + size, 0)).toBe(40);
    // Requests that arrived while a commit held the event loop joined the next transaction.
    expect(commits.length).toBeLessThan(40);
    const texts = archive.deliveries
      .unprocessed()
      .map((delivery) => Buffer.from(delivery.body).toString());
    expect(new Set(texts)).toEqual(new Set(bodies));
  });

  it('answers 503 to every request of a failed commit and stores none of its batch', async () => {
    const { archive, post, path } = await setUp();
    // A second connection plants a failure in the middle of a batch, after rows were written.
    const saboteur = new DatabaseSync(path);
    saboteur.exec(`CREATE TRIGGER fail BEFORE INSERT ON deliveries
      WHEN CAST(NEW.body AS TEXT) LIKE '%burst 5"%' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    const statuses = await Promise.all(Array.from({ length: 10 }, (_, index) => post(index)));
    const failed = statuses.filter((status) => status === 503).length;
    // Every request that shared the failing transaction is refused; none of them is stored.
    expect(failed).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    expect(archive.deliveries.count()).toBe(10 - failed);
    saboteur.exec('DROP TRIGGER fail');
    saboteur.close();
    expect(await post(5)).toBe(200);
    expect(archive.deliveries.count()).toBe(11 - failed);
  });
});
