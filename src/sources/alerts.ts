import type { ActionRegistry } from '../actions/registry.js';
import type { ActionContext, Integrations } from '../actions/types.js';
import { approvalPolicyFor } from '../auth/decider.js';
import type { Authorizer } from '../auth/authorizer.js';
import type { EngineSettings } from '../bot/engine.js';
import { newApprovalId, newCorrelationId } from '../bot/ids.js';
import type { Notifier, NotifyTarget } from '../bot/notifier.js';
import type { Reply } from '../bot/reply.js';
import type { MessageRef, Platform } from '../bot/turn.js';
import type { Catalog, Service } from '../catalog/catalog.js';
import type { AlertChannel } from '../config.js';
import type { CloudWatch } from '../integrations/cloudwatch.js';
import type { Logger } from '../log.js';
import type { AuditEvent } from '../sessions/audit.js';
import { incidentId, type Incident } from '../sessions/incidents.js';
import type { Store } from '../sessions/store.js';
import type { AlarmStateChange } from './alarm-event.js';
import { alertReply, resolvedReply, stateNoteReply, verifiedLine, type ApprovalMeta } from './alert-render.js';
import type { IncidentAnalyst } from './analyst.js';
import type { DeploymentLookup } from './deployment-lookup.js';
import { enrich } from './enrichment.js';
import { hhmm } from './format.js';
import { decideRecovery, SYSTEM_REQUESTER, type ProposalDecision } from './proposal.js';
import { withdrawProposal } from './withdraw.js';

export interface AlertsDeps {
  store: Store;
  catalog: Catalog;
  registry: ActionRegistry;
  authorizer: Authorizer;
  settings: EngineSettings;
  integrations: Integrations;
  notifier: Notifier;
  log: Logger;
  cloudwatch: CloudWatch | undefined;
  analyst: IncidentAnalyst;
  deployments: DeploymentLookup;
  defaultTarget: AlertChannel | undefined;
  /** the chat platforms configured; empty: any */
  platforms: readonly Platform[];
  minConfidence: number;
  verifyMinutes: number;
}

export type AlarmOutcome = 'opened' | 'duplicate' | 'resolved' | 'updated' | 'ignored';

/**
 * Where a service's alerts go: its Slack channel, else its Teams conversation, else
 * AIOPS_ALERT_CHANNEL. With `platforms` given, an annotation for a platform that is not
 * configured is skipped.
 */
export function alertTarget(service: Service | undefined, fallback: AlertChannel | undefined, platforms: readonly Platform[] = []): NotifyTarget | undefined {
  const usable = (platform: Platform): boolean => platforms.length === 0 || platforms.includes(platform);
  if (service?.slackChannel && usable('slack')) return { platform: 'slack', channel: service.slackChannel };
  if (service?.teamsConversation && usable('teams')) return { platform: 'teams', channel: service.teamsConversation };
  return fallback ? { platform: fallback.platform, channel: fallback.channel } : undefined;
}

/** The thread under the alert message, where every later update goes. */
export function threadOf(incident: Incident): NotifyTarget | undefined {
  const { message, target } = incident;
  if (message) return { platform: message.platform, channel: message.channel, thread: message.thread ?? message.id };
  return target;
}

/**
 * The alert lifecycle: a transition into ALARM opens one incident (whichever route reports it
 * first) and posts the alert with a recovery proposal; later states go in its thread; OK resolves
 * it and edits the alert to resolved, with the time to recover.
 */
export class Alerts {
  constructor(readonly deps: AlertsDeps) {}

  async handle(change: AlarmStateChange): Promise<AlarmOutcome> {
    if (change.state === 'OK') return this.resolve(change);
    const open = await this.deps.store.incidents.openForAlarm(change.alarm);
    if (change.state === 'ALARM' && change.previous !== 'ALARM' && !open) return this.open(change);
    if (!open || open.id === incidentId(change.alarm, change.changedAt)) return open ? 'duplicate' : 'ignored';
    return this.note(open, change);
  }

