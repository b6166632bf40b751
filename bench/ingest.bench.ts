/**
 * Durable ingest vs the common receiver: both on loopback behind the same signed,
 * byte-exact Meta bodies, 20 concurrent keep-alive connections, measured in the same run.
 * Writes the `ingest` key of bench-results.json (read-modify-write: other suites own other keys).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { IG_ID, CUSTOMER_ID } from '../test/fakes/webhook-bodies';
import {
  corpusDeliveries,
  CONNECTIONS,
  fsyncLatency,
  integrity,
  round,
  signedLoad,
  startTarget,
  stopTarget,
  summary,
  writeResults,
  type TargetKind,
} from './bench-common';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BENCH_SECRET = 'bench-app-secret';
const nextDelivery = corpusDeliveries({
  accountId: IG_ID,
  customerIds: [CUSTOMER_ID],
  imageUrl: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17902458391&signature=AbXk2',
});

function storedMids(databasePath: string): string[] {
  const db = new DatabaseSync(databasePath, { readOnly: true });
  const rows = db.prepare('SELECT body FROM deliveries').all() as { body: Uint8Array }[];
  db.close();
  return rows.map((row) => /"mid":"([^"]+)"/.exec(Buffer.from(row.body).toString())?.[1] ?? '');
}

async function measure(kind: TargetKind, index: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'inlet-bench-'));
  try {
    const target = await startTarget(kind, dataDir, BENCH_SECRET);
    const acked: string[] = [];
    const run = `${kind}-${index}-`;
    const load = (seconds: number) =>
      signedLoad({
        port: target.port,
        secret: BENCH_SECRET,
        seconds,
        next: () => nextDelivery(run),
        acked,
      });
    await load(WARMUP_SECONDS);
    const measured = await load(SECONDS);
    const held = await stopTarget(target);
    // Express keeps the mids in memory, Inlet in its archive; the floors keep nothing to count.
    const stored =
      kind === 'inlet'
        ? storedMids(join(dataDir, 'archive.sqlite'))
        : kind === 'express'
          ? held
          : null;
    return { ...measured, integrity: stored && integrity(acked, stored) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type Run = Awaited<ReturnType<typeof measure>>;

// Alternating rounds, so a noisy neighbour on the machine hurts every receiver alike.
const KINDS: TargetKind[] = ['express', 'inlet', 'http-floor', 'fsync-floor'];
const runs = new Map<TargetKind, Run[]>(KINDS.map((kind) => [kind, []]));
const fsyncProbes: { p50Ms: number; p99Ms: number }[] = [];
for (let index = 0; index < ROUNDS; index += 1) {
  fsyncProbes.push(fsyncLatency());
  for (const kind of KINDS) runs.get(kind)?.push(await measure(kind, index));
}
const [baseline, inlet, httpFloor, fsyncFloor] = KINDS.map((kind) => summary(runs.get(kind) ?? []));
if (!baseline || !inlet || !httpFloor || !fsyncFloor) throw new Error('a receiver did not run');
const ingest = {
  measuredAt: new Date().toISOString(),
  setup: {
    connections: CONNECTIONS,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    rounds: ROUNDS,
    loadGenerator:
      'bench/load-generator.ts in the bench process: closed-loop keep-alive connections, each request signed as it is sent',
    node: process.version,
    cpus: cpus().length,
    loadAverage: loadavg().map((value) => round(value)),
    diskFsyncPerRound: fsyncProbes,
    inlet:
      'WebhookServer (HMAC before parse) → group commit (next group handed over while one commits, merged on the worker) → SQLite WAL, synchronous=FULL, written on a worker thread, temp dir',
    baseline:
      'Express 5, express.json({ verify }) keeping the raw body, HMAC check, 200, events kept in memory only',
    httpFloor:
      "Inlet's WebhookServer and HMAC check, storing nothing: the most any receiver built on node:http reaches here",
    fsyncFloor:
      "Inlet's WebhookServer and group commit, each group written to a preallocated file and fdatasync'ed before its 200s, no database: the most a receiver that acks only durable events reaches here",
  },
  baseline,
  inlet,
  floors: { http: httpFloor, fsync: fsyncFloor },
  ratios: {
    rps: round(inlet.rps / baseline.rps),
    ackP50: round(inlet.ackP50Ms / baseline.ackP50Ms),
    ackP99: round(inlet.ackP99Ms / baseline.ackP99Ms),
    httpFloorRps: round(httpFloor.rps / baseline.rps),
    fsyncFloorRps: round(fsyncFloor.rps / baseline.rps),
    inletOfFsyncFloor: round(inlet.rps / fsyncFloor.rps),
  },
  targets: {
    rpsRatioAtLeast: 1.5,
    ackP99MsAtMost: 5,
    met:
      inlet.rps / baseline.rps >= 1.5 &&
      inlet.ackP99Ms <= 5 &&
      inlet.lost === 0 &&
      inlet.duplicated === 0,
    /** Whether any durable receiver could meet the rps half on this machine at all. */
    reachableByTheFsyncFloor: fsyncFloor.rps / baseline.rps >= 1.5,
  },
};

writeResults('ingest', ingest);
