import { UserError } from '../errors.js';
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
  withApprover,
} from './common.js';
import { defineAction, plan } from './define.js';
import { dryRunReason, dryRunReply } from './render.js';

export const deployAction = defineAction('deploy', {
  title: 'Deploy',
  summary: 'deploy a version of a service to an environment',
  usage: 'deploy <service> [version] to <environment>',
  examples: ['deploy payments v1.2 to prod', 'ship orders to staging'],
  mutates: true,
  perEnvironment: true,
  environment: (slots) => slots.environment,
  async plan(slots, ctx) {
    const service = requireService(ctx, slots.service);
    requireEnvironment(service, slots.environment);
    const lockNote = await assertNotLocked(ctx, service.name, slots.environment);
    const project = projectPath(service);
    const ref = slots.version ?? defaultBranch(service);
    const variables = pipelineVariables({
      action: 'deploy',
      environment: slots.environment,
      version: ref,
      correlationId: ctx.correlationId,
      requestedBy: ctx.actor.name,
    });
    return plan({
      action: 'deploy',
      summary: `Deploy ${service.name} ${ref} to ${slots.environment}`,
      service: service.name,
      environment: slots.environment,
      risk: riskFor(slots.environment, ctx.settings.envOrder),
      approval: 'required',
      fields: [{ label: 'Version', value: slots.version ?? `${ref} (latest; no version given)` }, { label: 'Project', value: project }],
      steps: [
        `Check that ${ref} exists in ${project} and its latest pipeline succeeded`,
        `Trigger a pipeline on ${ref} with AIOPS_ACTION=deploy, AIOPS_ENVIRONMENT=${slots.environment}`,
        'Report progress in this thread until the pipeline finishes',
      ],
      calls: [
        { system: 'gitlab', method: 'GET', path: `/projects/${encodeProject(project)}/repository/commits/${encodeURIComponent(ref)}` },
        { system: 'gitlab', method: 'GET', path: `/projects/${encodeProject(project)}/pipelines?ref=${encodeURIComponent(ref)}&per_page=1` },
        triggerPipelineCall(project, ref, variables),
      ],
      warnings: lockNote ? [lockNote] : [],
      data: { project, ref, version: slots.version ?? null },
    });
  },
  async execute(planned, ctx) {
    if (!planned.service || !planned.environment) throw new UserError('This plan is incomplete; ask again.');
    await assertNotLocked(ctx, planned.service, planned.environment);
    return dryRunReply(withApprover(planned, ctx.approvedBy?.name), ctx.settings, dryRunReason(ctx.integrations));
  },
});
