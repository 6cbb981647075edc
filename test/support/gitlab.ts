import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeEach } from 'vitest';

export const GITLAB_URL = 'https://gitlab.test';
/** No glpat- prefix on purpose: the log's token patterns must not be what hides a leak. */
export const GITLAB_TOKEN = 'tok-aiops-5ecret-in-tests';
export const API = '/api/v4';

const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/gitlab/${name}`, import.meta.url), 'utf8')) as T;

type Json = Record<string, unknown>;

/** GitLab's documented pipeline answer with the fields a scenario is about replaced. */
export function pipeline(fields: { id: number; status: string; sha?: string; ref?: string; source?: string }): Json {
  const base = read<Json>('pipeline_single.json');
  return {
    ...base,
    ...fields,
    sha: fields.sha ?? (base.sha as string),
    web_url: `${GITLAB_URL}/acme/payments/-/pipelines/${fields.id}`,
  };
}

export function createdPipeline(fields: { id: number; ref: string; sha: string }): Json {
  return { ...read<Json>('pipeline_created.json'), ...fields, web_url: `${GITLAB_URL}/acme/payments/-/pipelines/${fields.id}` };
}

export function pipelineList(items: Array<{ id: number; status: string; sha: string; ref: string; source?: string }>): Json[] {
  const [template] = read<Json[]>('pipelines_list.json');
  return items.map((item) => ({ ...template, source: 'push', ...item, web_url: `${GITLAB_URL}/acme/payments/-/pipelines/${item.id}` }));
}

export function commit(sha: string, title = 'Sanitize for network graph'): Json {
  return { ...read<Json>('commit_single.json'), id: sha, short_id: sha.slice(0, 11), title };
}

export function jobs(list: Array<{ id: number; name: string; stage: string; status: string; failure_reason?: string }>): Json[] {
  const [template] = read<Json[]>('jobs_list.json');
  return list.map((job) => ({ ...template, failure_reason: null, ...job, web_url: `${GITLAB_URL}/acme/payments/-/jobs/${job.id}` }));
}

export const namespace = (): Json => read<Json>('namespace.json');
export const createdProject = (path: string, id = 3): Json => ({
  ...read<Json>('project_created.json'),
  id,
  path: path.split('/').pop(),
  path_with_namespace: path,
  web_url: `${GITLAB_URL}/${path}`,
});
export const createdCommit = (): Json => read<Json>('commit_created.json');

export const SHA = '6104942438c14ec7bd21c6cd5bd995272b3faff6';
export const OTHER_SHA = 'ed899a2f4b50b4370feeea94676502b42383c746';

/** nock for the GitLab API; every request must carry the token header. */
export function gitlab(): nock.Scope {
  return nock(GITLAB_URL, { reqheaders: { 'private-token': GITLAB_TOKEN } });
}

export const project = (path = 'acme/payments'): string => `${API}/projects/${encodeURIComponent(path)}`;

/** No real network in a GitLab test: only the embedded store on 127.0.0.1. Every interceptor must be used. */
export function useNock(): void {
  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    if (pending.length > 0) throw new Error(`GitLab calls expected but not made:\n  ${pending.join('\n  ')}`);
  });
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

/** The new job GitLab answers a retry with: a new id, the same name. */
export const retriedJob = (fields: { id: number; name: string; stage?: string; path?: string }): Json => ({
  ...read<Json>('job_retried.json'),
  id: fields.id,
  name: fields.name,
  stage: fields.stage ?? 'test',
  web_url: `${GITLAB_URL}/${fields.path ?? 'acme/payments'}/-/jobs/${fields.id}`,
});

/** A file as GitLab serves it: base64 content and the commit that last changed it. */
export const repositoryFile = (path: string, content: string, lastCommitId = 'f1e2d3c4b5a60718293a4b5c6d7e8f9012345678'): Json => ({
  ...read<Json>('repository_file.json'),
  file_name: path.split('/').pop(),
  file_path: path,
  size: Buffer.byteLength(content),
  content: Buffer.from(content, 'utf8').toString('base64'),
  last_commit_id: lastCommitId,
});

export const createdBranch = (name: string, sha = SHA): Json => {
  const base = read<Json>('branch_created.json');
  return { ...base, name, commit: { ...(base.commit as Json), id: sha }, web_url: `${GITLAB_URL}/acme/payments/-/tree/${name}` };
};

export const createdMergeRequest = (fields: { iid: number; source: string; target: string; title: string; path?: string }): Json => ({
  ...read<Json>('merge_request_created.json'),
  id: 1000 + fields.iid,
  iid: fields.iid,
  title: fields.title,
  source_branch: fields.source,
  target_branch: fields.target,
  web_url: `${GITLAB_URL}/${fields.path ?? 'acme/payments'}/-/merge_requests/${fields.iid}`,
});
