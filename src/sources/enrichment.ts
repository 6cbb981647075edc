import type { CloudWatch, MetricPoint } from '../integrations/cloudwatch.js';
import type { Logger } from '../log.js';
import type { RecentDeployment } from '../remediation/runbook.js';
import type { Incident, IncidentStore } from '../sessions/incidents.js';
import type { DeploymentLookup } from './deployment-lookup.js';
import { duration, when } from './format.js';

/** What the alert shows besides the alarm itself: its recent history, the metric, similar incidents, the last deployment. */
export interface Enrichment {
  /** transitions into ALARM in the last 7 days, this one included; undefined without CloudWatch */
  firedLast7Days?: number;
  previousFiring?: string;
  recent: MetricPoint[];
  similar: Incident[];
  deployment?: RecentDeployment;
}

const DAY_MS = 86_400_000;

export interface EnrichmentDeps {
  incidents: IncidentStore;
  cloudwatch: CloudWatch | undefined;
  deployments: DeploymentLookup;
  log: Logger;
  now: Date;
}

/** Every part is best effort: an alert is never held back because CloudWatch or the store was slow to answer. */
export async function enrich(deps: EnrichmentDeps, incident: Incident): Promise<Enrichment> {
  const { cloudwatch, log, now } = deps;
  const firedAt = new Date(incident.openedAt);
  const [history, recent, similar, deployment] = await Promise.all([
    attempt(log, 'alarm history', () => cloudwatch?.history(incident.alarm, new Date(now.getTime() - 7 * DAY_MS), now)),
    attempt(log, 'metric data', () => (incident.metric ? cloudwatch?.metricValues(incident.metric, new Date(firedAt.getTime() - 60 * 60_000), now) : undefined)),
    attempt(log, 'similar incidents', () => deps.incidents.similar(incident.alarm, incident.service, incident.id)),
    attempt(log, 'deployments', () =>
      incident.service && incident.environment ? deps.deployments.latestBefore(incident.service, incident.environment, firedAt) : undefined,
    ),
  ]);
  const firings = history?.filter((entry) => entry.to === 'ALARM') ?? [];
  const earlier = firings.find((entry) => entry.at < incident.openedAt);
  return {
    ...(history ? { firedLast7Days: Math.max(1, firings.length) } : {}),
    ...(earlier ? { previousFiring: earlier.at } : {}),
    recent: (recent ?? []).slice(-12),
    similar: similar ?? [],
    ...(deployment ? { deployment } : {}),
  };
}

// the team should see the alert within seconds; a slow source is left out rather than waited for
const ENRICHMENT_TIMEOUT_MS = 5000;

async function attempt<T>(log: Logger, what: string, run: () => Promise<T> | T | undefined): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ENRICHMENT_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const result = await Promise.race([Promise.resolve(run()), late]);
    if (result === 'late') {
      log.warn(`reading ${what} took over ${ENRICHMENT_TIMEOUT_MS} ms; posting the alert without it`);
      return undefined;
    }
    return result;
  } catch (error) {
    log.warn({ err: error }, `could not read ${what} for the alert; posting without it`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** The alert's history lines. */
export function historyLines(incident: Incident, enrichment: Enrichment): string[] {
  const lines: string[] = [];
  if (enrichment.firedLast7Days !== undefined) {
    const times = enrichment.firedLast7Days === 1 ? 'once' : `${enrichment.firedLast7Days} times`;
    lines.push(`Fired ${times} in the last 7 days${enrichment.previousFiring ? ` (before this: ${when(enrichment.previousFiring)})` : ''}.`);
  }
  if (enrichment.recent.length > 0) {
    lines.push(`Last hour: ${enrichment.recent.map((point) => formatNumber(point.value)).join(', ')}`);
  }
  if (enrichment.deployment) {
    const { version, at, previousVersion } = enrichment.deployment;
    lines.push(`Last deployment: ${version} at ${when(at)}${previousVersion ? ` (replacing ${previousVersion})` : ''}.`);
  }
  if (enrichment.similar.length === 0) {
    lines.push(`No similar incident (same alarm${incident.service ? ' or service' : ''}) in the last 30 days.`);
  } else {
    lines.push(`Similar incidents in the last 30 days:`);
    lines.push(...enrichment.similar.map((past) => `• ${when(past.openedAt)} ${past.alarm}: ${outcomeOf(past)}`));
  }
  return lines;
}

/** What resolved a past incident, in a few words. */
export function outcomeOf(incident: Incident): string {
  if (incident.status === 'open') return 'still open';
  const took = incident.resolvedAt ? ` after ${duration(Date.parse(incident.resolvedAt) - Date.parse(incident.openedAt))}` : '';
  return `${incident.resolution ?? 'resolved'}${took}`;
}

export function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return String(Math.round(value));
  if (magnitude >= 1 || magnitude === 0) return String(Number(value.toFixed(2)));
  return String(Number(value.toPrecision(3)));
}
