import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import { startInlet, tempDataDir, type RunningProcess } from '../support/processes';

const APP_SECRET = 'crash-test-app-secret';
const IG_ID = '17841405309211844';
const CUSTOMER_ID = '1284973601758392';
const BURST = 600;
const KILL_AFTER_ACKS = 150;
const CONCURRENCY = 20;

/** Meta's compact, escaped JSON for one inbound text (docs/platform.md#envelope). */
function delivery(index: number): { mid: string; body: string } {
  const mid = `aWdfZAG1fcrash${index}`;
  const body = JSON.stringify({
    object: 'instagram',
    entry: [
      {
        time: 1773842751291 + index,
        id: IG_ID,
        messaging: [
          {
            sender: { id: CUSTOMER_ID },
            recipient: { id: IG_ID },
            timestamp: 1773842751091 + index,
            message: { mid, text: `order #${index} \u2728 https://acme.example/p` },
          },
        ],
      },
    ],
  })
    .replace(/\//g, '\\/')
    .replace(
      /[\u007f-\uffff]/g,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  return { mid, body };
}

async function post(url: string, body: string): Promise<number> {
  const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature },
    });
    return response.status;
  } catch {
    return 0; // the connection died with the process: not acknowledged
  }
}

function serve(dataDir: string): Promise<RunningProcess> {
  return startInlet(
    ['serve', '--data-dir', dataDir, '--port', '0', '--webhook-port', '0', '--no-tunnel'],
    {
      INLET_APP_SECRET: APP_SECRET,
      INLET_VERIFY_TOKEN: 'crash-test-verify-token',
      INLET_IG_USER_ID: IG_ID,
      INLET_ACCESS_TOKEN: 'IGAA-crash-test',
      // Nothing listens here: profile lookups fail fast, which the inbox tolerates.
      INLET_GRAPH_URL: 'http://127.0.0.1:9',
    },
  );
}

/** How many times each mid occurs in a table column (raw bodies are searched for `"mid":"…"`). */
function midCounts(archivePath: string, table: 'deliveries' | 'messages'): Map<string, number> {
  const db = new DatabaseSync(archivePath, { readOnly: true });
  try {
    const mids =
      table === 'deliveries'
        ? (db.prepare('SELECT body FROM deliveries').all() as { body: Uint8Array }[]).map(
            (row) => /"mid":"([^"]+)"/.exec(Buffer.from(row.body).toString())?.[1] ?? '',
          )
        : (db.prepare('SELECT mid FROM messages').all() as { mid: string }[]).map((row) => row.mid);
    const counts = new Map<string, number>();
    for (const mid of mids) counts.set(mid, (counts.get(mid) ?? 0) + 1);
    return counts;
  } finally {
    db.close();
  }
}

test('kill -9 in the middle of a burst loses no acknowledged event and stores none twice', async () => {
  test.setTimeout(120_000);
  const data = tempDataDir();
  const archivePath = join(data.path, 'archive.sqlite');
  let inlet = await serve(data.path);
  try {
    const url = String(inlet.ready.webhookUrl);
    const deliveries = Array.from({ length: BURST }, (_, index) => delivery(index));
    const acked = new Set<string>();
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (next < deliveries.length) {
        const item = deliveries[next++];
        if (!item) return;
        if ((await post(url, item.body)) === 200) acked.add(item.mid);
        if (!killed && acked.size >= KILL_AFTER_ACKS) {
          killed = true;
          inlet.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    expect(killed).toBe(true);
    await new Promise((resolve) =>
      inlet.child.exitCode === null && inlet.child.signalCode === null
        ? inlet.child.once('exit', resolve)
        : resolve(null),
    );
    expect(inlet.child.signalCode).toBe('SIGKILL');
    // Some of the burst was refused by the dead process; otherwise the test proves nothing.
    expect(acked.size).toBeLessThan(BURST);

    // Straight after the crash: every acknowledged body is in the archive exactly once, and an
    // unacknowledged one at most once (it may have committed just before the kill).
    const afterCrash = midCounts(archivePath, 'deliveries');
    for (const mid of acked) expect(afterCrash.get(mid), mid).toBe(1);
    for (const count of afterCrash.values()) expect(count).toBe(1);

    // Restart on the same data dir: deliveries stored but not processed are processed on start.
    inlet = await serve(data.path);
    const restartedUrl = String(inlet.ready.webhookUrl);
    // Meta retries what it never got a 200 for (docs/platform.md#delivery); some of it was stored
    // already.
    // Like Meta, a few at a time: a stranger's flood of hundreds of connections meets the
    // listener's connection cap (503), which is the point of the cap, not of this test.
    const unacked = deliveries.filter((item) => !acked.has(item.mid));
    const statuses: number[] = [];
    let redelivered = 0;
    const redeliver = async () => {
      while (redelivered < unacked.length) {
        const item = unacked[redelivered++];
        if (item) statuses.push(await post(restartedUrl, item.body));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, redeliver));
    expect(statuses).toHaveLength(unacked.length);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);

    await expect
      .poll(() => midCounts(archivePath, 'messages').size, { timeout: 20_000 })
      .toBe(BURST);
    const messages = midCounts(archivePath, 'messages');
    for (const item of deliveries) expect(messages.get(item.mid), item.mid).toBe(1);
  } finally {
    await inlet.stop();
    data.remove();
  }
});
