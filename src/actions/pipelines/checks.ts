import type { Service } from '../../catalog/catalog.js';
import { UserError } from '../../errors.js';
import type { Commit, GitLab, Pipeline } from '../../integrations/gitlab.js';
import type { ActionContext } from '../types.js';
import { deployedSuccessfully, inProgress } from './history.js';

/** A check that did not pass: what is wrong, and whether an admin may force past it. */
export interface Problem {
  check: 'ci' | 'order' | 'in-progress';
  text: string;
}

export interface CheckResult {
  problem?: Problem;
  note?: string;
}

export const looksLikeSha = (ref: string): boolean => /^[0-9a-f]{7,40}$/.test(ref);
export const shortSha = (sha: string): string => sha.slice(0, 8);
export const describeCommit = (commit: Commit): string => `${shortSha(commit.id)} "${commit.title.slice(0, 60)}"`;

/** The commit a version names; a version that does not exist is not forceable. */
export async function resolveVersion(gitlab: GitLab, project: string, version: string): Promise<Commit> {
  const commit = await gitlab.commit(project, version);
  if (!commit) {
    throw new UserError(
      `*${version}* does not exist in ${project}: no tag, branch or commit by that name.`,
      `Check the version; tags are at ${gitlab.projectUrl(project)}/-/tags.`,
    );
  }
  return commit;
}

/** Approval can come half an hour later: the ref must still point where the plan said. */
export async function stillSameCommit(gitlab: GitLab, project: string, version: string, sha: string): Promise<void> {
  const commit = await gitlab.commit(project, version);
  if (!commit) throw new UserError(`*${version}* no longer exists in ${project}; nothing was triggered.`, 'Ask again with an existing version.');
  if (commit.id !== sha) {
    throw new UserError(
      `*${version}* moved from ${shortSha(sha)} to ${shortSha(commit.id)} since the plan was made; nothing was triggered.`,
      'Ask again, so the checks run on what would really be deployed.',
    );
  }
}

/** Pipeline ids aiops itself triggered for the service: its own deploy runs are not CI. */
async function ownPipelines(ctx: ActionContext, service: Service): Promise<Set<number>> {
  const histories = await Promise.all(service.environments.map((environment) => ctx.store.deployments.history(service.name, environment, 50)));
  return new Set(histories.flat().flatMap((item) => (item.pipelineId === undefined ? [] : [item.pipelineId])));
}

/** The latest CI pipeline for exactly this commit on this ref must have passed. */
export async function ciCheck(ctx: ActionContext, gitlab: GitLab, service: Service, project: string, ref: string | undefined, sha: string): Promise<CheckResult> {
  const [pipelines, ours] = await Promise.all([gitlab.listPipelines(project, { ...(ref ? { ref } : {}), sha, perPage: 20 }), ownPipelines(ctx, service)]);
  const ci: Pipeline | undefined = pipelines.find((item) => !ours.has(item.id));
  const at = ref ? `${ref} (${shortSha(sha)})` : shortSha(sha);
  if (!ci) return { problem: { check: 'ci', text: `no CI pipeline has run for ${at}` } };
  if (ci.status === 'success') return { note: `CI pipeline #${ci.id} on ${at} passed` };
  const state = ['failed', 'canceled', 'skipped'].includes(ci.status)
    ? ci.status
    : ci.status === 'manual'
      ? 'waiting for a manual job'
      : `still ${ci.status}`;
  return { problem: { check: 'ci', text: `the latest CI pipeline on ${at}, #${ci.id}, is ${state === 'failed' ? 'red (failed)' : state}` } };
}

/** AIOPS_ENV_ORDER (or the service's own order): the version passed the previous environment first. */
export async function orderCheck(ctx: ActionContext, service: Service, environment: string, version: string, sha: string | undefined): Promise<CheckResult> {
  const index = service.environments.indexOf(environment);
  const previous = index > 0 ? service.environments[index - 1] : undefined;
  if (!previous) return {};
  const there = deployedSuccessfully(await ctx.store.deployments.history(service.name, previous, 50), version, sha);
  if (there) return { note: `${version} deployed to ${previous} on ${there.startedAt.slice(0, 16).replace('T', ' ')} UTC` };
  return {
    problem: {
      check: 'order',
      text: `${version} has not deployed successfully to ${previous} yet (order ${service.environments.join(' → ')})`,
    },
  };
}

export async function progressCheck(ctx: ActionContext, service: string, environment: string): Promise<CheckResult> {
  const running = inProgress(await ctx.store.deployments.history(service, environment, 10));
  if (!running) return {};
  return {
    problem: {
      check: 'in-progress',
      text: `${service} ${environment} is busy: ${running.summary} (${running.pipelineId === undefined ? 'starting' : `pipeline #${running.pipelineId}`}, by ${running.requestedBy.name})`,
    },
  };
}

/**
 * Failed checks stop the plan unless an admin explicitly forces it; forcing is written into
 * the plan's warnings, so approvers see exactly what was overridden.
 */
export function settleProblems(ctx: ActionContext, problems: Problem[], force: boolean, what: string, forceCommand: string): string[] {
  if (problems.length === 0) return force ? ['Nothing to force: every check passed.'] : [];
  const list = problems.map((problem) => problem.text).join('; ');
  if (!force) {
    throw new UserError(
      `I won't ${what}: ${list}.`,
      ctx.actor.role === 'admin' ? `Fix that first, or force it as an admin: \`${forceCommand}\`.` : 'Fix that first; only an admin can force past it.',
    );
  }
  if (ctx.actor.role !== 'admin') {
    throw new UserError(`Only an admin can force past failed checks, and you are *${ctx.actor.role}*. What failed: ${list}.`);
  }
  return problems.map((problem) => `Forced by ${ctx.actor.name} (admin): ${problem.text}.`);
}
