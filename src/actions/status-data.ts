import type { Service } from '../catalog/catalog.js';
import { isGitLabError } from '../integrations/gitlab-errors.js';
import type { Pipeline } from '../integrations/gitlab.js';
import type { Approval } from '../sessions/approvals.js';
import { deploymentTarget, type Deployment, type DeploymentHead } from '../sessions/deployments.js';
import type { DeployLock } from '../sessions/locks.js';
import { defaultBranch } from './common.js';
import { inProgress, runningVersion } from './pipelines/history.js';
import type { ActionContext } from './types.js';

/** Status answers come in bursts (several people, the same question); GitLab is asked at most this often. */
export const STATUS_CACHE_MS = 15_000;

export interface EnvironmentState {
  environment: string;
  /** the full records, when the history was read (one service) */
  running: Deployment | undefined;
  busy: Deployment | undefined;
  /** what the one-line overview shows: from the head, or from the history */
  now: { version: string | undefined; busy: boolean };
  lock: DeployLock | undefined;
  pending: Approval[];
  history: Deployment[];
}

export interface ServiceState {
  service: Service;
  environments: EnvironmentState[];
  branch: string;
  pipelines: Pipeline[];
  /** why pipelines are missing, when GitLab failed */
  gitlabProblem: string | undefined;
}

async function pipelinesOf(ctx: ActionContext, service: Service, count: number): Promise<{ pipelines: Pipeline[]; problem: string | undefined }> {
  const gitlab = ctx.integrations.gitlab;
  if (!gitlab || !service.projectSlug) return { pipelines: [], problem: undefined };
  const project = service.projectSlug;
  const ref = defaultBranch(service);
  try {
    const pipelines = await gitlab.cached(`pipelines:${project}:${ref}:${count}`, STATUS_CACHE_MS, () => gitlab.listPipelines(project, { ref, perPage: count }));
    return { pipelines, problem: undefined };
  } catch (error) {
    if (!isGitLabError(error)) throw error;
    ctx.log.warn({ err: error, project }, 'status: GitLab pipelines unavailable');
    return { pipelines: [], problem: error.message };
  }
}

const headNow = (head: DeploymentHead | undefined): EnvironmentState['now'] => ({ version: head?.running?.version, busy: head?.busy !== undefined });

/**
 * Everything status shows for some services, gathered in parallel: the store (deployments,
 * approvals, locks) and GitLab (latest pipelines on the default branch, cached briefly).
 */
export async function gatherStatus(
  ctx: ActionContext,
  services: Service[],
  options: { environment?: string; pipelines: number; history: boolean },
): Promise<ServiceState[]> {
  // one read each for locks and pending approvals; then per service either its history (one
  // query) or, for the overview, every environment's head in a single batch read
  const locks = ctx.store.locks.list();
  const pendingAll = ctx.store.approvals.pendingAll();
  const namesOf = (service: Service): string[] => (options.environment ? [options.environment] : service.environments);
  const heads = options.history
    ? Promise.resolve(new Map<string, DeploymentHead>())
    : ctx.store.deployments.heads(services.flatMap((service) => namesOf(service).map((environment) => ({ service: service.name, environment }))));
  return Promise.all(
    services.map(async (service) => {
      const names = namesOf(service);
      const known = await heads;
      const [recent, allPending, gitlab, allLocks] = await Promise.all([
        options.history ? ctx.store.deployments.recent(service.name, 10 * names.length) : Promise.resolve([]),
        pendingAll,
        pipelinesOf(ctx, service, options.pipelines),
        locks,
      ]);
      const pending = allPending.filter((approval) => approval.service === service.name);
      const environments = names.map((environment) => {
        const history = recent.filter((deployment) => deployment.environment === environment).slice(0, 10);
        // without a head nothing has been deployed there yet
        const running = runningVersion(history);
        const busy = inProgress(history);
        return {
          environment,
          running,
          busy,
          now: options.history ? { version: running?.version, busy: busy !== undefined } : headNow(known.get(deploymentTarget(service.name, environment))),
          lock: allLocks.find((lock) => lock.service === service.name && lock.environment === environment),
          pending: pending.filter((approval) => approval.environment === environment),
          history,
        };
      });
      return { service, environments, branch: defaultBranch(service), pipelines: gitlab.pipelines, gitlabProblem: gitlab.problem };
    }),
  );
}
