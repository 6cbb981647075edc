import { UserError } from '../errors.js';
import { encodeProject, projectPath, requireService } from './common.js';
import { defineAction, plan } from './define.js';
import { dryRunReason, dryRunReply } from './render.js';

export const troubleshootAction = defineAction('troubleshoot', {
  title: 'Troubleshoot',
  summary: "explain why a service's pipeline failed, and how to fix it",
  usage: 'troubleshoot <service> | troubleshoot pipeline <id>',
  examples: ['why did the payments pipeline fail?', 'troubleshoot payments pipeline 1234'],
  mutates: false,
  perEnvironment: false,
  environment: () => undefined,
  async plan(slots, ctx) {
    if (!slots.service) {
      throw new UserError('Which service is the pipeline for?', slots.pipeline ? `Say \`troubleshoot <service> pipeline ${slots.pipeline}\`.` : 'Say `troubleshoot <service>`.');
    }
    const service = requireService(ctx, slots.service);
    const project = encodeProject(projectPath(service));
    const pipelinePath = slots.pipeline ? `/projects/${project}/pipelines/${slots.pipeline}` : `/projects/${project}/pipelines?status=failed&per_page=1`;
    return plan({
      action: 'troubleshoot',
      summary: slots.pipeline ? `Diagnose pipeline ${slots.pipeline} of ${service.name}` : `Diagnose the latest failed pipeline of ${service.name}`,
      service: service.name,
      calls: [
        { system: 'gitlab', method: 'GET', path: pipelinePath },
        { system: 'gitlab', method: 'GET', path: `/projects/${project}/pipelines/<id>/jobs?scope[]=failed` },
        { system: 'gitlab', method: 'GET', path: `/projects/${project}/jobs/<job id>/trace` },
      ],
      data: { pipeline: slots.pipeline ?? null },
    });
  },
  async execute(planned, ctx) {
    return dryRunReply(planned, ctx.settings, dryRunReason(ctx.integrations));
  },
});
