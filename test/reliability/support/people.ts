import type { Fleet } from './fleet.js';
import { ADMIN } from './fleet.js';

/** Asks for changes; devops, so prod deploys are theirs to request but not to approve alone. */
export const REQUESTER = 'UREQ';
/** devops too: any of them may approve someone else's prod change. */
export const APPROVERS = ['UAPP1', 'UAPP2', 'UAPP3', 'UAPP4'] as const;
/** never granted anything. */
export const VIEWER = 'UVIEW';

/** The admin from AIOPS_ADMINS grants roles in Slack, half through each replica. */
export async function grantRoles(fleet: Fleet): Promise<void> {
  const names: Record<string, string> = { [ADMIN]: 'root', [REQUESTER]: 'rita', UAPP1: 'ann', UAPP2: 'ben', UAPP3: 'cai', UAPP4: 'dee', [VIEWER]: 'vic' };
  for (const [id, name] of Object.entries(names)) fleet.slack.api.displayNames.set(id, name);
  await Promise.all(
    [REQUESTER, ...APPROVERS].map(async (user, index) => {
      const asked = await fleet.slack.say(fleet.bot(index % 2), ADMIN, `grant <@${user}> devops`);
      await fleet.slack.waitForPost(asked.event.ts, /is now \*devops\*/, `the grant of devops to ${user}`);
    }),
  );
}
