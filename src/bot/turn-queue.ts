/** Turns run at once, per process; more wait in line. Enough to keep the CPU and the store busy. */
export const DEFAULT_CONCURRENT_TURNS = 8;
/** Beyond this many waiting, a new turn is refused rather than queued (the adapter says "busy"). */
export const DEFAULT_MAX_WAITING = 5000;

/**
 * Adapters ack a platform at once and hand the turn here. Running a bounded number at a time
 * keeps a burst from slowing every turn (and the acks) down together: turns finish in arrival
 * order, the event loop stays free to ack, and the store sees a steady number of requests.
 */
export class TurnQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency = DEFAULT_CONCURRENT_TURNS,
    private readonly maxWaiting = DEFAULT_MAX_WAITING,
  ) {}

  /** Runs the work when a slot is free; false (and nothing run) when the line is full. */
  async run(work: () => Promise<void>): Promise<boolean> {
    if (this.running < this.concurrency) {
      this.running += 1;
    } else {
      if (this.waiting.length >= this.maxWaiting) return false;
      // the finishing turn hands its slot straight to the next in line, so none can jump the queue
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
    return true;
  }

  /** Resolves once nothing runs or waits, or after the timeout (shutdown); true when idle. */
  async idle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.depth > 0) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  get depth(): number {
    return this.running + this.waiting.length;
  }
}
