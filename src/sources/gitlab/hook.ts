import { z } from 'zod';

/**
 * The parts of a GitLab Pipeline Hook aiops reads (webhook_events.md, "Pipeline events").
 * Everything else in the payload is dropped; a field here that is missing or mistyped makes
 * the delivery a 400, never an `undefined` deep in the auto-fix.
 */

const text = z.string();
const nullableText = z.string().nullable().optional();

export const pipelineHookSchema = z.object({
  object_kind: z.literal('pipeline'),
  object_attributes: z.object({
    id: z.number().int().positive(),
    ref: text.min(1),
    tag: z.boolean().optional().default(false),
    sha: z.string().regex(/^[0-9a-f]{7,64}$/),
    source: nullableText,
    status: text,
    finished_at: nullableText,
    url: text.optional(),
    variables: z.array(z.object({ key: text, value: z.string().nullable().optional() })).optional().default([]),
  }),
  merge_request: z
    .object({ iid: z.number().int(), source_branch: text, target_branch: text, url: text.optional() })
    .nullable()
    .optional(),
  project: z.object({
    id: z.number().int(),
    path_with_namespace: text.min(1),
    web_url: text,
    default_branch: nullableText,
  }),
  builds: z
    .array(
      z.object({
        id: z.number().int().positive(),
        stage: text,
        name: text.min(1),
        status: text,
        failure_reason: nullableText,
        allow_failure: z.boolean().optional().default(false),
        environment: z.object({ name: text }).nullable().optional(),
      }),
    )
    .optional()
    .default([]),
});

export type PipelineHook = z.infer<typeof pipelineHookSchema>;

export const FINISHED = ['success', 'failed', 'canceled', 'skipped'] as const;
export const isFinished = (status: string): boolean => (FINISHED as readonly string[]).includes(status);

/** A pipeline aiops itself triggered (deploy, rollback, recovery): the pipeline tracker reports it. */
export const triggeredByAiops = (hook: PipelineHook): boolean => hook.object_attributes.variables.some((variable) => variable.key === 'AIOPS_ACTION');

export const pipelineUrl = (hook: PipelineHook): string => hook.object_attributes.url ?? `${hook.project.web_url}/-/pipelines/${hook.object_attributes.id}`;
export const jobUrl = (hook: PipelineHook, jobId: number): string => `${hook.project.web_url}/-/jobs/${jobId}`;

/** The failed jobs that sank the pipeline, oldest first (allowed failures do not). */
export const failedBuilds = (hook: PipelineHook): PipelineHook['builds'] =>
  hook.builds.filter((build) => build.status === 'failed' && !build.allow_failure).sort((a, b) => a.id - b.id);

/** One failure, however many times GitLab delivers it: a retried job fails with a new id, a new episode. */
export function deliveryKey(hook: PipelineHook): string {
  const failed = failedBuilds(hook).map((build) => build.id).join(',');
  return `gitlab-pipeline:${hook.project.id}:${hook.object_attributes.id}:${hook.object_attributes.status}:${failed || hook.object_attributes.finished_at || '-'}`;
}
