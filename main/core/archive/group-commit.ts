/**
 * Group commit: deliveries that arrive while the previous commit is still being written (or in the
 * same turn of the event loop) are written together in one transaction, so a burst costs one fsync
 * instead of one each. Each submitter's promise settles only when the transaction holding its item
 * has committed (or failed), which is what lets the webhook listener acknowledge a delivery only
 * after it is durable.
 *
 * `commit` must be all-or-nothing: it returns (or resolves to) one result per item, in order, or
 * throws and leaves nothing behind. Commits are started in submission order; by default one runs
 * at a time. `maxInFlight` > 1 lets the next batch be handed over while earlier ones are still
 * committing, for a `commit` that queues its calls itself (the DeliveryWriter's worker commits
 * them in order and merges whatever queued up into its next transaction): the hand-over round trip
 * then no longer sits between two fsyncs.
 */
type Waiter<Item, Result> = {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
};

export class GroupCommit<Item, Result> {
  readonly #commit: (items: readonly Item[]) => readonly Result[] | Promise<readonly Result[]>;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  #queue: Waiter<Item, Result>[] = [];
  #scheduled = false;
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(
    commit: (items: readonly Item[]) => readonly Result[] | Promise<readonly Result[]>,
    options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {
    this.#commit = commit;
    this.#maxBatch = options.maxBatch ?? 1000;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  }

  /** Resolves with the item's result once the transaction that holds it has committed. */
  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      // Full pipeline: joins the batch that starts when a running commit ends.
      if (this.#scheduled || this.#inFlight >= this.#maxInFlight) return;
      this.#scheduled = true;
      // setImmediate runs after the current I/O poll phase: every request body that arrived in
      // this turn of the event loop joins the same transaction.
      setImmediate(() => {
        this.#scheduled = false;
        this.#start();
      });
    });
  }

  /** Resolves once everything submitted so far has been committed or refused. */
  idle(): Promise<void> {
    if (!this.#busy) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  get #busy(): boolean {
    return this.#scheduled || this.#inFlight > 0 || this.#queue.length > 0;
  }

  #start(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#maxInFlight) {
      this.#inFlight += 1;
      void this.#run(this.#queue.splice(0, this.#maxBatch));
    }
  }

  async #run(batch: Waiter<Item, Result>[]): Promise<void> {
    try {
      const results = await this.#commit(batch.map((entry) => entry.item));
      if (results.length !== batch.length) {
        throw new Error(`commit returned ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((entry, index) => entry.resolve(results[index] as Result));
    } catch (error) {
      const reason = error instanceof Error ? error : new Error(String(error));
      for (const entry of batch) entry.reject(reason);
    }
    this.#inFlight -= 1;
    // What queued up meanwhile starts now, as one batch.
    this.#start();
    if (!this.#busy) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
