import { isGitLabError } from '../../integrations/gitlab-errors.js';
import type { GitLab } from '../../integrations/gitlab.js';
import type { Logger } from '../../log.js';
import type { Person } from '../../sessions/approvals.js';
import type { AuditEvent } from '../../sessions/audit.js';
import { pipelineWatch, refWatch, type Autofix } from '../../sessions/autofixes.js';
import type { Store } from '../../sessions/store.js';
import { manifestChange } from './manifests/index.js';
import { FIX_LABELS, mergeRequestTitle } from './plan.js';
import { fixBranch, fixClaimId, type FixTarget } from './target.js';

export interface FixDeps {
  gitlab: GitLab;
  store: Store;
  log: Logger;
}

export interface FixRequest {
  target: FixTarget;
  /** auto: the policy applied it alone; approved: someone clicked "Apply suggested fix" */
  origin: 'auto' | 'approved';
  by: Person;
  correlationId: string;
}

export type FixResult =
  | { status: 'applied'; record: Autofix }
  /** an earlier pipeline's fix already proposed exactly this: its merge request is still open */
  | { status: 'proposed-before'; mergeRequest: { iid: number; url: string }; branch: string }
  /** this pipeline x job x fix was claimed before (applied, or tried and failed): never twice */
  | { status: 'already'; record: Autofix | undefined }
  /** nothing to do that a machine should do: a person should look (the reason says why) */
  | { status: 'not-applicable'; reason: string }
  | { status: 'failed'; reason: string };

/**
 * Applies one fix at most once. Reads come first; then the conditional write that claims
 * pipeline x job x fix; only the winner changes anything in GitLab, and never on the branch
 * the pipeline ran on: a retry reruns the job, a dependency goes on a new branch with a merge
 * request. Every change is audited, and a failure is recorded so it is not tried again.
 */
export async function applyFix(deps: FixDeps, request: FixRequest): Promise<FixResult> {
  const { target } = request;
  const fix = target.fix;
  if (fix.kind === 'add-dependency' && !target.targetBranch) {
    return { status: 'not-applicable', reason: `pipeline #${target.pipelineId} ran on ${target.ref}, not a branch a merge request can go into` };
  }
  let change: Awaited<ReturnType<typeof readManifests>> | undefined;
  if (fix.kind === 'add-dependency') {
    change = await readManifests(deps, target);
    if (!change.ok) return { status: 'not-applicable', reason: change.detail };
  }
  const claim = await deps.store.autofixes.claim({
    id: fixClaimId(target),
    service: target.service,
    project: target.project,
    pipelineId: target.pipelineId,
    jobName: target.job.name,
    jobId: target.job.id,
    playbookId: target.playbookId,
    kind: fix.kind,
    origin: request.origin,
    by: request.by,
    correlationId: request.correlationId,
  });
  if (!claim.claimed) {
    deps.log.info({ fix: fixClaimId(target) }, 'fix already claimed; not applying it again');
    return { status: 'already', record: claim.record };
  }
  const id = claim.record.id;
  try {
    if (fix.kind === 'retry') return await retry(deps, request, id);
    return await proposeDependency(deps, request, id, change!);
  } catch (error) {
    const reason = isGitLabError(error) ? error.message : 'an unexpected error (see the log)';
    deps.log.error({ err: error, fix: id }, 'fix failed');
    await deps.store.autofixes.failed(id, reason);
    await audit(deps, request, 'autofix.failed', reason);
    return { status: 'failed', reason };
  }
}

async function retry(deps: FixDeps, request: FixRequest, id: string): Promise<FixResult> {
  const { target } = request;
  const job = await deps.gitlab.retryJob(target.project, target.job.id);
  await audit(deps, request, 'autofix.retried', `job ${target.job.name} #${target.job.id} of pipeline #${target.pipelineId} retried as #${job.id} (${target.playbookId})`);
  const record = await deps.store.autofixes.applied(id, { newJob: { id: job.id, url: job.web_url }, watch: pipelineWatch(target.project, target.pipelineId) });
  deps.log.info({ fix: id, job: job.id }, 'job retried');
  return { status: 'applied', record: record! };
}

type ManifestRead = ReturnType<typeof manifestChange>;

async function readManifests(deps: FixDeps, target: FixTarget): Promise<ManifestRead> {
  const fix = target.fix;
  if (fix.kind !== 'add-dependency') throw new Error('not a dependency fix');
  const files = await Promise.all(fix.manifests.map((path) => deps.gitlab.file(target.project, path, target.sha)));
  return manifestChange(fix, files);
}