  private async open(change: AlarmStateChange): Promise<AlarmOutcome> {
    const { store, catalog, log } = this.deps;
    const service = catalog.serviceForAlarm(change.alarm);
    // alarms carry no environment: a service's alarms watch its last (production) environment
    const environment = service?.environments.at(-1);
    const { created, incident } = await store.incidents.open({
      alarm: change.alarm,
      ...(change.arn ? { alarmArn: change.arn } : {}),
      ...(service ? { service: service.name } : {}),
      ...(environment ? { environment } : {}),
      ...(change.description ? { description: change.description } : {}),
      ...(change.metric ? { metric: change.metric } : {}),
      reason: change.reason.slice(0, 2000),
      ...(change.value !== undefined ? { value: change.value } : {}),
      ...(change.threshold !== undefined ? { threshold: change.threshold } : {}),
      ...(change.band ? { band: change.band } : {}),
      ...(change.comparison ? { comparison: change.comparison } : {}),
      source: change.source,
      openedAt: change.changedAt,
      correlationId: newCorrelationId(),
    });
    if (!created) return 'duplicate';
    log.info({ incident: incident.id, alarm: incident.alarm, service: incident.service, source: change.source }, 'incident opened');
    await this.audit('incident.opened', incident, `${incident.alarm} (${change.source}): ${incident.reason}`);

    const target = alertTarget(service, this.deps.defaultTarget, this.deps.platforms);
    const enrichment = await enrich({ ...this.deps, incidents: store.incidents, now: store.clock.now() }, incident);
    const decision = await decideRecovery({ analyst: this.deps.analyst, minConfidence: this.deps.minConfidence, actionContext: this.actionContext(incident, target) }, incident, service, enrichment);
    const approval = target && decision.plan ? await this.requestApproval(incident, target, decision) : undefined;
    const reply = alertReply(incident, service, enrichment, decision, approval?.meta);
    if (approval) {
      await store.approvals.create({ ...approval.record, reply });
      await this.audit('approval.requested', incident, `${decision.plan!.summary}; confidence ${decision.record.confidence.toFixed(2)}; policy ${approval.record.policy}`, { approvalId: approval.meta.id });
    }
    const posted = target ? await this.post(target, reply) : undefined;
    if (!target) log.warn({ alarm: incident.alarm }, 'no channel for this alert: annotate the service (aiops/slack-channel, aiops/teams-conversation) or set AIOPS_ALERT_CHANNEL');
    if (posted && approval) await store.approvals.attachMessage(approval.meta.id, posted);
    await store.incidents.setProposal(incident.id, { ...decision.record, ...(approval ? { approvalId: approval.meta.id } : {}) });
    const attached = await store.incidents.attachMessage(incident.id, target, posted, reply);
    // the alarm was back to OK before the alert was up: resolve() left the message to us
    if (attached?.status === 'resolved' && posted) await this.finishResolved(attached, posted);
    return 'opened';
  }

  /** The approval a proposal needs; stored with the alert as its message once that is rendered. */
  private async requestApproval(incident: Incident, target: NotifyTarget, decision: ProposalDecision) {
    const { settings, store, authorizer } = this.deps;
    const plan = decision.plan!;
    const id = newApprovalId();
    const policy = approvalPolicyFor(plan.environment, settings.fourEyesEnvironments);
    const expiresAt = new Date(store.clock.now().getTime() + settings.approvalTtlMinutes * 60_000).toISOString();
    const role = await authorizer.leastRoleFor(policy === 'four-eyes' ? 'approve' : 'recover', plan.environment);
    const meta: ApprovalMeta = { id, expiresAt, fourEyes: policy === 'four-eyes', approver: `${role ?? 'an approver'}${policy === 'four-eyes' ? ' (four-eyes)' : ''}` };
    const record = {
      id,
      action: 'recover',
      slots: { service: plan.service, action: plan.data.recovery, alarm: incident.alarm, environment: plan.environment },
      plan: plan as unknown as Record<string, unknown>,
      ...(plan.service ? { service: plan.service } : {}),
      ...(plan.environment ? { environment: plan.environment } : {}),
      policy,
      requester: { ...SYSTEM_REQUESTER },
      conversation: { platform: target.platform, channel: target.channel, thread: target.channel },
      correlationId: incident.correlationId,
      expiresAt,
    };
    return { meta, record };
  }

