import type { Autofix } from '../../sessions/autofixes.js';
import { fixOffer } from '../fix/offer.js';
import { APPLY_LABEL, suggestFix, type Suggestion } from '../fix/suggest.js';
import { fixClaimId } from '../fix/target.js';
import type { ActionContext } from '../types.js';
import { describeFix } from './render.js';
import type { PipelineDiagnosis } from './reply.js';

const DEFAULT_TTL_MINUTES = 30;

/** What aiops already did about this fix, from its claim record. */
export function claimedLine(record: Autofix): string {
  const who = record.origin === 'auto' ? 'aiops (auto-fix)' : `${record.by.name} (approved)`;
  if (record.status === 'failed') return `This fix was tried once by ${who} and failed: ${record.detail ?? 'see the audit trail'}. It is not tried again.`;
  if (record.status === 'claimed') return `This fix is being applied by ${who}.`;
  if (record.kind === 'retry') return `Already retried by ${who}${record.newJob ? ` as job #${record.newJob.id}` : ''}${record.outcome ? `: ${record.outcome}` : ''}. A job is retried once per pipeline.`;
  return `Already proposed by ${who}${record.mergeRequest ? ` in merge request !${record.mergeRequest.iid}` : ''}${record.outcome ? ` (its pipeline: ${record.outcome})` : ''}.`;
}

/**
 * The fix notes of a diagnosis in chat, and at most one "Apply suggested fix" approval (for the
 * first job with a fix nobody has applied): a decision settles the whole message, so one button
 * per message keeps every button meaningful.
 */
export async function diagnosisFixNotes(ctx: ActionContext, diagnosis: PipelineDiagnosis): Promise<{ notes: Map<number, string[]>; suggestion?: Suggestion }> {
  const notes = new Map<number, string[]>();
  let suggestion: Suggestion | undefined;
  for (const item of diagnosis.items) {
    const offer = fixOffer(diagnosis.facts, item);
    if (!offer) continue;
    if (offer.mode === 'blocked') {
      notes.set(item.job.id, [`A fix exists (${describeFix(offer.fix)}), but ${offer.reason}.`]);
      continue;
    }
    const claimed = await ctx.store.autofixes.get(fixClaimId(offer.target));
    if (claimed) {
      notes.set(item.job.id, [claimedLine(claimed)]);
      continue;
    }
    const why = offer.mode === 'auto' ? 'The auto-fix policy allows it; the pipeline webhook applies it by itself when GitLab reports a failure.' : `Not applied by itself: ${offer.withheld}.`;
    if (suggestion) {
      notes.set(item.job.id, [`Suggested fix: ${describeFix(offer.target.fix)}. ${why}`, 'Ask again once the fix above is settled to get its button.']);
      continue;
    }
    suggestion = suggestFix(ctx.store, {
      target: offer.target,
      withheld: offer.mode === 'suggest' ? offer.withheld : undefined,
      conversation: ctx.conversation,
      correlationId: ctx.correlationId,
      ttlMinutes: ctx.settings.approvalTtlMinutes ?? DEFAULT_TTL_MINUTES,
      suggestedTo: ctx.actor.name,
    });
    const role = await ctx.authorizer.leastRoleFor('fix');
    notes.set(item.job.id, [
      `Suggested fix: ${describeFix(offer.target.fix)}. ${why}`,
      `*${APPLY_LABEL}* applies it once${role ? ` (the ${role} role or above)` : ''}${ctx.settings.dryRun ? '; in dry-run it only shows the calls it would make' : ''}.`,
    ]);
  }
  return suggestion ? { notes, suggestion } : { notes };
}
