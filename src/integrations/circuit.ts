import { circuitOpenError } from './gitlab-errors.js';

export interface CircuitOptions {
  /** consecutive failed attempts (5xx, timeouts, network errors) that open the circuit */
  failureThreshold: number;
  /** how long it stays open before one trial call is let through */
  cooldownMs: number;
  now: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Stops hammering a GitLab that is down: after N failed attempts in a row calls fail fast for
 * a cool-down, then one trial call decides whether to close again. Per process, on purpose:
 * each replica judges GitLab by what it sees itself.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private lastProblem = '';

  constructor(private readonly options: CircuitOptions) {}

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.options.now() - this.openedAt >= this.options.cooldownMs ? 'half-open' : 'open';
  }

  /** Throws a user-facing error while open; in half-open lets exactly one caller through. */
  admit(): void {
    const state = this.state;
    if (state === 'closed') return;
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return;
    }
    const left = this.openedAt === undefined ? 0 : this.options.cooldownMs - (this.options.now() - this.openedAt);
    throw circuitOpenError(Math.max(1, Math.ceil(left / 1000)), this.lastProblem);
  }

  succeeded(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  failed(problem: string): void {
    this.lastProblem = problem;
    this.failures += 1;
    if (this.trialInFlight || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.options.now();
      this.trialInFlight = false;
    }
  }

  /** true when the circuit would refuse a call right now */
  get refusing(): boolean {
    return this.state === 'open' || (this.state === 'half-open' && this.trialInFlight);
  }
}