  private async resolve(change: AlarmStateChange): Promise<AlarmOutcome> {
    const { store, log } = this.deps;
    const incident = await store.incidents.openForAlarm(change.alarm);
    // an OK older than the alarm is a late delivery of an earlier episode
    if (!incident || change.changedAt < incident.openedAt) return 'ignored';
    const resolved = await store.incidents.resolve(incident.id, change.changedAt, resolutionOf(incident));
    if (!resolved) return 'duplicate';
    log.info({ incident: incident.id, alarm: incident.alarm }, 'incident resolved');
    await this.audit('incident.resolved', resolved, `${resolved.alarm} back to OK: ${resolved.resolution}`);
    const lines = [`Back to OK at ${hhmm(change.changedAt)}: ${resolved.resolution}.`];
    if (resolved.recovery?.verification === 'watching') {
      const verified = await store.incidents.settleRecovery(resolved.id, resolved.recovery, 'verified');
      if (verified) {
        lines.push(verifiedLine(verified));
        await this.audit('recovery.verified', verified, verifiedLine(verified), { correlationId: resolved.recovery.correlationId });
      }
    }
    const proposal = await withdrawProposal(store, resolved);
    if (proposal) lines.push(proposal);
    // without a message the alert is still being posted; open() finishes it when it attaches
    if (resolved.message) await this.showResolved(resolved, resolved.message, lines);
    return 'resolved';
  }

  private async showResolved(incident: Incident, message: MessageRef, lines: string[]): Promise<void> {
    await this.edit(message, resolvedReply(incident, lines));
    const thread = threadOf(incident);
    if (thread) await this.post(thread, { text: lines.join('\n'), tone: 'success' });
  }

  private async finishResolved(incident: Incident, message: MessageRef): Promise<void> {
    const lines = [`Back to OK at ${hhmm(incident.resolvedAt ?? incident.updatedAt)}: ${incident.resolution ?? 'resolved'}.`];
    const proposal = await withdrawProposal(this.deps.store, incident);
    if (proposal) lines.push(proposal);
    await this.showResolved(incident, message, lines);
  }

  private async note(incident: Incident, change: AlarmStateChange): Promise<AlarmOutcome> {
    const first = await this.deps.store.keys.claim(`alarm-note:${incident.id}:${change.state}:${change.changedAt}`, 2 * 86_400, incident.correlationId);
    const thread = threadOf(incident);
    if (!first || !thread) return 'duplicate';
    await this.post(thread, stateNoteReply(incident, change.state, change.reason, change.changedAt));
    return 'updated';
  }

  /** Recovery proposals are planned by the recover action itself, acting as aiops. */
  private actionContext(incident: Incident, target: NotifyTarget | undefined): ActionContext {
    const { store, catalog, authorizer, settings, integrations, log, registry } = this.deps;
    const platform = target?.platform ?? 'console';
    return {
      actor: { ...SYSTEM_REQUESTER, role: 'viewer', platform },
      correlationId: incident.correlationId,
      conversation: { platform, channel: target?.channel ?? '', thread: target?.channel ?? '' },
      catalog,
      store,
      authorizer,
      settings,
      integrations,
      log: log.child({ correlationId: incident.correlationId, incident: incident.id }),
      actions: registry.all(),
    };
  }

  async post(target: NotifyTarget, reply: Reply): Promise<MessageRef | undefined> {
    try {
      return await this.deps.notifier.notify(target, reply);
    } catch (error) {
      this.deps.log.error({ err: error, target }, 'could not post the alert message');
      return undefined;
    }
  }

  private async edit(ref: MessageRef, reply: Reply): Promise<void> {
    try {
      await this.deps.notifier.update(ref, reply);
    } catch (error) {
      this.deps.log.error({ err: error, ref }, 'could not edit the alert message');
    }
  }

  async audit(event: AuditEvent, incident: Incident, detail: string, extra: { action?: string; approvalId?: string; correlationId?: string } = {}): Promise<void> {
    await this.deps.store.audit.append({
      actor: SYSTEM_REQUESTER.key,
      actorName: SYSTEM_REQUESTER.name,
      event,
      correlationId: extra.correlationId ?? incident.correlationId,
      action: extra.action ?? 'recover',
      ...(extra.approvalId ? { approvalId: extra.approvalId } : {}),
      ...(incident.service ? { service: incident.service } : {}),
      ...(incident.environment ? { environment: incident.environment } : {}),
      detail: detail.slice(0, 500),
    });
  }
}

/** What resolved an incident, as the similar-incidents list of later alerts shows it. */
function resolutionOf(incident: Incident): string {
  const recovery = incident.recovery;
  if (!recovery) return 'recovered on its own';
  if (recovery.dryRun) return `recovered on its own (${recovery.action} by ${recovery.by} was a dry-run)`;
  if (recovery.verification === 'failed') return `recovered later; ${recovery.action} by ${recovery.by} did not help`;
  return `${recovery.action} by ${recovery.by}`;
}
