import type { Reply } from '../bot/reply.js';
import { isUserError } from '../errors.js';
import type { Incident, RecoveryRecord } from '../sessions/incidents.js';
import { assertNoCooldown, recoveryTarget, startCooldown, type RecoveryTarget } from './cooldown.js';
import type { ActionContext, ExecutionContext, Plan, RegisteredAction } from './types.js';

/**
 * Wraps a recovery action (recover, rollback) so that, however it was asked for (an alert's
 * Approve button or a chat message), it obeys the cooldown when planned and when run, and the
 * open incident it answers starts being verified once it has run. The action itself is untouched.
 */
export function withRecoveryGuards(action: RegisteredAction): RegisteredAction {
  return {
    ...action,
    async plan(slots, ctx) {
      const planned = await action.plan(slots, ctx);
      await assertNoCooldown(ctx, planned);
      const target = recoveryTarget(planned);
      // the incident is picked when the plan is made, so approving and running add no lookups
      const incident = target && planned.data.incident === undefined ? await incidentFor(ctx, planned, target) : undefined;
      return incident ? { ...planned, data: { ...planned.data, incident: incident.id } } : planned;
    },
    async execute(planned, ctx) {
      const target = recoveryTarget(planned);
      if (!target) return action.execute(planned, ctx);
      const by = ctx.approvedBy?.name ?? ctx.actor.name;
      const release = await startCooldown(ctx, target, by);
      // recorded before the run, so nothing waits between the action's reply and its progress messages
      const watched = await watchIncident(ctx, planned, target, by);
      let result: Reply;
      try {
        result = await action.execute(planned, ctx);
      } catch (error) {
        await watched?.undo();
        // a refusal means nothing ran; anything else may have triggered a pipeline, so the cooldown stays
        if (isUserError(error)) await release();
        throw error;
      }
      return watched ? { ...result, context: [...(result.context ?? []), watched.note] } : result;
    },
  };
}

/** The open incident a recovery answers: its alarm's, else the newest of the service in that environment. */
async function incidentFor(ctx: ActionContext, planned: Plan, target: RecoveryTarget): Promise<Incident | undefined> {
  const alarm = typeof planned.data.alarm === 'string' ? planned.data.alarm : undefined;
  if (alarm) return ctx.store.incidents.openForAlarm(alarm);
  const open = await ctx.store.incidents.openForService(target.service);
  return open.find((incident) => !incident.environment || incident.environment === target.environment);
}

/** Marks the incident's recovery as running, so the alert watcher checks the alarm comes back to OK. */
async function watchIncident(ctx: ExecutionContext, planned: Plan, target: RecoveryTarget, by: string): Promise<{ note: string; undo(): Promise<void> } | undefined> {
  if (typeof planned.data.incident !== 'string') return undefined;
  const recovery: RecoveryRecord = {
    action: target.action,
    by,
    at: ctx.store.clock.now().toISOString(),
    correlationId: ctx.correlationId,
    dryRun: ctx.settings.dryRun || !ctx.integrations.configured.includes('gitlab'),
    verification: 'watching',
  };
  // only while the incident is still open; what it had before comes back if the run is refused
  const before = await ctx.store.incidents.recordRecovery(planned.data.incident, recovery);
  if (!before) return undefined;
  ctx.log.info({ incident: before.id, alarm: before.alarm, recovery: target.action }, 'recovery running; verifying the alarm');
  return {
    note: `Watching alarm ${before.alarm}: the alert thread will say whether it returns to OK.`,
    undo: () => ctx.store.incidents.withdrawRecovery(before.id, recovery, before.previous),
  };
}
