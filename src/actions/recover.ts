import { UserError } from '../errors.js';
import { pipelineVariables, projectPath, requireEnvironment, requireService, riskFor, triggerPipelineCall, withApprover } from './common.js';
import { defineAction, plan } from './define.js';
import { live, runPipeline, trackingCalls, triggerOf } from './pipelines/run.js';
import { dryRunReason, dryRunReply } from './render.js';

const WHAT = {
  restart: 'Restart',
  scale: 'Scale out',
  rollback: 'Roll back',
  cleanup: 'Clean up disk on',
} as const;

export const recoverAction = defineAction('recover', {
  title: 'Recover',
  summary: 'recover a service from an incident: restart, scale, rollback or cleanup',
  usage: 'recover <service> <restart|scale|rollback|cleanup> [in <environment>]',
  examples: ['restart payments in prod', 'scale up orders', 'clean up disk on search'],
  mutates: true,
  perEnvironment: true,
  // recovery acts on the service's last (production) environment unless told otherwise
  environment: (slots) => slots.environment,
  async plan(slots, ctx) {
    const service = requireService(ctx, slots.service);
    const environment = slots.environment ?? service.environments[service.environments.length - 1];
    if (!environment) throw new UserError(`*${service.name}* has no environments in the catalog.`);
    requireEnvironment(service, environment);
    const project = projectPath(service);
    const variables = pipelineVariables({
      action: slots.action,
      environment,
      correlationId: ctx.correlationId,
      requestedBy: ctx.actor.name,
      ...(slots.alarm ? { extra: { AIOPS_ALARM: slots.alarm } } : {}),
    });
    return plan({
      action: 'recover',
      summary: `${WHAT[slots.action]} ${service.name} in ${environment}`,
      service: service.name,
      environment,
      risk: riskFor(environment, ctx.settings.envOrder),
      approval: 'required',
      fields: [
        { label: 'Recovery', value: slots.action },
        ...(slots.alarm ? [{ label: 'Alarm', value: slots.alarm }] : []),
      ],
      steps: [
        `Trigger ${project}'s pipeline on its default branch with AIOPS_ACTION=${slots.action}, AIOPS_ENVIRONMENT=${environment}`,
        'Report progress in this thread until the pipeline finishes',
      ],
      calls: [triggerPipelineCall(project, service.annotations['aiops/default-branch'] ?? 'main', variables), ...trackingCalls(project)],
      warnings: slots.environment ? [] : [`No environment given: acting on ${environment}, the last in ${service.name}'s promotion order.`],
      data: { project, recovery: slots.action, alarm: slots.alarm ?? null },
    });
  },
  async execute(planned, ctx) {
    const approved = withApprover(planned, ctx.approvedBy?.name);
    const running = live(ctx);
    if (!running) return dryRunReply(approved, ctx.settings, dryRunReason(ctx.integrations));
    if (!planned.service || !planned.environment || typeof planned.data.project !== 'string' || typeof planned.data.recovery !== 'string') {
      throw new UserError('This plan is incomplete; ask again.');
    }
    // the same trigger, record and tracking path as deploy and rollback, so alerts get progress too
    return runPipeline(ctx, running, {
      kind: 'recover',
      action: planned.data.recovery,
      service: planned.service,
      environment: planned.environment,
      project: planned.data.project,
      summary: planned.summary,
      trigger: triggerOf(approved),
    });
  },
});

