import type { Logger } from '../log.js';

export interface CircuitOptions {
  /** consecutive failures (5xx, timeouts, network errors) that open the circuit */
  failureThreshold: number;
  /** how long it stays open before one trial call is let through */
  cooldownMs: number;
  now: () => number;
  /** the dependency, as the log lines that say the circuit opened and closed name it */
  name?: string;
  log?: Logger;
  /** what callers do while it is open, for those log lines ("the grammar answers meanwhile") */
  meanwhile?: string;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Stops hammering a dependency that is down (GitLab, Claude): after N failures in a row calls
 * are refused for a cool-down, then exactly one trial call decides: success closes the circuit,
 * failure opens it again at once. A dependency that asks to be left alone (429 with
 * Retry-After) is skipped the same way for as long as it asked. Per process, on purpose: each
 * replica judges a dependency by what it sees itself.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil: number | undefined;
  private trialInFlight = false;
  private problem = '';

  constructor(private readonly options: CircuitOptions) {}

  get state(): CircuitState {
    if (this.openUntil === undefined) return 'closed';
    return this.options.now() >= this.openUntil ? 'half-open' : 'open';
  }

  /** true when the circuit would refuse a call right now (does not take the trial) */
  get refusing(): boolean {
    const state = this.state;
    return state === 'open' || (state === 'half-open' && this.trialInFlight);
  }

  /** What made it open, for the message that says why calls are refused. */
  get lastProblem(): string {
    return this.problem;
  }

  /** May a call go out now? In half-open exactly one caller gets true: the trial. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  /** Milliseconds until a call may go out again (0 when it may now). */
  remainingMs(): number {
    return this.openUntil === undefined ? 0 : Math.max(0, this.openUntil - this.options.now());
  }

  succeeded(): void {
    if (this.openUntil !== undefined) this.options.log?.info({ dependency: this.options.name }, `${this.options.name} answered again; circuit closed`);
    this.failures = 0;
    this.openUntil = undefined;
    this.trialInFlight = false;
  }

  failed(problem: string): void {
    this.problem = problem;
    this.failures += 1;
    if (this.trialInFlight || this.failures >= this.options.failureThreshold) {
      this.pause(this.options.cooldownMs, `${this.failures} consecutive failures (${problem})`);
    }
  }

  /** Refuse calls for `ms` (the circuit opening, or the dependency asking us to back off). */
  pause(ms: number, reason: string): void {
    const until = this.options.now() + ms;
    this.trialInFlight = false;
    if (this.openUntil !== undefined && until <= this.openUntil && this.state === 'open') return;
    this.openUntil = until;
    const meanwhile = this.options.meanwhile ? `; ${this.options.meanwhile}` : '';
    this.options.log?.warn({ dependency: this.options.name, skipMs: ms, reason }, `${this.options.name} skipped for ${Math.round(ms / 1000)} s: ${reason}${meanwhile}`);
  }
}
