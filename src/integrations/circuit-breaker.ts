import type { Logger } from '../log.js';

export interface BreakerClock {
  now(): Date;
}

export interface BreakerOptions {
  /** consecutive failures that open the circuit */
  threshold: number;
  /** how long an open circuit skips the dependency */
  openMs: number;
}

/**
 * Skips a dependency that keeps failing. After `threshold` consecutive failures every call is
 * refused for `openMs`; the first call after that is a trial: success closes the circuit,
 * failure opens it again at once (the failure count is still at the threshold).
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;

  constructor(
    private readonly name: string,
    private readonly clock: BreakerClock,
    private readonly log: Logger,
    private readonly options: BreakerOptions = { threshold: 5, openMs: 60_000 },
  ) {}

  /** True when a call may go out now. */
  allow(): boolean {
    return this.clock.now().getTime() >= this.openUntil;
  }

  /** Milliseconds until calls are allowed again (0 when closed). */
  remainingMs(): number {
    return Math.max(0, this.openUntil - this.clock.now().getTime());
  }

  success(): void {
    if (this.failures >= this.options.threshold) this.log.info({ dependency: this.name }, `${this.name} answered again; circuit closed`);
    this.failures = 0;
  }

  failure(): void {
    this.failures += 1;
    if (this.failures >= this.options.threshold) {
      this.pause(this.options.openMs, `${this.failures} consecutive failures`);
    }
  }

  /** Skip the dependency for a while (an open circuit, or the dependency asked us to back off). */
  pause(ms: number, reason: string): void {
    const until = this.clock.now().getTime() + ms;
    if (until <= this.openUntil) return;
    this.openUntil = until;
    this.log.warn({ dependency: this.name, skipMs: ms, reason }, `${this.name} skipped for ${Math.round(ms / 1000)} s: ${reason}; the grammar answers meanwhile`);
  }
}
