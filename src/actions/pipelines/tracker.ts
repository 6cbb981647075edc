import { randomUUID } from 'node:crypto';
import type { Notifier, NotifyTarget } from '../../bot/notifier.js';
import type { Responder } from '../../bot/turn.js';
import { isGitLabError } from '../../integrations/gitlab-errors.js';
import type { GitLab, Job } from '../../integrations/gitlab.js';
import { isFinished } from '../../integrations/gitlab-schemas.js';
import type { Logger } from '../../log.js';
import type { Deployment, JobState, Outcome } from '../../sessions/deployments.js';
import type { Store } from '../../sessions/store.js';
import { threadOutlet, type Outlet } from './outlet.js';
import { statusReply, outcomeReply } from './progress.js';

export type TrackerSleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface TrackerSettings {
  /** who holds a lease; one per process */
  replicaId: string;
  /** a lease outlives the longest poll plus a slow GitLab call, and is renewed every poll */
  leaseSeconds: number;
  pollMinMs: number;
  pollMaxMs: number;
  /** after this, stop watching and say so */
  maxTrackingMs: number;
  /** how often a replica looks for deployments whose tracker died */
  sweepMs: number;
  sleep: TrackerSleep;
}

export interface TrackerDeps {
  store: Store;
  gitlab: GitLab;
  notifier: Notifier;
  log: Logger;
  settings?: Partial<TrackerSettings>;
}

const realSleep: TrackerSleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export const DEFAULT_TRACKER: Omit<TrackerSettings, 'replicaId'> = {
  leaseSeconds: 180,
  pollMinMs: 5_000,
  pollMaxMs: 60_000,
  maxTrackingMs: 6 * 60 * 60_000,
  sweepMs: 60_000,
  sleep: realSleep,
};

const leaseKey = (id: string): string => `track:${id}`;

const OUTCOME: Record<string, Exclude<Outcome, 'pending' | 'running'>> = { success: 'success', failed: 'failed', canceled: 'canceled', skipped: 'failed' };

const jobState = (job: Job): JobState => ({
  id: job.id,
  name: job.name,
  stage: job.stage,
  status: job.status,
  ...(job.failure_reason ? { failureReason: job.failure_reason } : {}),
  webUrl: job.web_url,
});

/**
 * Watches the pipelines aiops triggered until they finish, editing the status message in
 * their thread. Each deployment is watched under a lease (a conditional write in the keys
 * table), so across replicas exactly one watches it; on start, and every sweep, a replica
 * picks up unfinished deployments whose lease has lapsed (a restart or a crash).
 */
export class PipelineTracker {
  readonly settings: TrackerSettings;
  private readonly loops = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  private sweeping: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(private readonly deps: TrackerDeps) {
    this.settings = { ...DEFAULT_TRACKER, replicaId: `r-${randomUUID().slice(0, 8)}`, ...deps.settings };
    this.log = deps.log.child({ component: 'tracker', replica: this.settings.replicaId });
  }

  claim(id: string): Promise<boolean> {
    return this.deps.store.keys.claim(leaseKey(id), this.settings.leaseSeconds, this.settings.replicaId, { deployment: id });
  }

  release(id: string): Promise<void> {
    return this.deps.store.keys.release(leaseKey(id), this.settings.replicaId);
  }

  outlet(target: NotifyTarget, responder?: Responder): Outlet {
    return threadOutlet(target, this.deps.notifier, this.log, responder);
  }

  /** Watch a deployment this replica has just started (and claimed). */
  follow(deployment: Deployment, outlet: Outlet): void {
    this.spawn(deployment, () => this.watch(deployment, outlet, false));
  }

  /** Claim and watch every unfinished deployment nobody is watching; returns the ids taken. */
  async resume(): Promise<string[]> {
    const taken: string[] = [];
    for (const deployment of await this.deps.store.deployments.unfinished()) {
      if (this.loops.has(deployment.id) || this.stopping.signal.aborted) continue;
      if (!(await this.claim(deployment.id))) continue;
      taken.push(deployment.id);
      this.log.info({ deployment: deployment.id, pipeline: deployment.pipelineId }, 'resuming tracking');
      const outlet = this.outlet(deployment.conversation);
      this.spawn(deployment, () => (deployment.pipelineId === undefined ? this.lost(deployment, outlet) : this.watch(deployment, outlet, true)));
    }
    return taken;
  }

  /** Resume now, then sweep for orphans every `sweepMs` until stopped. */
  start(): void {
    this.sweeping ??= (async () => {
      while (!this.stopping.signal.aborted) {
        try {
          await this.resume();
        } catch (error) {
          this.log.error({ err: error }, 'looking for unfinished deployments failed');
        }
        await this.settings.sleep(this.settings.sweepMs, this.stopping.signal);
      }
    })();
  }

