import { deploysSomething, type JobDiagnosis } from '../../actions/diagnose/jobs.js';
import { claimedLine } from '../../actions/diagnose/offers.js';
import { describeFix } from '../../actions/diagnose/render.js';
import type { PipelineDiagnosis } from '../../actions/diagnose/reply.js';
import { applyFix, type FixResult } from '../../actions/fix/apply.js';
import { fixOffer } from '../../actions/fix/offer.js';
import { fixReport } from '../../actions/fix/report.js';
import { APPLY_LABEL, FIXER, suggestFix } from '../../actions/fix/suggest.js';
import { fixClaimId, type FixTarget } from '../../actions/fix/target.js';
import type { Notifier, NotifyTarget } from '../../bot/notifier.js';
import type { Reply } from '../../bot/reply.js';
import type { MessageRef } from '../../bot/turn.js';
import type { GitLab } from '../../integrations/gitlab.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../sessions/store.js';
import { dryRunNotes, manualReview } from './messages.js';
import { showOutcome } from './outcomes.js';

export interface ActDeps {
  store: Store;
  gitlab: GitLab;
  notifier: Notifier;
  log: Logger;
  dryRun: boolean;
  gitlabUrl: string | undefined;
  approvalTtlMinutes: number;
}

export type JobOutcome = 'fixed' | 'manual' | 'already-fixed';

/**
 * One diagnosed job: apply its fix when the policy allows (an auto-fix report follows), else a
 * manual-review message with the diagnosis, and the Apply suggested fix button where a fix
 * exists that only a person may apply.
 */
export async function actOnJob(deps: ActDeps, diagnosis: PipelineDiagnosis, item: JobDiagnosis, target: NotifyTarget | undefined, correlationId: string): Promise<JobOutcome> {
  const offer = fixOffer(diagnosis.facts, item);
  if (offer?.mode === 'auto' && !deps.dryRun) {
    const result = await applyFix(deps, { target: offer.target, origin: 'auto', by: FIXER, correlationId });
    if (result.status === 'applied') {
      const report = fixReport({ target: offer.target, record: result.record, rootCause: offer.target.rootCause ?? offer.target.summary, confidence: offer.target.confidence, correlationId });
      const posted = target ? await post(deps, target, report) : undefined;
      if (!target) deps.log.warn({ service: diagnosis.facts.service }, 'auto-fix applied, but the service has no channel for its report: annotate aiops/slack-channel or aiops/teams-conversation, or set AIOPS_ALERT_CHANNEL');
      if (posted) {
        // the fix's pipeline may have finished while the report was on its way
        const attached = await deps.store.autofixes.attachMessage(result.record.id, posted, report);
        if (attached?.outcome) await showOutcome(deps, attached);
      }
      return 'fixed';
    }
    await postManual(deps, diagnosis, item, target, resultNotes(result, offer.target), correlationId);
    return result.status === 'already' ? 'already-fixed' : 'manual';
  }
  if (offer?.mode === 'auto') {
    await postManual(deps, diagnosis, item, target, dryRunNotes(offer.target, deps.gitlabUrl), correlationId);
    return 'manual';
  }
  if (offer?.mode === 'blocked') {
    await postManual(deps, diagnosis, item, target, [`A fix exists (${describeFix(offer.fix)}), but ${offer.reason}.`], correlationId);
    return 'manual';
  }
  if (offer?.mode === 'suggest') {
    const claimed = await deps.store.autofixes.get(fixClaimId(offer.target));
    if (claimed) {
      await postManual(deps, diagnosis, item, target, [claimedLine(claimed)], correlationId);
      return 'already-fixed';
    }
    await postSuggestion(deps, diagnosis, item, target, offer.target, offer.withheld, correlationId);
    return 'manual';
  }
  await postManual(deps, diagnosis, item, target, deploysSomething(item.job) ? [`Job ${item.job.name} deploys: aiops leaves it to a person.`] : [], correlationId);
  return 'manual';
}

function resultNotes(result: Exclude<FixResult, { status: 'applied' }>, target: FixTarget): string[] {
  switch (result.status) {
    case 'already':
      return result.record ? [claimedLine(result.record)] : ['This fix was claimed before; aiops applies each fix once.'];
    case 'proposed-before':
      return [`An open merge request already proposes this fix: !${result.mergeRequest.iid} (${result.mergeRequest.url}), from ${result.branch}. Merge it, or close it to let aiops propose again.`];
    case 'not-applicable':
      return [`The auto-fix policy allows ${describeFix(target.fix)}, but ${result.reason}. Nothing was changed.`];
    case 'failed':
      return [`The auto-fix (${describeFix(target.fix)}) failed: ${result.reason} It is not tried again.`];
  }
}

async function postSuggestion(deps: ActDeps, diagnosis: PipelineDiagnosis, item: JobDiagnosis, target: NotifyTarget | undefined, fixTarget: FixTarget, withheld: string, correlationId: string): Promise<void> {
  const notes = [`Suggested fix: ${describeFix(fixTarget.fix)}. Not applied by itself: ${withheld}.`];
  if (!target) {
    await postManual(deps, diagnosis, item, target, notes, correlationId);
    return;
  }
  const suggestion = suggestFix(deps.store, {
    target: fixTarget,
    withheld,
    conversation: { platform: target.platform, channel: target.channel, thread: target.thread ?? target.channel },
    correlationId,
    ttlMinutes: deps.approvalTtlMinutes,
  });
  notes.push(`*${APPLY_LABEL}* applies it once, for anyone the policy lets fix${deps.dryRun ? ' (dry-run: it only shows the calls it would make)' : ''}.`);
  const reply: Reply = { ...manualReview(diagnosis, item, notes, correlationId), buttons: suggestion.buttons };
  await suggestion.save(reply);
  const posted = await post(deps, target, reply);
  if (posted) await deps.store.approvals.attachMessage(suggestion.approvalId, posted);
}

async function postManual(deps: ActDeps, diagnosis: PipelineDiagnosis, item: JobDiagnosis, target: NotifyTarget | undefined, notes: string[], correlationId: string): Promise<void> {
  if (!target) {
    deps.log.warn({ service: diagnosis.facts.service, pipeline: diagnosis.facts.id, job: item.job.name }, 'manual review needed, but the service has no channel: annotate aiops/slack-channel or aiops/teams-conversation, or set AIOPS_ALERT_CHANNEL');
    return;
  }
  await post(deps, target, manualReview(diagnosis, item, notes, correlationId));
}

async function post(deps: ActDeps, target: NotifyTarget, reply: Reply): Promise<MessageRef | undefined> {
  try {
    return await deps.notifier.notify(target, reply);
  } catch (error) {
    deps.log.error({ err: error, target }, 'could not post the pipeline failure message');
    return undefined;
  }
}
