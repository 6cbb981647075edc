import type { Reply } from '../bot/reply.js';
import { isUserError } from '../errors.js';
import type { Incident, RecoveryRecord } from '../sessions/incidents.js';
import { assertNoCooldown, recoveryTarget, startCooldown, type RecoveryTarget } from './cooldown.js';
import type { ExecutionContext, Plan, RegisteredAction } from './types.js';

/**
 * Wraps a recovery action (recover, rollback) so that, however it was asked for (an alert's
 * Approve button or a chat message), it obeys the cooldown when planned and when run, and an open
 * incident of that service starts being verified once it has run. The action itself is untouched.
 */
export function withRecoveryGuards(action: RegisteredAction): RegisteredAction {
  return {
    ...action,
    async plan(slots, ctx) {
      const planned = await action.plan(slots, ctx);
      await assertNoCooldown(ctx, planned);
      return planned;
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

async function incidentFor(ctx: ExecutionContext, planned: Plan, target: RecoveryTarget): Promise<Incident | undefined> {
  const alarm = typeof planned.data.alarm === 'string' ? planned.data.alarm : undefined;
  if (alarm) return ctx.store.incidents.openForAlarm(alarm);
  const open = await ctx.store.incidents.openForService(target.service);
  return open.find((incident) => !incident.environment || incident.environment === target.environment);
}

/** Marks the open incident's recovery as run, so the alert watcher checks the alarm comes back to OK. */
async function watchIncident(ctx: ExecutionContext, planned: Plan, target: RecoveryTarget, by: string): Promise<{ note: string; undo(): Promise<void> } | undefined> {
  const incident = await incidentFor(ctx, planned, target);
  if (!incident) return undefined;
  const recovery: RecoveryRecord = {
    action: target.action,
    by,
    at: ctx.store.clock.now().toISOString(),
    correlationId: ctx.correlationId,
    dryRun: ctx.settings.dryRun || !ctx.integrations.configured.includes('gitlab'),
    verification: 'watching',
  };
  if (!(await ctx.store.incidents.recordRecovery(incident.id, recovery))) return undefined;
  ctx.log.info({ incident: incident.id, alarm: incident.alarm, recovery: target.action }, 'recovery running; verifying the alarm');
  return {
    note: `Watching alarm ${incident.alarm}: the alert thread will say whether it returns to OK.`,
    undo: async () => {
      await ctx.store.incidents.withdrawRecovery(incident.id, recovery, incident.recovery);
    },
  };
}
