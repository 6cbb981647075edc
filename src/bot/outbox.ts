/**
 * Outbound sends to a chat platform: paced per channel (platforms limit messages per channel
 * per second) and retried when the platform answers "rate limited", after the delay it asked for.
 */

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RateLimitPolicy {
  /** how long the platform asked us to wait, when the error is a rate limit; undefined otherwise */
  retryAfterMs(error: unknown): number | undefined;
  /** attempts in total, the first one included */
  maxAttempts?: number;
  sleep?: Sleep;
  onRetry?: (delayMs: number, attempt: number) => void;
}

const DEFAULT_ATTEMPTS = 5;

/** For a send whose caller already retries (an outbox lane): fail at once. */
export const NO_RETRY: RateLimitPolicy = { retryAfterMs: () => undefined, maxAttempts: 1 };
/** never wait longer than this for one retry, whatever the platform says */
const MAX_RETRY_DELAY_MS = 60_000;

/** Runs a send, waiting and retrying while the platform says it is rate limited. */
export async function withRateLimitRetry<T>(send: () => Promise<T>, policy: RateLimitPolicy): Promise<T> {
  const attempts = policy.maxAttempts ?? DEFAULT_ATTEMPTS;
  const sleep = policy.sleep ?? realSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      const delay = policy.retryAfterMs(error);
      if (delay === undefined || attempt >= attempts) throw error;
      const wait = Math.min(Math.max(delay, 0), MAX_RETRY_DELAY_MS);
      policy.onRetry?.(wait, attempt);
      await sleep(wait);
    }
  }
}

export interface OutboxOptions extends RateLimitPolicy {
  /** the least time between two sends to the same channel */
  intervalMs: number;
  now?: () => number;
}

interface Lane {
  tail: Promise<void>;
  /** earliest time the next send on this lane may start */
  nextAt: number;
  queued: number;
}

/**
 * Sends are serialised per key (a channel or conversation): each waits for the previous one,
 * then for the pacing interval, then runs with rate-limit retries. Different keys run in parallel.
 */
export class Outbox {
  private readonly lanes = new Map<string, Lane>();
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(private readonly options: OutboxOptions) {
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  send<T>(key: string, task: () => Promise<T>): Promise<T> {
    const lane = this.lane(key);
    lane.queued += 1;
    const run = lane.tail.then(async () => {
      const wait = lane.nextAt - this.now();
      if (wait > 0) await this.sleep(wait);
      try {
        return await withRateLimitRetry(task, { ...this.options, sleep: this.sleep });
      } finally {
        lane.nextAt = this.now() + this.options.intervalMs;
        lane.queued -= 1;
      }
    });
    lane.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Resolves when every send queued so far has finished (or failed). */
  async drain(): Promise<void> {
    await Promise.all([...this.lanes.values()].map((lane) => lane.tail));
  }

  get pending(): number {
    let total = 0;
    for (const lane of this.lanes.values()) total += lane.queued;
    return total;
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      this.prune();
      lane = { tail: Promise.resolve(), nextAt: 0, queued: 0 };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Idle lanes whose pacing window has passed carry no information: forget them. */
  private prune(): void {
    if (this.lanes.size < 1000) return;
    const now = this.now();
    for (const [key, lane] of this.lanes) {
      if (lane.queued === 0 && lane.nextAt <= now) this.lanes.delete(key);
    }
  }
}
