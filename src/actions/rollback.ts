import { UserError } from '../errors.js';
import {
  assertNotLocked,
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
    requireEnvironment(service, slots.environment);
    const lockNote = await assertNotLocked(ctx, service.name, slots.environment);
    const project = projectPath(service);
    if (!slots.version) {
      throw new UserError(
        `I have no record of an earlier successful deployment of *${service.name}* to *${slots.environment}*, so I can't tell what to roll back to.`,
        `Say which version: \`rollback ${service.name} ${slots.environment} to v1.2.3\`.`,
      );
    }
    const variables = pipelineVariables({
      action: 'rollback',
      environment: slots.environment,
      version: slots.version,
      correlationId: ctx.correlationId,
      requestedBy: ctx.actor.name,
    });
    return plan({
      action: 'rollback',
      summary: `Roll back ${service.name} in ${slots.environment} to ${slots.version}`,
      service: service.name,
      environment: slots.environment,
      risk: riskFor(slots.environment, ctx.settings.envOrder),
      approval: 'required',
      fields: [{ label: 'Target version', value: slots.version }, { label: 'Project', value: project }],
      steps: [
        `Check that ${slots.version} exists in ${project}`,
        `Trigger a pipeline on ${slots.version} with AIOPS_ACTION=rollback, AIOPS_ENVIRONMENT=${slots.environment}`,
        'Report progress in this thread until the pipeline finishes',
      ],
      calls: [
        { system: 'gitlab', method: 'GET', path: `/projects/${encodeProject(project)}/repository/commits/${encodeURIComponent(slots.version)}` },
        triggerPipelineCall(project, slots.version, variables),
      ],
      warnings: lockNote ? [lockNote] : [],
      data: { project, ref: slots.version },
    });
  },
  async execute(planned, ctx) {
    if (!planned.service || !planned.environment) throw new UserError('This plan is incomplete; ask again.');
    await assertNotLocked(ctx, planned.service, planned.environment);
    return dryRunReply(withApprover(planned, ctx.approvedBy?.name), ctx.settings, dryRunReason(ctx.integrations));
  },
});
