/**
 * Work the webhook acknowledged and does afterwards: at most `concurrency` at a time (each may
 * fetch three job logs), at most `capacity` waiting. A full queue refuses, so a storm of
 * deliveries cannot take the process's memory.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Array<() => Promise<void>> = [];
  private idlers: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly capacity: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  push(task: () => Promise<void>): boolean {
    if (this.waiting.length >= this.capacity) return false;
    this.waiting.push(task);
    this.next();
    return true;
  }

  get pending(): number {
    return this.running + this.waiting.length;
  }

  /** Resolves when nothing is running or waiting (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const task = this.waiting.shift()!;
      this.running += 1;
      void task()
        .catch(this.onError)
        .finally(() => {
          this.running -= 1;
          this.next();
          if (this.pending === 0) this.idlers.splice(0).forEach((resolve) => resolve());
        });
    }
  }
}
