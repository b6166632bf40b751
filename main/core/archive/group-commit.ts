/**
 * Group commit: items submitted while the event loop is busy reading requests are written together
 * in one transaction, so a burst of webhooks costs one fsync instead of one each. Each submitter's
 * promise settles only when the transaction holding its item has committed (or failed), which is
 * what lets the webhook listener acknowledge a delivery only after it is durable.
 *
 * `commit` runs synchronously (node:sqlite) and must be all-or-nothing: it returns one result per
 * item, in order, or throws and leaves nothing behind.
 */
export class GroupCommit<Item, Result> {
  readonly #commit: (items: readonly Item[]) => readonly Result[];
  readonly #maxBatch: number;
  #queue: { item: Item; resolve: (result: Result) => void; reject: (error: Error) => void }[] = [];
  #scheduled = false;
  #flushed: Promise<void> = Promise.resolve();
  #resolveFlushed: (() => void) | null = null;

  constructor(
    commit: (items: readonly Item[]) => readonly Result[],
    options: { maxBatch?: number } = {},
  ) {
    this.#commit = commit;
    this.#maxBatch = options.maxBatch ?? 1000;
  }

  /** Resolves with the item's result once the transaction that holds it has committed. */
  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      this.#flushed = new Promise((done) => (this.#resolveFlushed = done));
      // setImmediate runs after the current I/O poll phase: every request body that arrived in
      // this turn of the event loop joins the same transaction.
      setImmediate(() => this.#flush());
    });
  }

  /** Resolves once everything submitted so far has been committed or refused. */
  idle(): Promise<void> {
    return this.#flushed;
  }

  #flush(): void {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      let results: readonly Result[];
      try {
        results = this.#commit(batch.map((entry) => entry.item));
        if (results.length !== batch.length) {
          throw new Error(`commit returned ${results.length} results for ${batch.length} items`);
        }
      } catch (error) {
        const reason = error instanceof Error ? error : new Error(String(error));
        for (const entry of batch) entry.reject(reason);
        continue;
      }
      batch.forEach((entry, index) => entry.resolve(results[index] as Result));
    }
    this.#scheduled = false;
    this.#resolveFlushed?.();
    this.#resolveFlushed = null;
  }
}
