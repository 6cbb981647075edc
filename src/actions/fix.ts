import type { Reply } from '../bot/reply.js';
import { UserError } from '../errors.js';
import { defineAction } from './define.js';
import { applyFix } from './fix/apply.js';
import { fixReport } from './fix/report.js';
import { fixTargetSchema } from './fix/target.js';
import { dryRunReason, dryRunReply } from './render.js';

/**
 * "Apply suggested fix": the button under a diagnosis whose fix the policy would not apply alone.
 * The plan was made when the diagnosis was posted and stored with the approval; whoever may
 * `fix` (the policy) approves it, and it runs through the same once-only path as an auto-fix.
 */
export const fixAction = defineAction('fix', {
  title: 'Apply a suggested fix',
  summary: 'apply the fix a failure diagnosis suggests: retry the job, or a merge request adding a missing dependency',
  usage: 'troubleshoot <service>, then click Apply suggested fix',
  examples: ['why did the payments pipeline fail?', 'troubleshoot pipeline 1234'],
  mutates: true,
  perEnvironment: false,
  environment: () => undefined,
  async plan(slots) {
    throw new UserError(
      'A fix is applied from its diagnosis, not typed.',
      `Say \`troubleshoot ${slots.service} pipeline ${slots.pipeline}\` and use the *Apply suggested fix* button under it.`,
    );
  },
  async execute(planned, ctx) {
    const parsed = fixTargetSchema.safeParse(planned.data.target);
    if (!parsed.success) throw new UserError('This fix request is incomplete; troubleshoot the pipeline again.');
    const target = parsed.data;
    const gitlab = ctx.integrations.gitlab;
    if (ctx.settings.dryRun || !gitlab) return dryRunReply(planned, ctx.settings, dryRunReason(ctx.integrations));
    const by = ctx.approvedBy ?? { key: ctx.actor.key, name: ctx.actor.name };
    const result = await applyFix({ gitlab, store: ctx.store, log: ctx.log }, { target, origin: 'approved', by, correlationId: ctx.correlationId });
    switch (result.status) {
      case 'applied': {
        const report = fixReport({ target, record: result.record, rootCause: target.rootCause ?? target.summary, confidence: target.confidence, correlationId: ctx.correlationId });
        const posted = await ctx.responder?.post(report);
        if (posted) await ctx.store.autofixes.attachMessage(result.record.id, posted, report);
        return {
          text: `Fix applied: ${planned.summary}. I'll edit the outcome into the report when the pipeline finishes.`,
          tone: 'success',
        } satisfies Reply;
      }
      case 'proposed-before':
        return { text: `A merge request for this fix is already open: !${result.mergeRequest.iid}. Nothing new was opened.`, tone: 'info', links: [{ label: `Merge request !${result.mergeRequest.iid}`, url: result.mergeRequest.url }] };
      case 'already': {
        const record = result.record;
        const link = record?.mergeRequest ? [{ label: `Merge request !${record.mergeRequest.iid}`, url: record.mergeRequest.url }] : record?.newJob ? [{ label: `Job #${record.newJob.id}`, url: record.newJob.url }] : [];
        const how = record?.status === 'failed' ? `it was tried and failed (${record.detail ?? 'see the audit trail'})` : `it was applied${record ? ` by ${record.origin === 'auto' ? 'aiops' : record.by.name}` : ''}`;
        return { text: `This fix was already claimed for pipeline #${target.pipelineId}: ${how}. aiops applies each fix once.`, tone: 'info', links: link };
      }
      case 'not-applicable':
        throw new UserError(`Not applied: ${result.reason}.`, 'Follow the suggested steps by hand.');
      case 'failed':
        throw new UserError(`The fix failed: ${result.reason}`, 'It will not be tried again automatically; follow the suggested steps by hand.');
    }
  },
});