async function proposeDependency(deps: FixDeps, request: FixRequest, id: string, change: ManifestRead): Promise<FixResult> {
  const { target } = request;
  const fix = target.fix;
  if (fix.kind !== 'add-dependency' || !change.ok || !target.targetBranch) throw new Error('not a dependency fix');
  const branch = fixBranch(target);
  try {
    await deps.gitlab.createBranch(target.project, branch, target.sha);
  } catch (error) {
    if (!(isGitLabError(error) && error.status === 400 && /already exists/i.test(error.gitlabMessage ?? ''))) throw error;
    const [open] = await deps.gitlab.openMergeRequests(target.project, branch);
    if (!open) throw error;
    const mergeRequest = { iid: open.iid, url: open.web_url };
    await deps.store.autofixes.applied(id, { branch, mergeRequest, detail: 'proposed before by an earlier pipeline' });
    return { status: 'proposed-before', mergeRequest, branch };
  }
  await audit(deps, request, 'autofix.branch_created', `branch ${branch} from ${target.sha.slice(0, 12)}`);
  const manifest = change.file.path;
  await deps.gitlab.updateFiles(target.project, branch, commitMessage(request, manifest), [{ path: manifest, content: change.content, lastCommitId: change.file.lastCommitId }]);
  await audit(deps, request, 'autofix.committed', `${change.line} added to ${manifest} on ${branch}`);
  const created = await deps.gitlab.createMergeRequest(target.project, {
    sourceBranch: branch,
    targetBranch: target.targetBranch,
    title: mergeRequestTitle(target, manifest),
    description: mergeRequestDescription(request, manifest, change.line),
    labels: FIX_LABELS,
  });
  const mergeRequest = { iid: created.iid, url: created.web_url };
  await audit(deps, request, 'autofix.mr_opened', `!${created.iid} ${branch} -> ${target.targetBranch}: add ${fix.package} to ${manifest}`);
  const record = await deps.store.autofixes.applied(id, { branch, manifest, mergeRequest, watch: refWatch(target.project, branch) });
  deps.log.info({ fix: id, mergeRequest: created.iid, branch }, 'merge request opened');
  return { status: 'applied', record: record! };
}

const byLine = (request: FixRequest): string => (request.origin === 'auto' ? 'by aiops under its auto-fix policy' : `by aiops, approved by ${request.by.name}`);

function commitMessage(request: FixRequest, manifest: string): string {
  const { target } = request;
  const fix = target.fix;
  const pkg = fix.kind === 'add-dependency' ? fix.package : '';
  return `Add ${pkg} to ${manifest}\n\nJob ${target.job.name} of pipeline #${target.pipelineId} failed: ${target.summary}\n\nProposed ${byLine(request)} (ref ${request.correlationId}).`;
}

function mergeRequestDescription(request: FixRequest, manifest: string, line: string): string {
  const { target } = request;
  const fix = target.fix;
  const pinNote =
    fix.kind === 'add-dependency' && fix.ecosystem === 'npm'
      ? `- The version is \`*\`: run \`npm install ${fix.package}\` (or your package manager's add) on this branch to pin it and update the lock file.`
      : '- The version is not pinned: pin it here if the project pins its dependencies.';
  return [
    `Job [${target.job.name}](${target.job.url}) of pipeline [#${target.pipelineId}](${target.pipelineUrl}) on \`${target.ref}\` failed: ${target.summary}`,
    '',
    `This adds ${line} to \`${manifest}\`.`,
    '',
    ...(target.evidence.length > 0 ? ['Evidence from the job log (secrets masked):', '', '```', ...target.evidence, '```', ''] : []),
    'Before merging:',
    pinNote,
    '- Check that the pipeline of this merge request passes.',
    '',
    `Opened ${byLine(request)} (${target.playbookId}, ref ${request.correlationId}).`,
  ].join('\n');
}

async function audit(deps: FixDeps, request: FixRequest, event: AuditEvent, detail: string): Promise<void> {
  await deps.store.audit.append({
    actor: request.by.key,
    actorName: request.by.name,
    event,
    correlationId: request.correlationId,
    action: 'fix',
    service: request.target.service,
    detail: `${request.target.project}: ${detail}`.slice(0, 500),
  });
}
