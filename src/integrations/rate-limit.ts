/** A shared atomic counter with a time to live; the DynamoDB KeyStore is one. */
export interface Counter {
  increment(key: string, ttlSeconds: number): Promise<number>;
}

/**
 * At most `perMinute` calls per user in each clock minute, counted in the shared store so the
 * limit holds however many replicas run. A fixed window: simple, and good enough for a bill.
 */
export class PerUserRateLimit {
  constructor(
    private readonly counter: Counter,
    private readonly perMinute: number,
    private readonly clock: { now(): Date },
    private readonly prefix = 'llm-rate',
  ) {}

  async allow(user: string): Promise<boolean> {
    const minute = Math.floor(this.clock.now().getTime() / 60_000);
    const count = await this.counter.increment(`${this.prefix}:${user}:${minute}`, 120);
    return count <= this.perMinute;
  }
}
