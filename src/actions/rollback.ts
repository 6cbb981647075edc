import { z } from 'zod';
import { UserError } from '../errors.js';
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
import { describeCommit, looksLikeSha, progressCheck, resolveVersion, settleProblems, type Problem } from './pipelines/checks.js';
import { deployedSuccessfully, rollbackTarget } from './pipelines/history.js';
import { releaseData, releaseGate } from './pipelines/release.js';
import { runPipeline, trackingCalls } from './pipelines/run.js';
import type { PlannedCall } from './types.js';

const rollbackData = releaseData.extend({ replaces: z.string().nullable() });

const when = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export const rollbackAction = defineAction('rollback', {
  title: 'Rollback',
  summary: 'roll a service back to its previous (or a given) version in an environment',
  usage: 'rollback <service> <environment> [to <version>]',
  examples: ['roll back payments in prod', 'revert orders on staging to v1.4.0'],
  mutates: true,
  perEnvironment: true,
  environment: (slots) => slots.environment,
  async plan(slots, ctx) {
    const service = requireService(ctx, slots.service);
    const environment = slots.environment;
    requireEnvironment(service, environment);
    const lockNote = await assertNotLocked(ctx, service.name, environment);
    const project = projectPath(service);
    const history = await ctx.store.deployments.history(service.name, environment, 50);
    const { current, target } = rollbackTarget(history);
    const version = slots.version ?? target?.version;
    if (!version) {
      throw new UserError(
        current
          ? `I have no successful deployment of *${service.name}* to *${environment}* before ${current.version} on record, so I can't tell what to roll back to.`
          : `I have no record of an earlier successful deployment of *${service.name}* to *${environment}*, so I can't tell what to roll back to.`,
        `Say which version: \`rollback ${service.name} ${environment} to v1.2.3\`.`,
      );
    }
    const gitlab = ctx.integrations.gitlab;
    const commit: Commit | undefined = gitlab ? await resolveVersion(gitlab, project, version) : undefined;
    const problems: Problem[] = [];
    const busy = await progressCheck(ctx, service.name, environment);
    if (busy.problem) problems.push(busy.problem);
    const forcedNotes = settleProblems(ctx, problems, slots.force === true, `roll back ${service.name} in ${environment}`, `rollback ${service.name} ${environment} to ${version} --force`);
    const known = deployedSuccessfully(history, version, commit?.id);
    const warnings = [
      ...(lockNote ? [lockNote] : []),
      ...forcedNotes,
      ...(known ? [] : [`${version} has no successful deployment to ${environment} on record: this rolls to a version ${environment} has not run under aiops.`]),
    ];

    const pipelineRef = looksLikeSha(version) ? defaultBranch(service) : version;
    const variables = pipelineVariables({ action: 'rollback', environment, version, correlationId: ctx.correlationId, requestedBy: ctx.actor.name });
    const calls: PlannedCall[] = [
      { system: 'gitlab', method: 'GET', path: `/projects/${encodeProject(project)}/repository/commits/${encodeURIComponent(version)}` },
      triggerPipelineCall(project, pipelineRef, variables),
      ...trackingCalls(project),
    ];
    return plan({
      action: 'rollback',
      summary: `Roll back ${service.name} in ${environment} to ${version}`,
      service: service.name,
      environment,
      risk: riskFor(environment, ctx.settings.envOrder),
      approval: 'required',
      fields: [
        ...(current ? [{ label: 'Now', value: `${current.version} (${current.kind} ${current.outcome} ${when(current.startedAt)})` }] : []),
        { label: 'Target version', value: commit ? `${version} (${describeCommit(commit)})` : version },
        ...(known ? [{ label: 'Last ran there', value: `${when(known.startedAt)}, pipeline #${known.pipelineId ?? '?'} by ${known.requestedBy.name}` }] : []),
        { label: 'Project', value: project },
      ],
      steps: [
        commit ? `Check that ${version} still points at ${commit.short_id}` : `Check that ${version} exists in ${project}`,
        `Trigger a pipeline on ${pipelineRef} with AIOPS_ACTION=rollback, AIOPS_ENVIRONMENT=${environment}, AIOPS_VERSION=${version}`,
        'Report progress in this thread until the pipeline finishes',
      ],
      calls,
      warnings,
      data: {
        project,
        version,
        sha: commit?.id ?? null,
        replaces: current?.version ?? null,
        forced: slots.force === true ? problems.map((problem) => problem.check) : [],
      },
    });
  },
  async execute(planned, ctx) {
    const gate = await releaseGate(planned, ctx, rollbackData);
    if (!gate.go) return gate.reply;
    const { running, service, environment, data } = gate;
    return runPipeline(ctx, running, {
      kind: 'rollback',
      action: 'rollback',
      service,
      environment,
      project: data.project,
      version: data.version,
      sha: data.sha,
      ...(data.replaces ? { replaces: data.replaces } : {}),
      summary: planned.summary,
      trigger: gate.trigger,
    });
  },
});
