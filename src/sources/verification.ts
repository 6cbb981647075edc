import type { Alerts } from './alerts.js';
import { threadOf } from './alerts.js';
import { escalationReply } from './alert-render.js';

/**
 * After a recovery runs, the alarm has AIOPS_VERIFY_MINUTES to return to OK (the OK itself, by
 * SNS or the poller, marks it verified). Past that, the recovery is marked failed, once, and the
 * service's owners are called on in the alert thread.
 */
export async function sweepVerifications(alerts: Alerts): Promise<number> {
  const { store, catalog, log, verifyMinutes } = alerts.deps;
  const now = store.clock.now().getTime();
  let escalated = 0;
  for (const incident of await store.incidents.allOpen()) {
    const recovery = incident.recovery;
    if (!recovery || recovery.verification !== 'watching') continue;
    if (now < Date.parse(recovery.at) + verifyMinutes * 60_000) continue;
    const failed = await store.incidents.settleRecovery(incident.id, recovery, 'failed');
    if (!failed) continue;
    escalated += 1;
    const service = failed.service ? catalog.get(failed.service) : undefined;
    const reply = escalationReply(failed, service, verifyMinutes);
    log.warn({ incident: failed.id, alarm: failed.alarm, recovery: recovery.action }, 'recovery did not clear the alarm; escalating');
    await alerts.audit('recovery.escalated', failed, reply.text.replace(/\*/g, ''), { correlationId: recovery.correlationId });
    const thread = threadOf(failed);
    if (thread) await alerts.post(thread, reply);
  }
  return escalated;
}
