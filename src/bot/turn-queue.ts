/** Turns run at once, per process; more wait in line. Enough to keep the CPU and the store busy. */
export const DEFAULT_CONCURRENT_TURNS = 8;
/** Beyond this many waiting, a new turn is refused rather than queued (the adapter says "busy"). */
export const DEFAULT_MAX_WAITING = 5000;
/** The longest a waiting turn gives way to acks before it starts anyway, so a flood cannot starve turns. */
export const DEFAULT_ACK_PRIORITY_MS = 1000;

export interface TurnQueueOptions {
  concurrency?: number;
  maxWaiting?: number;
  ackPriorityMs?: number;
  now?: () => number;
}

interface Waiting {
  start: () => void;
  since: number;
}

/**
 * Adapters ack a platform at once and hand the turn here. Running a bounded number at a time
 * keeps a burst from slowing every turn (and the acks) down together: turns finish in arrival
 * order and the store sees a steady number of requests.
 *
 * Acks go first. Slack retries what is not acked within 3 s (and switches off an app that keeps
 * missing it), while a turn's answer can take a moment longer: so while requests are waiting to
 * be acked, no new turn starts, for at most `ackPriorityMs`. Turns already running go on.
 */
export class TurnQueue {
  private running = 0;
  private acking = 0;
  private readonly waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly concurrency: number;
  private readonly maxWaiting: number;
  private readonly ackPriorityMs: number;
  private readonly now: () => number;

  constructor(options: TurnQueueOptions = {}) {
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENT_TURNS;
    this.maxWaiting = options.maxWaiting ?? DEFAULT_MAX_WAITING;
    this.ackPriorityMs = options.ackPriorityMs ?? DEFAULT_ACK_PRIORITY_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** Runs the work when a slot is free and no ack is waiting; false (and nothing run) when the line is full. */
  async run(work: () => Promise<void>): Promise<boolean> {
    if (this.waiting.length >= this.maxWaiting) return false;
    await new Promise<void>((start) => {
      this.waiting.push({ start, since: this.now() });
      this.pump();
    });
    try {
      await work();
    } finally {
      this.running -= 1;
      this.pump();
    }
    return true;
  }

  /** A request that must be acked has arrived; call the returned function once it is answered. */
  ackStarted(): () => void {
    this.acking += 1;
    let answered = false;
    return () => {
      if (answered) return;
      answered = true;
      this.acking -= 1;
      this.pump();
    };
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

  /** Starts waiting turns, in arrival order, while slots are free and acks allow. */
  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting[0]!;
      const gaveWay = this.now() - next.since;
      if (this.acking > 0 && gaveWay < this.ackPriorityMs) {
        this.wakeIn(this.ackPriorityMs - gaveWay);
        return;
      }
      this.waiting.shift();
      this.running += 1;
      next.start();
    }
  }

  /** Acks that never finish (a stuck connection) must not hold turns back past the bound. */
  private wakeIn(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.ceil(ms));
    this.timer.unref();
  }
}
