import { withOutcome } from '../../actions/fix/report.js';
import { FIXER } from '../../actions/fix/suggest.js';
import type { Notifier } from '../../bot/notifier.js';
import type { Logger } from '../../log.js';
import { pipelineWatch, refWatch, type Autofix, type AutofixOutcome } from '../../sessions/autofixes.js';
import type { Store } from '../../sessions/store.js';
import { isFinished, pipelineUrl, type PipelineHook } from './hook.js';

export interface OutcomeDeps {
  store: Store;
  notifier: Notifier;
  log: Logger;
}

export const outcomeOf = (status: string): AutofixOutcome => (status === 'success' ? 'success' : status === 'failed' ? 'failed' : status === 'canceled' ? 'canceled' : 'unknown');

/**
 * The fix's pipeline finished: record it once (a conditional write, whoever reports it first:
 * a webhook delivery, its duplicate, the poller, another replica) and edit the report.
 */
export async function settleFix(deps: OutcomeDeps, record: Autofix, outcome: AutofixOutcome, pipeline?: { id: number; url: string }): Promise<Autofix | undefined> {
  const finished = await deps.store.autofixes.finish(record.id, outcome, pipeline);
  if (!finished) return undefined;
  deps.log.info({ fix: finished.id, outcome, pipeline: pipeline?.id }, 'fix outcome');
  await deps.store.audit.append({
    actor: FIXER.key,
    actorName: FIXER.name,
    event: 'autofix.finished',
    correlationId: finished.correlationId,
    action: 'fix',
    service: finished.service,
    detail: `${finished.project}: ${finished.kind} for job ${finished.jobName} of pipeline #${finished.pipelineId}: ${outcome}${pipeline ? ` (pipeline #${pipeline.id})` : ''}`.slice(0, 500),
  });
  await showOutcome(deps, finished);
  return finished;
}

/** Edits the outcome into the report, when both exist (the report may still be on its way). */
export async function showOutcome(deps: OutcomeDeps, record: Autofix): Promise<void> {
  if (!record.message || !record.reply || !record.outcome) return;
  try {
    await deps.notifier.update(record.message, withOutcome(record.reply, record));
  } catch (error) {
    deps.log.error({ err: error, fix: record.id }, 'could not edit the auto-fix report');
  }
}

/**
 * A finished pipeline may be what a fix was waiting for: the pipeline a job was retried in (once
 * the retried job itself has finished: an old delivery of the first failure does not count), or
 * the first pipeline on a fix branch.
 */
export async function settleFromHook(deps: OutcomeDeps, hook: PipelineHook, path: string): Promise<number> {
  const pipeline = hook.object_attributes;
  if (!isFinished(pipeline.status)) return 0;
  const watches = new Set([pipelineWatch(path, pipeline.id), refWatch(path, pipeline.ref)]);
  if (hook.merge_request) watches.add(refWatch(path, hook.merge_request.source_branch));
  let settled = 0;
  for (const watch of watches) {
    for (const record of await deps.store.autofixes.watchedBy(watch)) {
      if (record.kind === 'retry' && !hook.builds.some((build) => build.id === record.newJob?.id && isFinished(build.status))) continue;
      if (await settleFix(deps, record, outcomeOf(pipeline.status), { id: pipeline.id, url: pipelineUrl(hook) })) settled += 1;
    }
  }
  return settled;
}