  /** Stop watching and hand every lease back, so another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.loops.values(), this.sweeping]);
  }

  /** Resolves when nothing is being watched (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.loops.size > 0) await Promise.all([...this.loops.values()]);
  }

  get watching(): string[] {
    return [...this.loops.keys()];
  }

  private spawn(deployment: Deployment, run: () => Promise<void>): void {
    const loop = run()
      .catch((error: unknown) => this.log.error({ err: error, deployment: deployment.id }, 'tracking failed'))
      .finally(async () => {
        this.loops.delete(deployment.id);
        await this.release(deployment.id).catch((error: unknown) => this.log.warn({ err: error }, 'could not release the lease'));
      });
    this.loops.set(deployment.id, loop);
  }

  private async watch(initial: Deployment, outlet: Outlet, pollFirst: boolean): Promise<void> {
    const { gitlab, store } = this.deps;
    const { signal } = this.stopping;
    let deployment = initial;
    let delay = this.settings.pollMinMs;
    let seen = `${deployment.pipelineStatus}|${(deployment.jobs ?? []).map((job) => job.status).join(',')}`;
    let failures = 0;
    for (let first = true; ; first = false) {
      if (!(first && pollFirst)) await this.settings.sleep(delay, signal);
      if (signal.aborted) return;
      if (!(await store.keys.extend(leaseKey(deployment.id), this.settings.replicaId, this.settings.leaseSeconds))) {
        this.log.warn({ deployment: deployment.id }, 'lease lost (another replica took over, or it finished); standing down');
        return;
      }
      if (store.clock.now().getTime() - Date.parse(deployment.startedAt) > this.settings.maxTrackingMs) {
        await this.finish(deployment, 'unknown', outlet, { detail: `aiops stopped watching after ${Math.round(this.settings.maxTrackingMs / 3_600_000)} h; the pipeline may still be running` });
        return;
      }
      const pipelineId = deployment.pipelineId!;
      let status: string;
      let jobs: JobState[];
      try {
        const [pipeline, list] = await Promise.all([gitlab.pipeline(deployment.project, pipelineId), gitlab.pipelineJobs(deployment.project, pipelineId)]);
        status = pipeline.status;
        jobs = list.map(jobState).sort((a, b) => a.id - b.id);
      } catch (error) {
        if (isGitLabError(error) && error.status === 404) {
          await this.finish(deployment, 'unknown', outlet, { detail: `pipeline #${pipelineId} is no longer in GitLab` });
          return;
        }
        failures += 1;
        delay = Math.min(delay * 2, this.settings.pollMaxMs);
        this.log.warn({ err: error, deployment: deployment.id, failures }, 'polling GitLab failed; will retry');
        if (failures === 1 && deployment.statusMessage) {
          const why = isGitLabError(error) ? error.message : 'GitLab did not answer';
          await outlet.update(deployment.statusMessage, statusReply(deployment, `${why} Still watching.`));
        }
        continue;
      }
      failures = 0;
      if (isFinished(status)) {
        await this.finish(deployment, OUTCOME[status] ?? 'failed', outlet, {
          pipelineStatus: status,
          jobs,
          ...(status === 'skipped' ? { detail: 'GitLab skipped every job (check the rules of the deploy job)' } : {}),
        });
        return;
      }
      const now = `${status}|${jobs.map((job) => job.status).join(',')}`;
      if (now === seen) {
        delay = Math.min(Math.round(delay * 1.5), this.settings.pollMaxMs);
        continue;
      }
      seen = now;
      delay = this.settings.pollMinMs;
      const updated = await store.deployments.progress(deployment.id, { pipelineStatus: status, jobs });
      if (!updated) return;
      deployment = updated;
      await this.show(deployment, outlet);
    }
  }

  /** Edits the status message, or posts one when the first attempt never got a message id. */
  private async show(deployment: Deployment, outlet: Outlet): Promise<void> {
    if (deployment.statusMessage) {
      await outlet.update(deployment.statusMessage, statusReply(deployment));
      return;
    }
    const posted = await outlet.post(statusReply(deployment));
    if (posted) await this.deps.store.deployments.attachMessage(deployment.id, posted);
  }

  /** A deployment recorded but never known to have reached GitLab: the replica died mid-trigger. */
  private async lost(deployment: Deployment, outlet: Outlet): Promise<void> {
    await this.finish(deployment, 'unknown', outlet, {
      detail: `aiops stopped before it learned whether GitLab created the pipeline; check ${this.deps.gitlab.projectUrl(deployment.project)}/-/pipelines`,
    });
  }

  private async finish(
    deployment: Deployment,
    outcome: Exclude<Outcome, 'pending' | 'running'>,
    outlet: Outlet,
    fields: { detail?: string; pipelineStatus?: string; jobs?: JobState[] },
  ): Promise<void> {
    const done = await this.deps.store.deployments.finish(deployment.id, outcome, fields);
    if (!done) return;
    this.log.info({ deployment: done.id, outcome, pipeline: done.pipelineId }, 'deployment finished');
    if (done.statusMessage) await outlet.update(done.statusMessage, statusReply(done));
    await outlet.post(outcomeReply(done));
    await this.deps.store.audit.append({
      actor: 'aiops',
      actorName: 'aiops',
      event: 'deployment.finished',
      correlationId: done.correlationId,
      action: done.kind,
      service: done.service,
      environment: done.environment,
      detail: `${done.summary}: ${outcome}${done.pipelineId !== undefined ? `, pipeline #${done.pipelineId}` : ''}${done.detail ? `; ${done.detail}` : ''}`.slice(0, 500),
    });
  }
}
