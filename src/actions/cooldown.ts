import { UserError } from '../errors.js';
import type { ActionContext, Plan } from './types.js';

/**
 * No recovery loops: the same recovery (restart, scale, rollback, cleanup) of the same service in
 * the same environment runs at most once per AIOPS_COOLDOWN_MINUTES, whether an alert proposed it
 * or someone typed it. The cooldown is a claim in the keys table, so it holds across replicas.
 */

export interface RecoveryTarget {
  service: string;
  environment: string;
  action: string;
  /** a rollback's target version: rolling back again, further, is a new decision, not a loop */
  version?: string;
}

export const cooldownKey = (target: RecoveryTarget): string =>
  `cooldown:${target.service}:${target.environment}:${target.action}${target.version ? `:${target.version}` : ''}`;

const versionOf = (planned: Plan): string | undefined => {
  const version = planned.data.version ?? planned.data.ref;
  return typeof version === 'string' ? version : undefined;
};

/** The recovery a plan would run, if it is one: `recover` (any action) and `rollback`. */
export function recoveryTarget(planned: Plan): RecoveryTarget | undefined {
  if (!planned.service || !planned.environment) return undefined;
  const where = { service: planned.service, environment: planned.environment };
  if (planned.action === 'recover' && typeof planned.data.recovery === 'string') {
    const version = planned.data.recovery === 'rollback' ? versionOf(planned) : undefined;
    return { ...where, action: planned.data.recovery, ...(version ? { version } : {}) };
  }
  if (planned.action === 'rollback') {
    const version = versionOf(planned);
    return { ...where, action: 'rollback', ...(version ? { version } : {}) };
  }
  return undefined;
}

export interface ActiveCooldown {
  by: string;
  startedAt: string;
  /** milliseconds until another may run */
  leftMs: number;
}

export async function activeCooldown(ctx: Pick<ActionContext, 'store'>, target: RecoveryTarget): Promise<ActiveCooldown | undefined> {
  const record = await ctx.store.keys.get(cooldownKey(target));
  if (!record) return undefined;
  const leftMs = record.expiresAt * 1000 - ctx.store.clock.now().getTime();
  if (leftMs <= 0) return undefined;
  return { by: typeof record.by === 'string' ? record.by : 'someone', startedAt: typeof record.startedAt === 'string' ? record.startedAt : '', leftMs };
}

export function timeLeft(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return minutes <= 1 ? 'about a minute' : `${minutes} min`;
}

function refusal(target: RecoveryTarget, cooldown: ActiveCooldown, minutes: number): UserError {
  const when = cooldown.startedAt ? ` at ${cooldown.startedAt.slice(11, 16)} UTC` : '';
  return new UserError(
    `*${target.action}*${target.version ? ` to ${target.version}` : ''} of *${target.service}* in *${target.environment}* already ran${when} (by ${cooldown.by}); the cooldown allows the next one in ${timeLeft(cooldown.leftMs)}.`,
    `AIOPS_COOLDOWN_MINUTES=${minutes} stops recovery loops. If it did not help, look at the alert thread or try a different recovery.`,
  );
}

/** Refuses a plan while its recovery is cooling down, naming the time left. */
export async function assertNoCooldown(ctx: ActionContext, planned: Plan): Promise<void> {
  const minutes = ctx.settings.cooldownMinutes;
  const target = recoveryTarget(planned);
  if (minutes <= 0 || !target) return;
  const cooldown = await activeCooldown(ctx, target);
  if (!cooldown) return;
  const error = refusal(target, cooldown, minutes);
  await ctx.store.audit.append({
    actor: ctx.actor.key,
    actorName: ctx.actor.name,
    event: 'refused',
    correlationId: ctx.correlationId,
    action: planned.action,
    service: target.service,
    environment: target.environment,
    detail: `cooldown: ${target.action} allowed again in ${timeLeft(cooldown.leftMs)}`,
  });
  throw error;
}

/**
 * Claims the cooldown as the recovery starts; exactly one of two concurrent approvals wins.
 * Returns a release for when execution refused before anything ran.
 */
export async function startCooldown(ctx: ActionContext, target: RecoveryTarget, by: string): Promise<() => Promise<void>> {
  const minutes = ctx.settings.cooldownMinutes;
  if (minutes <= 0) return async () => undefined;
  const key = cooldownKey(target);
  const owner = ctx.correlationId;
  const claimed = await ctx.store.keys.claim(key, minutes * 60, owner, { by, startedAt: ctx.store.clock.now().toISOString() });
  if (!claimed) {
    const cooldown = await activeCooldown(ctx, target);
    throw refusal(target, cooldown ?? { by: 'someone', startedAt: '', leftMs: minutes * 60_000 }, minutes);
  }
  return () => ctx.store.keys.release(key, owner);
}
