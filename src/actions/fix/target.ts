import { z } from 'zod';
import { NPM_NAME, PLAYBOOK_IDS, PYPI_NAME, type AutoFix } from '../../remediation/index.js';

/** aiops's own fix branches start here; a pipeline on one is never auto-fixed again (no fix of a fix). */
export const FIX_BRANCH_PREFIX = 'aiops/autofix/';

const autoFixSchema = z.union([
  z.object({ kind: z.literal('retry'), scope: z.literal('job') }),
  z.object({
    kind: z.literal('add-dependency'),
    ecosystem: z.literal('pypi'),
    package: z.string().regex(PYPI_NAME),
    module: z.string().max(200).optional(),
    manifests: z.tuple([z.literal('requirements.txt'), z.literal('pyproject.toml')]).readonly(),
  }),
  z.object({
    kind: z.literal('add-dependency'),
    ecosystem: z.literal('npm'),
    package: z.string().regex(NPM_NAME),
    dev: z.boolean(),
    manifests: z.tuple([z.literal('package.json')]).readonly(),
  }),
]);

/**
 * Everything a fix needs, in JSON: it travels in an approval's stored plan, so it is parsed again
 * (never trusted) when the approval is executed, possibly on another replica.
 */
export const fixTargetSchema = z.object({
  service: z.string().min(1),
  project: z.string().min(1),
  pipelineId: z.number().int().positive(),
  pipelineUrl: z.string(),
  /** the ref the pipeline ran on, and its commit */
  ref: z.string().min(1),
  sha: z.string().regex(/^[0-9a-f]{7,64}$/),
  /** the branch a merge request goes into; null when there is none (a tag, a detached ref) */
  targetBranch: z.string().min(1).nullable(),
  job: z.object({ id: z.number().int().positive(), name: z.string().min(1), stage: z.string(), url: z.string() }),
  playbookId: z.enum(PLAYBOOK_IDS),
  title: z.string(),
  summary: z.string(),
  /** Claude's explanation, when it gave one (masked like everything else) */
  rootCause: z.string().max(1500).optional(),
  confidence: z.number().min(0).max(1),
  evidence: z.array(z.string()).max(5),
  fix: autoFixSchema,
});

export type FixTarget = z.infer<typeof fixTargetSchema>;

// the schema must describe every fix the remediation library can offer
const _covers = (fix: AutoFix): FixTarget['fix'] => fix;
void _covers;

const slug = (text: string, max: number): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, max)
    .replace(/[-.]+$/g, '')
    .replace(/\.lock$/, '-lock') || 'x';

/**
 * The fix's branch: the same for the same package on the same target branch, so a second failed
 * pipeline finds the first fix's branch (and its merge request) instead of opening another.
 */
export function fixBranch(target: FixTarget): string {
  const fix = target.fix;
  const what = fix.kind === 'retry' ? `retry-${target.job.name}` : `add-${fix.package}`;
  return `${FIX_BRANCH_PREFIX}${slug(target.targetBranch ?? target.ref, 40)}/${slug(what, 60)}`;
}

/** The once-only claim: one fix per pipeline x job x playbook; a retry at most once per pipeline x job, whatever the playbook. */
export function fixClaimId(target: FixTarget): string {
  return `${target.project}#${target.pipelineId}#${target.job.name}#${target.fix.kind === 'retry' ? 'retry' : target.playbookId}`;
}

/** The branch a merge request for this pipeline goes into, if any. */
export function targetBranchOf(pipeline: { ref: string; tag: boolean; mergeRequestSourceBranch?: string | undefined }): string | null {
  if (pipeline.mergeRequestSourceBranch) return pipeline.mergeRequestSourceBranch;
  if (pipeline.tag || pipeline.ref.startsWith('refs/')) return null;
  return pipeline.ref;
}

export const isFixBranch = (ref: string | null | undefined): boolean => Boolean(ref?.startsWith(FIX_BRANCH_PREFIX));

/** What the diagnosing side knows about the failed pipeline. */
export interface PipelineFacts {
  service: string;
  project: string;
  id: number;
  url: string;
  ref: string;
  sha: string;
  tag: boolean;
  /** for merge request pipelines: the branch the request comes from */
  mergeRequestSourceBranch?: string | undefined;
}
