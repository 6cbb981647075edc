import type { Commit } from '../integrations/gitlab.js';
import {
  assertNotLocked,
  defaultBranch,
  encodeProject,
  pipelineVariables,
  projectPath,
  requireEnvironment,
  requireService,
  riskFor,
  triggerPipelineCall,
} from './common.js';
import { defineAction, plan } from './define.js';
import {
  ciCheck,
  describeCommit,
  looksLikeSha,
  orderCheck,
  progressCheck,
  resolveVersion,
  settleProblems,
  shortSha,
  type Problem,
} from './pipelines/checks.js';
import { runningVersion } from './pipelines/history.js';
import { releaseData, releaseGate } from './pipelines/release.js';
import { runPipeline, trackingCalls } from './pipelines/run.js';
import type { PlannedCall } from './types.js';


export const deployAction = defineAction('deploy', {
  title: 'Deploy',
  summary: 'deploy a version of a service to an environment',
  usage: 'deploy <service> [version] to <environment> [--force]',
  examples: ['deploy payments v1.2 to prod', 'ship orders to staging'],
  mutates: true,
  perEnvironment: true,
  environment: (slots) => slots.environment,
  async plan(slots, ctx) {
    const service = requireService(ctx, slots.service);
    const environment = slots.environment;
    requireEnvironment(service, environment);
    const lockNote = await assertNotLocked(ctx, service.name, environment);
    const project = projectPath(service);
    const version = slots.version ?? defaultBranch(service);
    const gitlab = ctx.integrations.gitlab;
    const problems: Problem[] = [];
    const checks: string[] = [];
    let commit: Commit | undefined;
    if (gitlab) {
      commit = await resolveVersion(gitlab, project, version);
      const ci = await ciCheck(ctx, gitlab, service, project, looksLikeSha(version) ? undefined : version, commit.id);
      const order = await orderCheck(ctx, service, environment, version, commit.id);
      for (const result of [ci, order]) {
        if (result.problem) problems.push(result.problem);
        if (result.note) checks.push(result.note);
      }
    } else {
      checks.push('not checked without GitLab: that the version exists, its CI pipeline, the environment order');
    }
    const busy = await progressCheck(ctx, service.name, environment);
    if (busy.problem) problems.push(busy.problem);
    const forcedNotes = settleProblems(ctx, problems, slots.force === true, `deploy ${service.name} ${version} to ${environment}`, `deploy ${service.name} ${version} to ${environment} --force`);

    // GitLab runs pipelines on branches and tags only; a commit is deployed from the default branch
    const pipelineRef = looksLikeSha(version) ? defaultBranch(service) : version;
    const variables = pipelineVariables({ action: 'deploy', environment, version, correlationId: ctx.correlationId, requestedBy: ctx.actor.name });
    const encoded = encodeProject(project);
    const commitCall: PlannedCall = { system: 'gitlab', method: 'GET', path: `/projects/${encoded}/repository/commits/${encodeURIComponent(version)}` };
    const calls: PlannedCall[] = gitlab
      ? [commitCall, triggerPipelineCall(project, pipelineRef, variables), ...trackingCalls(project)]
      : [
          commitCall,
          { system: 'gitlab', method: 'GET', path: `/projects/${encoded}/pipelines?${looksLikeSha(version) ? '' : `ref=${encodeURIComponent(version)}&`}sha=<sha of ${version}>&per_page=20&page=1` },
          triggerPipelineCall(project, pipelineRef, variables),
          ...trackingCalls(project),
        ];
    return plan({
      action: 'deploy',
      summary: `Deploy ${service.name} ${version} to ${environment}`,
      service: service.name,
      environment,
      risk: riskFor(environment, ctx.settings.envOrder),
      approval: 'required',
      fields: [
        { label: 'Version', value: commit ? `${version} (${describeCommit(commit)})` : slots.version ? version : `${version} (latest; no version given)` },
        { label: 'Project', value: project },
        ...(checks.length > 0 ? [{ label: 'Checks', value: checks.join(' · ') }] : []),
      ],
      steps: [
        ...(commit ? [`Check that ${version} still points at ${shortSha(commit.id)}`] : [`Check that ${version} exists in ${project} and its latest pipeline succeeded`]),
        `Trigger a pipeline on ${pipelineRef} with AIOPS_ACTION=deploy, AIOPS_ENVIRONMENT=${environment}, AIOPS_VERSION=${version}`,
        'Report progress in this thread until the pipeline finishes',
      ],
      calls,
      warnings: [...(lockNote ? [lockNote] : []), ...forcedNotes],
      data: { project, version, sha: commit?.id ?? null, forced: slots.force === true ? problems.map((problem) => problem.check) : [] },
    });
  },
  async execute(planned, ctx) {
    const gate = await releaseGate(planned, ctx, releaseData);
    if (!gate.go) return gate.reply;
    const { running, service, environment, data } = gate;
    const before = runningVersion(await ctx.store.deployments.history(service, environment, 25));
    return runPipeline(ctx, running, {
      kind: 'deploy',
      action: 'deploy',
      service,
      environment,
      project: data.project,
      version: data.version,
      sha: data.sha,
      ...(before?.version ? { replaces: before.version } : {}),
      summary: planned.summary,
      trigger: gate.trigger,
    });
  },
});
