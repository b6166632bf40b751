import type * as workerThreads from 'node:worker_threads';

/** Worker threads the code under test started, so a test can make one die as a crash would. */
export const startedWorkers: workerThreads.Worker[] = [];

/**
 * For `vi.mock('node:worker_threads', …)`: the real module, with a Worker that records itself in
 * `startedWorkers`.
 */
export function recordingWorkers(actual: typeof workerThreads): typeof workerThreads {
  class RecordedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      startedWorkers.push(this);
    }
  }
  return { ...actual, Worker: RecordedWorker };
}
