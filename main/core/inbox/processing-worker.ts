/**
 * The processing thread: turns the deliveries the receiver thread stored into conversations,
 * messages, comments and search rows, through a connection of its own, off the thread that serves
 * the UI. That thread learns what changed from the effects of each commit (one message per batch)
 * and takes over the few deliveries that are ordered after its sends (echoes, reads) or name an
 * account this thread does not know.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Archive } from '../archive/archive';
import type { StoredDelivery } from '../archive/delivery-journal';
import { joinWriteWaits } from '../archive/database';
import { endIfLoadProbe, threadLogger } from '../worker-thread';
import { DeliveryProcessor } from './delivery-processor';
import type { FromProcessing, ProcessingData, ToProcessing } from './processing-protocol';

endIfLoadProbe(workerData);
const port = parentPort;
if (!port) throw new Error('processing-worker.ts runs as a worker thread only');
const data = workerData as ProcessingData;
joinWriteWaits(data.writeWaits);
const post = (message: FromProcessing): void => port.postMessage(message);

let accounts = new Set(data.accounts);
const archive = new Archive(data.databasePath);
/** Deliveries handed to the UI thread, by id: resolved when it hands them back. */
const handedOff = new Map<number, () => void>();
const processor = new DeliveryProcessor({
  archive,
  // Only stamps when a delivery was processed: the wall clock, whatever the UI thread's clock.
  clock: { now: () => Date.now() },
  logger: threadLogger(post),
  isConnectedAccount: (igUserId) => accounts.has(igUserId),
  handOff: (delivery: StoredDelivery) =>
    new Promise<void>((resolve) => {
      handedOff.set(delivery.id, resolve);
      post({ kind: 'hand-off', delivery });
    }),
  onEffects: (effects) => post({ kind: 'effects', effects }),
  queueLimit: data.queueLimit,
});

// First what the journal holds unprocessed: a thread started again after one died must neither
// skip nor overtake what that one left.
void processor.processPending();

port.on('message', (message: ToProcessing) => {
  switch (message.kind) {
    case 'stored':
      for (const id of message.ids) processor.stored(id);
      return;
    case 'accounts':
      accounts = new Set(message.accounts);
      return;
    case 'process-pending':
      void processor.processPending().then(() => post({ kind: 'done', ask: message.ask }));
      return;
    case 'idle':
      void processor.idle().then(() => post({ kind: 'done', ask: message.ask }));
      return;
    case 'handed-back':
      handedOff.get(message.id)?.();
      handedOff.delete(message.id);
      return;
    case 'stop':
      processor.close();
      void processor.idle().then(() => {
        archive.close();
        port.close();
      });
  }
});
