/**
 * The receiver thread: the public listener, off the thread that serves the UI. It reads and checks
 * every request to the webhook (limits, unverified-byte budget, signature, verification
 * handshake), commits verified deliveries to the archive through a connection of its own (group
 * commit, fsync on the DeliveryWriter's thread), and acknowledges them only once committed. The
 * main thread learns what happened from compact notices, one message per turn of this thread's
 * event loop; every other public path is passed through to the main thread's loopback listener.
 */
import { Agent, request as httpRequest } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { DELIVERY_WRITER_PIPELINE, DeliveryWriter } from '../archive/delivery-writer';
import { GroupCommit } from '../archive/group-commit';
import { joinWriteWaits } from '../archive/database';
import { endIfLoadProbe, threadLogger } from '../worker-thread';
import type {
  FromReceiver,
  ReceiverData,
  ReceiverNotice,
  ReceiverSettings,
  ToReceiver,
} from './receiver-protocol';
import { WebhookServer, type PublicRouteHandler } from './webhook-server';

endIfLoadProbe(workerData);
const port = parentPort;
if (!port) throw new Error('receiver-worker.ts runs as a worker thread only');
const data = workerData as ReceiverData;
joinWriteWaits(data.writeWaits);
let settings: ReceiverSettings = data.settings;

const post = (message: FromReceiver): void => port.postMessage(message);
const waiting: ReceiverNotice[] = [];
function notify(notice: ReceiverNotice): void {
  // After this turn's I/O: the notices of a whole commit group go over in one message.
  if (waiting.push(notice) === 1) setImmediate(flush);
}
function flush(): void {
  if (waiting.length > 0) post({ kind: 'notices', notices: waiting.splice(0) });
}

const logger = threadLogger(notify);

// The fsync waits on the writer's own thread, so this one keeps reading and checking requests
// meanwhile; committing on this thread instead (one thread fewer) measured 0.7-1.0x the req/s.
const writer = new DeliveryWriter(data.databasePath);
const ingest = new GroupCommit(
  (items: readonly { body: Uint8Array; receivedAt: number }[]) => writer.write(items),
  { maxInFlight: DELIVERY_WRITER_PIPELINE },
);

const routes = new Agent({ keepAlive: true });
const server = new WebhookServer({
  port: data.port,
  limits: data.limits,
  secrets: () => settings.secrets,
  verifyToken: () => settings.verifyToken,
  onSignatureChecked: (matched) => notify({ kind: 'signature', matched }),
  onVerified: () => notify({ kind: 'verified' }),
  onDelivery: async (body, headers) => {
    const receivedAt = Date.now();
    const id = await ingest.submit({ body, receivedAt });
    notify({
      kind: 'stored',
      id,
      receivedAt,
      forward: settings.forwarding ? { body, headers } : null,
    });
    return id;
  },
  onAnswered: (answer) => notify({ kind: 'answered', answer }),
  onStoreFailed: (error) =>
    notify({
      kind: 'store-failed',
      message: error instanceof Error ? error.message : String(error),
      errcode: (error as { errcode?: number } | null)?.errcode,
    }),
  logger,
});
server.mount('/', passThrough(data.routesPort));

port.on('message', (message: ToReceiver) => {
  if (message.kind === 'settings') settings = message.settings;
  else void stop();
});
let stopping: Promise<void> | null = null;

server.start().then(
  () => post({ kind: 'listening', port: server.port as number }),
  async (error: unknown) => {
    post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    await stop();
  },
);

/** Answers what is in flight, lets its commits finish, then lets the thread end. */
function stop(): Promise<void> {
  stopping ??= closeAll();
  return stopping;
}

async function closeAll(): Promise<void> {
  await server.stop();
  await ingest.idle();
  await writer.close();
  routes.destroy();
  flush();
  port?.close();
}

/** Hop-by-hop headers: about one connection, not the request, so never passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'expect', 'upgrade']);

function endToEnd(rawHeaders: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] as string;
    if (!HOP_BY_HOP.has(name.toLowerCase())) kept.push(name, rawHeaders[index + 1] as string);
  }
  return kept;
}

/**
 * Serves a path from the main thread's loopback listener: method, path, headers and body go
 * there as they came, and its status, headers and body come back, both streamed (an attachment
 * Instagram fetches is never held whole in memory here).
 */
function passThrough(routesPort: number): PublicRouteHandler {
  return (request, response) =>
    new Promise<void>((resolve, reject) => {
      const upstream = httpRequest({
        agent: routes,
        host: '127.0.0.1',
        port: routesPort,
        method: request.method,
        path: request.url,
        headers: endToEnd(request.rawHeaders),
      });
      // Before the answer started: the guarded server answers 500 and logs it; after: it cuts
      // the response, whose length may have been promised.
      upstream.once('error', reject);
      upstream.once('response', (answer) => {
        response.writeHead(
          answer.statusCode ?? 502,
          answer.statusMessage,
          endToEnd(answer.rawHeaders),
        );
        // A reader that goes away mid-answer is nothing to report.
        pipeline(answer, response).then(resolve, () => resolve());
      });
      // A sender that goes away mid-body fails the upstream request, which reports it above.
      pipeline(request, upstream).catch(() => undefined);
    });
}
