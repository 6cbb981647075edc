import { UserError } from '../errors.js';
import { requireEnvironment, requireService } from './common.js';
import { defineAction, plan } from './define.js';

export const lockAction = defineAction('lock', {
  title: 'Lock',
  summary: 'freeze deploys and rollbacks of a service in an environment',
  usage: 'lock <service> <environment> [reason]',
  examples: ['lock payments prod: quarter-end close'],
  mutates: true,
  perEnvironment: true,
  environment: (slots) => slots.environment,
  async plan(slots, ctx) {
    const service = requireService(ctx, slots.service);
    requireEnvironment(service, slots.environment);
    return plan({
      action: 'lock',
      summary: `Lock ${service.name} in ${slots.environment}`,
      service: service.name,
      environment: slots.environment,
      data: { reason: slots.reason ?? null },
    });
  },
  async execute(planned, ctx) {
    const service = planned.service!;
    const environment = planned.environment!;
    const reason = typeof planned.data.reason === 'string' ? planned.data.reason : undefined;
    const result = await ctx.store.locks.lock({
      service,
      environment,
      lockedBy: ctx.actor.key,
      lockedByName: ctx.actor.name,
      ...(reason ? { reason } : {}),
    });
    if (!result.created) {
      throw new UserError(`*${service}* in *${environment}* is already locked by ${result.lock.lockedByName}${result.lock.reason ? `: ${result.lock.reason}` : ''}.`);
    }
    return {
      text: `Locked *${service}* in *${environment}*${reason ? `: ${reason}` : ''}. Only you can deploy there until someone unlocks it.`,
      tone: 'success',
    };
  },
});
