/**
 * Group commit: deliveries that arrive while the previous commit is still being written (or in the
 * same turn of the event loop) are written together in one transaction, so a burst costs one fsync
 * instead of one each. Each submitter's promise settles only when the transaction holding its item
 * has committed (or failed), which is what lets the webhook listener acknowledge a delivery only
 * after it is durable.
 *
 * `commit` must be all-or-nothing: it returns (or resolves to) one result per item, in order, or
 * throws and leaves nothing behind. At most one commit runs at a time.
 */
export class GroupCommit<Item, Result> {
  readonly #commit: (items: readonly Item[]) => readonly Result[] | Promise<readonly Result[]>;
  readonly #maxBatch: number;
  #queue: { item: Item; resolve: (result: Result) => void; reject: (error: Error) => void }[] = [];
  #busy = false;
  #idleWaiters: (() => void)[] = [];

  constructor(
    commit: (items: readonly Item[]) => readonly Result[] | Promise<readonly Result[]>,
    options: { maxBatch?: number } = {},
  ) {
    this.#commit = commit;
    this.#maxBatch = options.maxBatch ?? 1000;
  }

  /** Resolves with the item's result once the transaction that holds it has committed. */
  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#busy) return; // joins the batch that starts when the running commit ends
      this.#busy = true;
      // setImmediate runs after the current I/O poll phase: every request body that arrived in
      // this turn of the event loop joins the same transaction.
      setImmediate(() => void this.#drain());
    });
  }

  /** Resolves once everything submitted so far has been committed or refused. */
  idle(): Promise<void> {
    if (!this.#busy) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
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
    }
    this.#busy = false;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
