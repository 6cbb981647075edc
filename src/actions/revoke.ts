import { UserError } from '../errors.js';
import { defineAction, plan } from './define.js';
import { resolveUserKey } from './people.js';

export const revokeAction = defineAction('revoke', {
  title: 'Revoke',
  summary: "remove a user's role (they become a viewer)",
  usage: 'revoke <user>',
  examples: ['revoke @carol', 'revoke slack:U0123ABC'],
  mutates: true,
  perEnvironment: false,
  environment: () => undefined,
  async plan(slots, ctx) {
    const user = resolveUserKey(slots.user, ctx.conversation.platform);
    if (user === ctx.actor.key) throw new UserError('You cannot revoke your own role.', 'Ask another admin, so aiops is never left without one.');
    return plan({ action: 'revoke', summary: `Revoke the role of ${user}`, data: { user } });
  },
  async execute(planned, ctx) {
    const user = String(planned.data.user);
    const removed = await ctx.store.roles.remove(user);
    ctx.authorizer.forget(user);
    const bootstrap = ctx.authorizer.isBootstrapAdmin(user);
    return {
      text: removed ? `*${user}* is no longer *${removed.role}*; they are a viewer now.` : `*${user}* had no granted role; nothing to revoke.`,
      tone: removed ? 'success' : 'info',
      context: bootstrap ? ['They stay admin while they are listed in AIOPS_ADMINS.'] : [],
    };
  },
});
