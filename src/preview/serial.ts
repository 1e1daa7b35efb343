/**
 * Runs work one job after another. A keyed job that is still waiting to start is not queued again:
 * asking for it returns the waiting run.
 */
export class Serial<K, V> {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly waiting = new Map<K, Promise<V>>();

  /** Queues `work` behind every job queued before it; resolves or rejects as `work` does. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Queues `work` for `key`, unless a job for `key` is still waiting to start. */
  once(key: K, work: () => Promise<V>): Promise<V> {
    const waiting = this.waiting.get(key);
    if (waiting) return waiting;
    const run = this.run(() => {
      this.waiting.delete(key); // from here on, a new request needs a new run
      return work();
    });
    this.waiting.set(key, run);
    return run;
  }
}
