import { z } from 'zod';
import type { Reply } from '../../bot/reply.js';
import { UserError } from '../../errors.js';
import type { GitLab, PipelineVariable } from '../../integrations/gitlab.js';
import { newDeploymentId, type DeploymentKind } from '../../sessions/deployments.js';
import type { ActionContext, ExecutionContext, Plan, PlannedCall } from '../types.js';
import type { PipelineTracker } from './tracker.js';
import { statusReply } from './progress.js';

/** The reads that follow a trigger until the pipeline ends, listed so dry-run shows every call. */
export function trackingCalls(project: string): PlannedCall[] {
  const base = `/projects/${encodeURIComponent(project)}/pipelines/<new pipeline id>`;
  return [
    { system: 'gitlab', method: 'GET', path: base },
    { system: 'gitlab', method: 'GET', path: `${base}/jobs?per_page=100&page=1` },
  ];
}

/** What a plan asks GitLab to run, read back from the stored plan (it may come from another replica). */
const triggerSchema = z.object({
  ref: z.string().min(1),
  variables: z.array(z.object({ key: z.string().regex(/^[A-Z][A-Z0-9_]*$/), value: z.string() })),
});

export interface Trigger {
  ref: string;
  variables: PipelineVariable[];
}

/** The POST /projects/:id/pipeline call of a plan: execution sends exactly what dry-run shows. */
export function triggerOf(planned: Plan): Trigger {
  const call = planned.calls.find((candidate) => candidate.system === 'gitlab' && candidate.method === 'POST' && candidate.path.endsWith('/pipeline'));
  const parsed = triggerSchema.safeParse(call?.body);
  if (!parsed.success) throw new UserError('This plan has no valid pipeline trigger; ask again.');
  return parsed.data;
}

export interface Live {
  gitlab: GitLab;
  tracker: PipelineTracker;
}

/** GitLab and the tracker when execution may change the world; undefined means dry-run. */
export function live(ctx: ActionContext): Live | undefined {
  const { gitlab, tracker } = ctx.integrations;
  if (ctx.settings.dryRun || !gitlab || !tracker) return undefined;
  return { gitlab, tracker };
}

export interface PipelineRun {
  kind: DeploymentKind;
  action: string;
  service: string;
  environment: string;
  project: string;
  version?: string;
  sha?: string;
  replaces?: string;
  summary: string;
  trigger: Trigger;
}

/**
 * The one path every environment change takes: record it, trigger the pipeline, post the
 * status message in the thread and hand it to the tracker. Recorded before the trigger, so a
 * crash in between leaves a trace the next replica reports instead of a pipeline nobody knows.
 */
export async function runPipeline(ctx: ExecutionContext, { gitlab, tracker }: Live, run: PipelineRun): Promise<Reply> {
  const { store } = ctx;
  // lease first: every replica's sweep takes an unfinished record nobody holds for abandoned
  const id = newDeploymentId();
  await tracker.claim(id);
  const record = await store.deployments.create({
    kind: run.kind,
    action: run.action,
    service: run.service,
    environment: run.environment,
    project: run.project,
    ref: run.trigger.ref,
    ...(run.version ? { version: run.version } : {}),
    ...(run.sha ? { sha: run.sha } : {}),
    ...(run.replaces ? { replaces: run.replaces } : {}),
    summary: run.summary,
    requestedBy: { key: ctx.actor.key, name: ctx.actor.name },
    ...(ctx.approvedBy ? { approvedBy: ctx.approvedBy } : {}),
    correlationId: ctx.correlationId,
    conversation: ctx.conversation,
  }, id);
  let created;
  try {
    created = await gitlab.createPipeline(run.project, run.trigger.ref, run.trigger.variables);
  } catch (error) {
    await store.deployments.finish(record.id, 'failed', { detail: error instanceof Error ? error.message.slice(0, 300) : 'the trigger failed' });
    await tracker.release(record.id);
    throw error;
  }
  ctx.log.info({ deployment: record.id, pipeline: created.id, project: run.project, ref: run.trigger.ref }, 'pipeline triggered');
  let deployment = (await store.deployments.started(record.id, { id: created.id, url: created.web_url, status: created.status, sha: created.sha })) ?? record;
  const outlet = tracker.outlet({ platform: ctx.conversation.platform, channel: ctx.conversation.channel, thread: ctx.conversation.thread }, ctx.responder);
  const message = await outlet.post(statusReply(deployment));
  if (message) deployment = (await store.deployments.attachMessage(record.id, message)) ?? deployment;
  tracker.follow(deployment, outlet);
  const variables = run.trigger.variables.map((variable) => `${variable.key}=${variable.value}`).join(' ');
  return {
    text: `Started pipeline #${created.id} for *${run.summary}*. I'll keep the status message up to date and post the outcome here.`,
    tone: 'success',
    links: [{ label: `Pipeline #${created.id}`, url: created.web_url }],
    context: [`${run.project} ${run.trigger.ref} · ${variables}`],
  };
}
