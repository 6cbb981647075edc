import type { CloudWatch } from '../integrations/cloudwatch.js';
import type { Logger } from '../log.js';
import type { IncidentStore } from '../sessions/incidents.js';
import { fromSnapshot } from './alarm-event.js';
import type { AlarmOutcome, Alerts } from './alerts.js';

/**
 * Alarms that entered ALARM longer ago than this are not news: on a first start (or after a long
 * outage of aiops) the poller does not flood channels with alarms that have been firing for days.
 */
export const BACKFILL_MS = 24 * 60 * 60 * 1000;

export interface PollReport {
  firing: number;
  outcomes: Partial<Record<AlarmOutcome, number>>;
}

/**
 * One poll: every alarm now in ALARM goes through the same path as an SNS message (a transition
 * already seen is a duplicate), then the alarms of open incidents that are no longer firing are
 * read back, so an OK that SNS never delivered still resolves its incident.
 */
export async function pollAlarms(deps: { cloudwatch: CloudWatch; incidents: IncidentStore; alerts: Alerts; log: Logger; now: Date }): Promise<PollReport> {
  const outcomes: PollReport['outcomes'] = {};
  const count = (outcome: AlarmOutcome): void => {
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  };
  const firing = await deps.cloudwatch.alarmsInState('ALARM');
  const cutoff = new Date(deps.now.getTime() - BACKFILL_MS).toISOString();
  for (const alarm of firing) {
    if (alarm.changedAt < cutoff) {
      count('ignored');
      continue;
    }
    count(await deps.alerts.handle(fromSnapshot(alarm)));
  }
  const firingNames = new Set(firing.map((alarm) => alarm.name));
  const quiet = [...new Set((await deps.incidents.allOpen()).map((incident) => incident.alarm))].filter((name) => !firingNames.has(name));
  if (quiet.length > 0) {
    const current = await deps.cloudwatch.alarmsNamed(quiet);
    for (const alarm of current) count(await deps.alerts.handle(fromSnapshot(alarm)));
    const gone = quiet.filter((name) => !current.some((alarm) => alarm.name === name));
    if (gone.length > 0) deps.log.warn({ alarms: gone }, 'open incidents whose alarms no longer exist; resolve them by hand');
  }
  return { firing: firing.length, outcomes };
}
