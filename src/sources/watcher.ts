import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { KeyStore } from '../sessions/keys.js';

export interface Timers {
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setInterval: (run, ms) => setInterval(run, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

export const LEASE_KEY = 'lease:alarm-watcher';

export interface WatcherOptions {
  keys: KeyStore;
  log: Logger;
  intervalSeconds: number;
  /** the work of one tick, run only by the lease holder */
  work: Array<{ name: string; run(): Promise<unknown> }>;
  /** this replica's name in the lease; random by default */
  owner?: string;
  timers?: Timers;
}

/**
 * The periodic work of alerting (the poll, verification timeouts), done by exactly one replica:
 * each tick renews a lease in the keys table, and only its holder works. A replica that dies
 * stops renewing, and another takes over once the lease (three intervals) runs out.
 */
export class AlarmWatcher {
  readonly owner: string;
  private handle: unknown;
  private running: Promise<void> | undefined;

  constructor(private readonly options: WatcherOptions) {
    this.owner = options.owner ?? `replica-${randomUUID()}`;
  }

  get leaseSeconds(): number {
    return Math.max(30, this.options.intervalSeconds * 3);
  }

  /** One round; returns whether this replica held the lease and did the work. */
  async tick(): Promise<boolean> {
    const { keys, log, work } = this.options;
    if (!(await keys.renew(LEASE_KEY, this.owner, this.leaseSeconds))) return false;
    for (const step of work) {
      try {
        await step.run();
      } catch (error) {
        log.warn({ err: error, step: step.name }, 'alert watcher step failed; trying again next tick');
      }
    }
    return true;
  }

  start(): void {
    if (this.handle !== undefined) return;
    const timers = this.options.timers ?? realTimers;
    this.handle = timers.setInterval(() => {
      // a slow tick is never overlapped by the next one
      if (this.running) return;
      this.running = this.tick()
        .then(() => undefined, (error: unknown) => this.options.log.warn({ err: error }, 'alert watcher tick failed'))
        .finally(() => (this.running = undefined));
    }, this.options.intervalSeconds * 1000);
  }

  async stop(): Promise<void> {
    if (this.handle !== undefined) (this.options.timers ?? realTimers).clearInterval(this.handle);
    this.handle = undefined;
    await this.running;
    await this.options.keys
      .release(LEASE_KEY, this.owner)
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'could not release the alert watcher lease; it expires on its own'));
  }
}
