import { z } from 'zod';

/**
 * The parts of GitLab REST v4 answers aiops relies on (snake_case, as GitLab sends them).
 * Anything else in an answer is dropped; a missing or mistyped field here is a clear error
 * instead of an `undefined` deep inside an action.
 */

const nullableText = z.string().nullable().optional();

export const commitSchema = z.object({
  id: z.string(),
  short_id: z.string(),
  title: z.string(),
  author_name: nullableText,
  created_at: nullableText,
  web_url: nullableText,
});

export const PIPELINE_FINISHED = ['success', 'failed', 'canceled', 'skipped'] as const;

export const pipelineSchema = z.object({
  id: z.number().int(),
  iid: z.number().int().optional(),
  status: z.string(),
  source: nullableText,
  ref: nullableText,
  tag: z.boolean().optional(),
  sha: z.string(),
  web_url: z.string(),
  created_at: nullableText,
  updated_at: nullableText,
  started_at: nullableText,
  finished_at: nullableText,
  duration: z.number().nullable().optional(),
});

export const jobSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  stage: z.string(),
  status: z.string(),
  failure_reason: nullableText,
  web_url: z.string(),
  started_at: nullableText,
  finished_at: nullableText,
  duration: z.number().nullable().optional(),
  allow_failure: z.boolean().optional(),
});

export const namespaceSchema = z.object({
  id: z.number().int(),
  full_path: z.string(),
  kind: nullableText,
});

export const projectSchema = z.object({
  id: z.number().int(),
  path_with_namespace: z.string(),
  web_url: z.string(),
  default_branch: nullableText,
});

/** GET /projects/:id/repository/files/:file_path: the content is base64. */
export const repositoryFileSchema = z.object({
  file_path: z.string(),
  encoding: z.string(),
  content: z.string(),
  last_commit_id: z.string(),
});

export const branchSchema = z.object({
  name: z.string(),
  commit: z.object({ id: z.string() }),
  web_url: nullableText,
});

export const mergeRequestSchema = z.object({
  id: z.number().int(),
  iid: z.number().int(),
  title: z.string(),
  state: z.string(),
  source_branch: z.string(),
  target_branch: z.string(),
  web_url: z.string(),
});

export type Commit = z.infer<typeof commitSchema>;
export type Branch = z.infer<typeof branchSchema>;
export type MergeRequest = z.infer<typeof mergeRequestSchema>;
export type Pipeline = z.infer<typeof pipelineSchema>;
export type Job = z.infer<typeof jobSchema>;
export type Namespace = z.infer<typeof namespaceSchema>;
export type Project = z.infer<typeof projectSchema>;

export const isFinished = (status: string): boolean => (PIPELINE_FINISHED as readonly string[]).includes(status);
