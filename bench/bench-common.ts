/**
 * What the ingest and product suites share: the receivers of bench/ingest-targets.ts (the floors
 * and the Express baseline) started as child processes, Meta-shaped signed deliveries, the signed
 * load, and how rounds are summed up and written to bench-results.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  fdatasyncSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { signBody } from '../main/core/webhook/signature';
import { metaJson } from '../test/fakes/webhook-bodies';
import { runLoad } from './load-generator';

export const ROOT = join(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench-results.json');
/** Meta's delivery is closed-loop per connection; 20 is the load every target is stated at. */
export const CONNECTIONS = 20;

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Read, merge, write: each suite owns one key of bench-results.json. */
export function writeResults(key: string, value: unknown): void {
  let results: Record<string, unknown> = {};
  try {
    results = JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>;
  } catch {
    // first suite to write the file
  }
  writeFileSync(RESULTS, `${JSON.stringify({ ...results, [key]: value }, null, 2)}\n`);
  console.log(JSON.stringify({ [key]: value }, null, 2));
}

/** A receiver of bench/ingest-targets.ts, in its own process (never the load's event loop). */
export type TargetKind = 'express' | 'inlet' | 'http-floor' | 'fsync-floor';
export type Target = { child: ChildProcess; port: number; lines: AsyncIterator<string> };

export async function startTarget(kind: TargetKind, dataDir: string, secret: string) {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      join(ROOT, 'bench/ingest-targets.ts'),
      kind,
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_SECRET: secret } },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error(`target ${kind} exited before listening`);
  return { child, port: (JSON.parse(first.value) as { port: number }).port, lines };
}

/** Stops a target; resolves with the mids it kept in memory (Express), else none. */
export async function stopTarget(target: Target): Promise<string[]> {
  target.child.kill('SIGTERM');
  const line = await target.lines.next();
  await new Promise((resolve) =>
    target.child.exitCode === null ? target.child.once('exit', resolve) : resolve(null),
  );
  return line.done ? [] : (JSON.parse(line.value) as { mids: string[] }).mids;
}

export type Delivery = { mid: string; body: string };

/**
 * Realistic deliveries: Meta's compact escaped JSON (`\/`, `\uXXXX`), a mix of text with emoji
 * and image attachments (one in four), from `customerIds` in turn. Built once per customer by
 * metaJson with a placeholder, so each request only pastes a fresh mid in and signs: the load
 * generator shares this machine and must stay light.
 */
export function corpusDeliveries(options: {
  accountId: string;
  customerIds: readonly string[];
  imageUrl: string;
}): (run: string) => Delivery {
  const PLACEHOLDER = 'MID_PLACEHOLDER';
  const messages = [
    { text: 'Hi! Do you still have the linen shirt in size M? 👕✨ https://acme.example/p/42' },
    { attachments: [{ type: 'image', payload: { url: options.imageUrl } }] },
  ];
  const templates = options.customerIds.map((customerId) =>
    messages.map((message) =>
      metaJson({
        object: 'instagram',
        entry: [
          {
            time: 1773842751291,
            id: options.accountId,
            messaging: [
              {
                sender: { id: customerId },
                recipient: { id: options.accountId },
                timestamp: 1773842751091,
                message: { mid: PLACEHOLDER, ...message },
              },
            ],
          },
        ],
      }).split(PLACEHOLDER),
    ),
  );
  let sequence = 0;
  return (run) => {
    sequence += 1;
    const mid = `aWdfZAG1fbench${run}${sequence.toString(36)}`;
    const customer = templates[sequence % templates.length] ?? [];
    const [before = '', after = ''] = customer[sequence % 4 === 0 ? 1 : 0] ?? [];
    return { mid, body: before + mid + after };
  };
}

export type Measured = {
  rps: number;
  ackP50Ms: number;
  ackP99Ms: number;
  requests: number;
  acked: number;
  non2xx: number;
  errors: number;
  seconds: number;
};

/**
 * Signed deliveries at CONNECTIONS keep-alive connections for `seconds` (or `requests` in all);
 * each request is signed as it is sent (a fresh mid each): the receiver checks every signature.
 * The mids answered 200 are pushed onto `acked`.
 */
export async function signedLoad(options: {
  port: number;
  secret: string;
  seconds: number;
  requests?: number;
  next: () => Delivery;
  acked: string[];
}): Promise<Measured> {
  const result = await runLoad({
    port: options.port,
    connections: CONNECTIONS,
    seconds: options.seconds,
    requests: options.requests,
    next: () => {
      const { mid, body } = options.next();
      return {
        body,
        headers: {
          'Content-Type': 'application/json',
          'X-Hub-Signature-256': signBody(body, options.secret),
        },
        onStatus: (status) => {
          if (status === 200) options.acked.push(mid);
        },
      };
    },
  });
  const ok = result.statuses.get(200) ?? 0;
  return {
    rps: result.requests / result.seconds,
    ackP50Ms: round(result.latencyMs.p50),
    ackP99Ms: round(result.latencyMs.p99),
    requests: result.requests,
    acked: ok,
    non2xx: result.requests - ok,
    errors: result.errors,
    seconds: round(result.seconds, 3),
  };
}

/** Acknowledged mids missing from what was stored, and mids stored more than once. */
export function integrity(acked: readonly string[], stored: readonly string[]) {
  const unique = new Set(stored);
  return {
    storedEvents: stored.length,
    lost: acked.filter((mid) => !unique.has(mid)).length,
    duplicated: stored.length - unique.size,
  };
}

type Round = Measured & { integrity: ReturnType<typeof integrity> | null };

/** The round with the median throughput; counts are summed over all rounds. */
export function summary(runs: readonly Round[]) {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const median = sorted[Math.floor(sorted.length / 2)];
  if (!median) throw new Error('no round ran');
  const sum = (count: (run: Round) => number) => runs.reduce((total, run) => total + count(run), 0);
  const counted = runs.every((run) => run.integrity !== null);
  return {
    rps: Math.round(median.rps),
    ackP50Ms: median.ackP50Ms,
    ackP99Ms: median.ackP99Ms,
    rounds: runs.map((run) => ({
      rps: Math.round(run.rps),
      ackP50Ms: run.ackP50Ms,
      ackP99Ms: run.ackP99Ms,
    })),
    acked: sum((run) => run.acked),
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    ...(counted && {
      storedEvents: sum((run) => run.integrity?.storedEvents ?? 0),
      lost: sum((run) => run.integrity?.lost ?? 0),
      duplicated: sum((run) => run.integrity?.duplicated ?? 0),
    }),
  };
}

/**
 * A durable ack costs one fdatasync per group, so at 20 connections no receiver can beat
 * 20 / fsync-latency acks per second. Measured beside each round so the numbers can be read.
 */
export function fsyncLatency(): { p50Ms: number; p99Ms: number } {
  const dir = mkdtempSync(join(tmpdir(), 'inlet-fsync-'));
  const fd = openSync(join(dir, 'probe'), 'w');
  const times: number[] = [];
  try {
    for (let index = 0; index < 200; index += 1) {
      writeSync(fd, Buffer.alloc(4096, index));
      const start = performance.now();
      fdatasyncSync(fd);
      times.push(performance.now() - start);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { p50Ms: round(times[100] ?? 0, 3), p99Ms: round(times[198] ?? 0, 3) };
}
