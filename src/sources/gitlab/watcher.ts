import { randomUUID } from 'node:crypto';
import { DEFAULT_TRACKER, type TrackerSleep } from '../../actions/pipelines/tracker.js';
import type { GitLab } from '../../integrations/gitlab.js';
import { isFinished } from '../../integrations/gitlab-schemas.js';
import type { Autofix } from '../../sessions/autofixes.js';
import { outcomeOf, settleFix, type OutcomeDeps } from './outcomes.js';

export interface WatcherSettings {
  owner: string;
  /** how often the replica holding the lease asks GitLab about fixes whose outcome has not arrived */
  intervalMs: number;
  /** outlives a sweep; renewed each time */
  leaseSeconds: number;
  /** give up on a fix whose pipeline has not finished after this long */
  giveUpMs: number;
  sleep: TrackerSleep;
}

const LEASE_KEY = 'autofix-watcher';

export const DEFAULT_WATCHER: Omit<WatcherSettings, 'owner'> = { intervalMs: 60_000, leaseSeconds: 180, giveUpMs: 24 * 3_600_000, sleep: DEFAULT_TRACKER.sleep };

/**
 * The webhook normally brings each fix's outcome. This covers what it misses (a delivery lost, a
 * pipeline that finished before the fix was recorded): one replica at a time, under a lease in
 * the keys table, asks GitLab about every fix still waiting. Settling is the same conditional
 * write the webhook uses, so the two never report an outcome twice.
 */
export class FixWatcher {
  readonly settings: WatcherSettings;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly deps: OutcomeDeps & { gitlab: GitLab },
    settings: Partial<WatcherSettings> = {},
  ) {
    this.settings = { ...DEFAULT_WATCHER, owner: `r-${randomUUID().slice(0, 8)}`, ...settings };
  }

  start(): void {
    this.loop ??= (async () => {
      while (!this.stopping.signal.aborted) {
        await this.settings.sleep(this.settings.intervalMs, this.stopping.signal);
        if (this.stopping.signal.aborted) break;
        try {
          if (await this.holdLease()) await this.sweep();
        } catch (error) {
          this.deps.log.error({ err: error }, 'checking auto-fix outcomes failed');
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.deps.store.keys.release(LEASE_KEY, this.settings.owner).catch(() => undefined);
  }

  /** True when this replica holds (or just took) the lease. */
  async holdLease(): Promise<boolean> {
    const { keys } = this.deps.store;
    return (await keys.extend(LEASE_KEY, this.settings.owner, this.settings.leaseSeconds)) || (await keys.claim(LEASE_KEY, this.settings.leaseSeconds, this.settings.owner));
  }

  /** One pass over the fixes still waiting; answers how many got their outcome. */
  async sweep(): Promise<number> {
    let settled = 0;
    const now = this.deps.store.clock.now().getTime();
    for (const record of await this.deps.store.autofixes.watching()) {
      try {
        if (now - Date.parse(record.createdAt) > this.settings.giveUpMs) {
          if (await settleFix(this.deps, record, 'unknown')) settled += 1;
          continue;
        }
        const finished = await this.finishedPipeline(record);
        if (finished && (await settleFix(this.deps, record, outcomeOf(finished.status), { id: finished.id, url: finished.url }))) settled += 1;
      } catch (error) {
        this.deps.log.warn({ err: error, fix: record.id }, 'could not check an auto-fix outcome; will try again');
      }
    }
    return settled;
  }

  private async finishedPipeline(record: Autofix): Promise<{ id: number; status: string; url: string } | undefined> {
    const { gitlab } = this.deps;
    if (record.kind === 'retry') {
      const pipeline = await gitlab.pipeline(record.project, record.pipelineId);
      if (!isFinished(pipeline.status)) return undefined;
      // the pipeline may show the first failure still; only the retried job's end counts
      const jobs = await gitlab.pipelineJobs(record.project, record.pipelineId);
      const retried = jobs.find((job) => job.id === record.newJob?.id);
      return retried && isFinished(retried.status) ? { id: pipeline.id, status: pipeline.status, url: pipeline.web_url } : undefined;
    }
    if (!record.branch) return undefined;
    const [latest] = await gitlab.listPipelines(record.project, { ref: record.branch, perPage: 1 });
    return latest && isFinished(latest.status) ? { id: latest.id, status: latest.status, url: latest.web_url } : undefined;
  }
}
