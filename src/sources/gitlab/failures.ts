import { serviceForProject } from '../../actions/diagnose/find.js';
import { diagnoseJobs, MAX_JOBS, type FailedJob } from '../../actions/diagnose/jobs.js';
import type { PipelineDiagnosis } from '../../actions/diagnose/reply.js';
import type { PipelineFacts } from '../../actions/fix/target.js';
import { newCorrelationId } from '../../bot/ids.js';
import type { Notifier } from '../../bot/notifier.js';
import type { Platform } from '../../bot/turn.js';
import type { Catalog, Service } from '../../catalog/catalog.js';
import type { GitLab } from '../../integrations/gitlab.js';
import type { Logger } from '../../log.js';
import type { FailureAdvisor } from '../../remediation/index.js';
import type { Store } from '../../sessions/store.js';
import { actOnJob, type JobOutcome } from './act.js';
import { alertTarget } from '../alerts.js';
import type { AlertChannel } from '../../config.js';
import { deliveryKey, failedBuilds, jobUrl, pipelineUrl, triggeredByAiops, type PipelineHook } from './hook.js';
import { unreadable } from './messages.js';
import { settleFromHook } from './outcomes.js';

export interface FailuresSettings {
  dryRun: boolean;
  gitlabUrl: string | undefined;
  approvalTtlMinutes: number;
  /** AIOPS_ALERT_CHANNEL, for services without a channel annotation */
  defaultChannel: AlertChannel | undefined;
  /** chat platforms configured; an annotation for another one is skipped (empty: any) */
  platforms: readonly Platform[];
}

export interface FailuresDeps {
  store: Store;
  catalog: Catalog;
  gitlab: GitLab | undefined;
  advisor: FailureAdvisor | undefined;
  notifier: Notifier;
  log: Logger;
  settings: FailuresSettings;
}

export type HookOutcome = 'not-failed' | 'duplicate' | 'tracked-by-aiops' | 'no-failed-job' | 'unreadable' | 'handled';

// a failure is remembered this long: GitLab does not redeliver older events
const DELIVERY_TTL_SECONDS = 7 * 86_400;

/**
 * A Pipeline Hook, after the webhook acknowledged it: first, any auto-fix waiting for this
 * pipeline gets its outcome; then a failed pipeline is diagnosed job by job and each job is
 * fixed (when the policy allows) or handed to a person, in the service's channel.
 */
export class PipelineFailures {
  constructor(readonly deps: FailuresDeps) {}

  /** The catalog service a hook is about; undefined means "not ours", and the webhook ignores it. */
  serviceOf(hook: PipelineHook): Service | undefined {
    return serviceForProject(this.deps.catalog, hook.project.path_with_namespace);
  }

  async process(hook: PipelineHook): Promise<HookOutcome> {
    const { store, log: parent } = this.deps;
    const pipeline = hook.object_attributes;
    const service = this.serviceOf(hook);
    if (!service) return 'not-failed';
    const log = parent.child({ project: hook.project.path_with_namespace, pipeline: pipeline.id, status: pipeline.status });
    // the catalog's spelling of the project, as chat uses it, so claims and watches match
    const project = service.projectSlug ?? hook.project.path_with_namespace;
    await settleFromHook({ store, notifier: this.deps.notifier, log }, hook, project);
    if (pipeline.status !== 'failed') return 'not-failed';
    if (triggeredByAiops(hook)) {
      log.info('a pipeline aiops triggered failed: its own thread reports it, and aiops does not fix its deployments');
      return 'tracked-by-aiops';
    }
    if (!(await store.keys.claim(deliveryKey(hook), DELIVERY_TTL_SECONDS, 'gitlab-webhook'))) {
      log.info('this failure was handled already (a repeated or concurrent delivery)');
      return 'duplicate';
    }
    const builds = failedBuilds(hook);
    if (builds.length === 0) return 'no-failed-job';
    const correlationId = newCorrelationId();
    const facts = factsOf(hook, service.name, project);
    const target = alertTarget(service, this.deps.settings.defaultChannel, this.deps.settings.platforms);
    const jobs: FailedJob[] = builds.map((build) => ({
      id: build.id,
      name: build.name,
      stage: build.stage,
      url: jobUrl(hook, build.id),
      ...(build.failure_reason ? { failureReason: build.failure_reason } : {}),
      ...(build.environment ? { environment: build.environment.name } : {}),
    }));
    const gitlab = this.deps.gitlab;
    if (!gitlab) {
      if (target) await this.deps.notifier.notify(target, unreadable(facts, jobs, this.deps.settings.gitlabUrl, correlationId)).catch((error: unknown) => log.error({ err: error }, 'could not post'));
      return 'unreadable';
    }
    const jobLog = log.child({ correlationId });
    const items = await diagnoseJobs({ gitlab, advisor: this.deps.advisor, log: jobLog }, facts.project, jobs);
    const diagnosis: PipelineDiagnosis = { facts, items, omitted: Math.max(0, jobs.length - MAX_JOBS) };
    const outcomes: JobOutcome[] = [];
    for (const item of items) {
      outcomes.push(
        await actOnJob(
          { store, gitlab, notifier: this.deps.notifier, log: jobLog, dryRun: this.deps.settings.dryRun, gitlabUrl: this.deps.settings.gitlabUrl, approvalTtlMinutes: this.deps.settings.approvalTtlMinutes },
          diagnosis,
          item,
          target,
          correlationId,
        ),
      );
    }
    jobLog.info({ service: service.name, jobs: items.map((item) => item.job.name), outcomes }, 'failed pipeline handled');
    return 'handled';
  }
}

function factsOf(hook: PipelineHook, service: string, project: string): PipelineFacts {
  const pipeline = hook.object_attributes;
  const fromMergeRequest = pipeline.source === 'merge_request_event' && hook.merge_request ? hook.merge_request.source_branch : undefined;
  return {
    service,
    project,
    id: pipeline.id,
    url: pipelineUrl(hook),
    ref: pipeline.ref,
    sha: pipeline.sha,
    tag: pipeline.tag,
    ...(fromMergeRequest ? { mergeRequestSourceBranch: fromMergeRequest } : {}),
  };
}
