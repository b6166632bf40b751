/**
 * The webhook receivers `ingest.bench.ts` compares, each run in its own process (the load
 * generator must not share their event loop). Prints `{"port":N}` when listening; on SIGTERM it
 * stops, prints `{"mids":[…]}` (the events it holds in memory, if it keeps them there) and exits.
 *
 *   tsx bench/ingest-targets.ts inlet <data dir>        real WebhookServer → group commit → archive
 *   tsx bench/ingest-targets.ts express                 the common way: express.json({ verify }), 200
 *   tsx bench/ingest-targets.ts http-floor              WebhookServer storing nothing
 *   tsx bench/ingest-targets.ts fsync-floor <data dir>  WebhookServer, one fdatasync per group, no database
 *
 * The two floors are not receivers anyone should run: they bound what this machine allows. The
 * HTTP floor is Inlet's own listener and HMAC check with nothing behind them; the fsync floor adds
 * the one thing a durable ack cannot skip, an fdatasync before the 200s of each group, with no
 * database at all (each group overwrites the start of a preallocated file).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import { Archive } from '../main/core/archive/archive';
import { DELIVERY_WRITER_PIPELINE, DeliveryWriter } from '../main/core/archive/delivery-writer';
import { GroupCommit } from '../main/core/archive/group-commit';
import { WebhookServer } from '../main/core/webhook/webhook-server';

/** Passed by ingest.bench.ts, which signs the load with it. */
const BENCH_SECRET = process.env.BENCH_SECRET ?? 'bench-app-secret';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

type Delivery = { body: Uint8Array; receivedAt: number };
type Started = { port: number; stop: () => Promise<string[]> };

/** Inlet's listener and HMAC check, with `store` (or nothing) behind the same group commit. */
async function startListener(
  store: ((items: readonly Delivery[]) => Promise<readonly number[]>) | null,
  options: { maxInFlight?: number; close?: () => Promise<void> } = {},
): Promise<Started> {
  const ingest = store && new GroupCommit<Delivery, number>(store, options);
  const server = new WebhookServer({
    port: 0,
    secrets: () => [BENCH_SECRET],
    verifyToken: () => 'bench',
    onDelivery: async (body) => void (await ingest?.submit({ body, receivedAt: Date.now() })),
    logger: silent,
  });
  await server.start();
  return {
    port: server.port ?? 0,
    stop: async () => {
      await server.stop();
      await ingest?.idle();
      await options.close?.();
      return []; // the parent counts Inlet's rows in the database itself
    },
  };
}

/** Exactly what InboxService.acceptDelivery does before the ack; processing happens after it. */
function startInlet(dataDir: string): Promise<Started> {
  const archive = new Archive(join(dataDir, 'archive.sqlite'));
  const writer = new DeliveryWriter(join(dataDir, 'archive.sqlite'));
  return startListener((items) => writer.write(items), {
    maxInFlight: DELIVERY_WRITER_PIPELINE,
    close: async () => {
      await writer.close();
      archive.close();
    },
  });
}

async function startFsyncFloor(dataDir: string): Promise<Started> {
  const file = await open(join(dataDir, 'fsync-floor'), 'w+');
  // Allocated up front, so that each fdatasync flushes data only, never a new file size.
  await file.write(Buffer.alloc(8 * 1024 * 1024), 0);
  await file.datasync();
  return startListener(
    async (items) => {
      await file.write(Buffer.concat(items.map((item) => item.body)), 0, undefined, 0);
      await file.datasync();
      return items.map(() => 0);
    },
    { close: () => file.close() },
  );
}

/** The receiver most tutorials show: raw body kept by the JSON parser's verify hook, no storage. */
async function startExpress(): Promise<Started> {
  const app = express();
  const received: string[] = [];
  type WithRaw = { rawBody?: Buffer };
  app.post(
    '/webhook',
    express.json({
      limit: '4mb',
      verify: (request, _response, buffer) => {
        (request as WithRaw).rawBody = buffer;
      },
    }),
    (request, response) => {
      const raw = (request as WithRaw).rawBody ?? Buffer.alloc(0);
      const given = Buffer.from(String(request.headers['x-hub-signature-256'] ?? ''));
      const expected = Buffer.from(
        `sha256=${createHmac('sha256', BENCH_SECRET).update(raw).digest('hex')}`,
      );
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        response.sendStatus(401);
        return;
      }
      type Body = { entry?: { messaging?: { message?: { mid?: string } }[] }[] };
      for (const entry of (request.body as Body).entry ?? []) {
        for (const event of entry.messaging ?? []) {
          if (event.message?.mid) received.push(event.message.mid);
        }
      }
      response.status(200).send('EVENT_RECEIVED');
    },
  );
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    stop: async () => {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return received;
    },
  };
}

const [kind, dataDir] = process.argv.slice(2);
const target =
  kind === 'inlet' && dataDir
    ? await startInlet(dataDir)
    : kind === 'express'
      ? await startExpress()
      : kind === 'http-floor'
        ? await startListener(null)
        : kind === 'fsync-floor' && dataDir
          ? await startFsyncFloor(dataDir)
          : null;
if (!target) {
  process.stderr.write(
    'usage: ingest-targets.ts inlet <data dir> | express | http-floor | fsync-floor <data dir>\n',
  );
  process.exit(2);
}
process.stdout.write(`${JSON.stringify({ port: target.port })}\n`);
process.once('SIGTERM', () => {
  void target.stop().then((mids) => {
    process.stdout.write(`${JSON.stringify({ mids })}\n`, () => process.exit(0));
  });
});
