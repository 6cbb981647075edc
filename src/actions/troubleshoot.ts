import { z } from 'zod';
import type { Reply } from '../bot/reply.js';
import { UserError } from '../errors.js';
import { encodeProject, projectPath, requireService } from './common.js';
import { defineAction, plan } from './define.js';
import { findPipeline } from './diagnose/find.js';
import { diagnoseJobs, failedJobsOf, MAX_JOBS } from './diagnose/jobs.js';
import { diagnosisFixNotes } from './diagnose/offers.js';
import { failureHeadline, pipelineDiagnosisReply } from './diagnose/reply.js';
import type { PipelineFacts } from './fix/target.js';
import { dryRunReason, dryRunReply } from './render.js';
import type { PlannedCall } from './types.js';

const troubleshootData = z.object({ project: z.string(), pipeline: z.number().int().nullable() });

/** The reads, as sent; `base` is the project's API path (`/projects/acme%2Fpayments`). */
function readCalls(base: string, pipeline: number | undefined): PlannedCall[] {
  return [
    { system: 'gitlab', method: 'GET', path: pipeline ? `${base}/pipelines/${pipeline}` : `${base}/pipelines?status=failed&per_page=1&page=1` },
    { system: 'gitlab', method: 'GET', path: `${base}/pipelines/${pipeline ?? '<id>'}/jobs?per_page=100&page=1` },
    { system: 'gitlab', method: 'GET', path: `${base}/jobs/<each failed job, up to ${MAX_JOBS}>/trace` },
  ];
}

export const troubleshootAction = defineAction('troubleshoot', {
  title: 'Troubleshoot',
  summary: "explain why a service's pipeline failed, and how to fix it",
  usage: 'troubleshoot <service> | troubleshoot pipeline <id>',
  examples: ['why did the payments pipeline fail?', 'troubleshoot payments pipeline 1234', 'troubleshoot pipeline 1234'],
  mutates: false,
  perEnvironment: false,
  environment: () => undefined,
  async plan(slots, ctx) {
    const pipeline = slots.pipeline ? Number(slots.pipeline) : undefined;
    const gitlab = ctx.integrations.gitlab;
    let service;
    if (slots.service) {
      service = requireService(ctx, slots.service);
    } else if (pipeline === undefined) {
      throw new UserError('Which service is the pipeline for?', 'Say `troubleshoot <service>`, or `troubleshoot pipeline <id>`.');
    } else if (gitlab) {
      const found = await findPipeline(gitlab, ctx.catalog, pipeline);
      if (!found) throw new UserError(`No project in the catalog has pipeline #${pipeline}.`, 'Check the id, or name the service: `troubleshoot <service> pipeline <id>`.');
      service = found.service;
    } else {
      // without GitLab there is no asking which project has it: dry-run shows the search
      const projects = ctx.catalog.services.flatMap((candidate) => (candidate.projectSlug ? [candidate.projectSlug] : []));
      return plan({
        action: 'troubleshoot',
        summary: `Diagnose pipeline ${pipeline}`,
        calls: [
          ...projects.map((project): PlannedCall => ({ system: 'gitlab', method: 'GET', path: `/projects/${encodeProject(project)}/pipelines/${pipeline}` })),
          ...readCalls('/projects/<the project that has it>', pipeline).slice(1),
        ],
        data: { project: '', pipeline },
      });
    }
    const project = projectPath(service);
    return plan({
      action: 'troubleshoot',
      summary: pipeline ? `Diagnose pipeline ${pipeline} of ${service.name}` : `Diagnose the latest failed pipeline of ${service.name}`,
      service: service.name,
      calls: readCalls(`/projects/${encodeProject(project)}`, pipeline),
      data: { project, pipeline: pipeline ?? null },
    });
  },
  async execute(planned, ctx) {
    const gitlab = ctx.integrations.gitlab;
    // reading changes nothing, so AIOPS_DRY_RUN still reads and diagnoses; only a missing GitLab stops here
    if (!gitlab || !planned.service) return dryRunReply(planned, ctx.settings, dryRunReason(ctx.integrations));
    const { project, pipeline: id } = troubleshootData.parse(planned.data);
    const service = planned.service;
    const pipeline = id !== null ? await gitlab.pipeline(project, id) : (await gitlab.listPipelines(project, { status: 'failed', perPage: 1 }))[0];
    if (!pipeline) return { text: `GitLab has no failed pipeline of *${service}* (${project}) in its history.`, tone: 'info' } satisfies Reply;
    if (pipeline.status !== 'failed') {
      const state = pipeline.status === 'success' ? 'passed' : `is ${pipeline.status}`;
      return { text: `Pipeline #${pipeline.id} of *${service}* ${state}: there is no failure to diagnose.`, tone: 'info', links: [{ label: `Pipeline #${pipeline.id}`, url: pipeline.web_url }] };
    }
    const failed = failedJobsOf(await gitlab.pipelineJobs(project, pipeline.id));
    if (failed.length === 0) {
      return { text: `Pipeline #${pipeline.id} of *${service}* failed, but no job failed (it may have been canceled or blocked).`, tone: 'info', links: [{ label: `Pipeline #${pipeline.id}`, url: pipeline.web_url }] };
    }
    const items = await diagnoseJobs({ gitlab, advisor: ctx.integrations.advisor, log: ctx.log }, project, failed);
    const facts: PipelineFacts = { service, project, id: pipeline.id, url: pipeline.web_url, ref: pipeline.ref ?? '', sha: pipeline.sha, tag: pipeline.tag === true };
    const diagnosis = { facts, items, omitted: failed.length - items.length };
    const { notes, suggestion } = await diagnosisFixNotes(ctx, diagnosis);
    const reply = pipelineDiagnosisReply(diagnosis, {
      heading: `*Pipeline #${pipeline.id} of ${service} ${failureHeadline(items)}*`,
      tone: 'warning',
      fixNotes: notes,
      context: [`Diagnosed by aiops's playbooks${ctx.integrations.advisor ? ', with Claude for the root cause' : ''} · ref ${ctx.correlationId}`],
    });
    if (!suggestion) return reply;
    const withButtons = { ...reply, buttons: suggestion.buttons };
    await suggestion.save(withButtons);
    return withButtons;
  },
});
