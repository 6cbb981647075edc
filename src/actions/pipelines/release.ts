import { z } from 'zod';
import type { Reply } from '../../bot/reply.js';
import { UserError } from '../../errors.js';
import { assertNotLocked, withApprover } from '../common.js';
import { dryRunReason, dryRunReply } from '../render.js';
import type { ExecutionContext, Plan } from '../types.js';
import { progressCheck, stillSameCommit } from './checks.js';
import { live, triggerOf, type Live, type Trigger } from './run.js';

/** What deploy and rollback store in their plans for execute(). */
export const releaseData = z.object({
  project: z.string(),
  version: z.string(),
  sha: z.string().nullable(),
  forced: z.array(z.enum(['ci', 'order', 'in-progress'])),
});

type ReleaseData = z.infer<typeof releaseData>;

export type ReleaseGate<T extends ReleaseData> =
  | { go: false; reply: Reply }
  | { go: true; running: Live; service: string; environment: string; data: T & { sha: string }; trigger: Trigger };

/**
 * What deploy and rollback check again when they execute, since approval may come half an hour
 * after the plan: the lock, that the version still points at the planned commit, and that no
 * other pipeline is deploying there (unless the plan was forced past it). Dry-run stops here.
 */
export async function releaseGate<T extends ReleaseData>(planned: Plan, ctx: ExecutionContext, schema: z.ZodType<T>): Promise<ReleaseGate<T>> {
  const { service, environment } = planned;
  if (!service || !environment) throw new UserError('This plan is incomplete; ask again.');
  await assertNotLocked(ctx, service, environment);
  const approved = withApprover(planned, ctx.approvedBy?.name);
  const running = live(ctx);
  if (!running) return { go: false, reply: dryRunReply(approved, ctx.settings, dryRunReason(ctx.integrations)) };
  const data = schema.parse(planned.data);
  const sha = data.sha;
  if (!sha) throw new UserError('This plan was made while GitLab was not configured, so nothing was checked; ask again.');
  await stillSameCommit(running.gitlab, data.project, data.version, sha);
  if (!data.forced.includes('in-progress')) {
    const busy = await progressCheck(ctx, service, environment);
    if (busy.problem) throw new UserError(`Not now: ${busy.problem.text}. Nothing was triggered.`, 'Wait for it to finish, then ask again.');
  }
  return { go: true, running, service, environment, data: { ...data, sha }, trigger: triggerOf(approved) };
}
