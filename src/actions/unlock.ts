import { requireService } from './common.js';
import { defineAction, plan } from './define.js';

export const unlockAction = defineAction('unlock', {
  title: 'Unlock',
  summary: 'lift a lock on a service in an environment',
  usage: 'unlock <service> <environment>',
  examples: ['unlock payments prod'],
  mutates: true,
  perEnvironment: true,
  environment: (slots) => slots.environment,
  async plan(slots, ctx) {
    const service = requireService(ctx, slots.service);
    return plan({ action: 'unlock', summary: `Unlock ${service.name} in ${slots.environment}`, service: service.name, environment: slots.environment });
  },
  async execute(planned, ctx) {
    const removed = await ctx.store.locks.unlock(planned.service!, planned.environment!);
    return removed
      ? { text: `Unlocked *${planned.service}* in *${planned.environment}* (locked by ${removed.lockedByName}${removed.reason ? `: ${removed.reason}` : ''}).`, tone: 'success' }
      : { text: `*${planned.service}* in *${planned.environment}* was not locked.`, tone: 'info' };
  },
});
