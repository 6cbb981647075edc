import { createRequesterFn, type RequesterType, type ResourceOptions } from '@gitbeaker/requester-utils';
import { Branches, Commits, Jobs, MergeRequests, Namespaces, Pipelines, Projects, RepositoryFiles } from '@gitbeaker/rest';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import { CircuitBreaker, type CircuitOptions, type CircuitState } from './circuit.js';
import { invalidResponseError, isNotFound } from './gitlab-errors.js';
import { createRequestHandler, defaultHttp, type RetryPolicy, type Sleep } from './gitlab-http.js';
import {
  branchSchema,
  commitSchema,
  jobSchema,
  mergeRequestSchema,
  namespaceSchema,
  pipelineSchema,
  projectSchema,
  repositoryFileSchema,
  type Branch,
  type Commit,
  type MergeRequest,
  type Job,
  type Namespace,
  type Pipeline,
  type Project,
} from './gitlab-schemas.js';

export type { Branch, Commit, Job, MergeRequest, Namespace, Pipeline, Project } from './gitlab-schemas.js';

/** A repository file as read at a ref: its text, and the commit that last changed it (for a guarded update). */
export interface RepositoryFile {
  path: string;
  content: string;
  lastCommitId: string;
}

export interface NewMergeRequest {
  sourceBranch: string;
  targetBranch: string;
  title: string;
  description: string;
  labels: string[];
}

// a type alias, not an interface, so it fits gitbeaker's index-signature schema
export type PipelineVariable = { key: string; value: string };

export interface GitLabOptions {
  url: string;
  token: string;
  log: Logger;
  policy?: Partial<RetryPolicy>;
  circuit?: Partial<Pick<CircuitOptions, 'failureThreshold' | 'cooldownMs'>>;
  /** injectable so tests never wait for a backoff */
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
}

export const DEFAULT_POLICY: RetryPolicy = { timeoutMs: 10_000, maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 20_000 };
export const DEFAULT_CIRCUIT = { failureThreshold: 5, cooldownMs: 30_000 };

/**
 * The GitLab calls aiops makes, typed and validated: gitbeaker's resources over our own request
 * handler (retries, timeouts, circuit breaker, actionable errors). The token lives only in
 * gitbeaker's auth header closure, never in a field that could be logged.
 */
export class GitLab {
  readonly url: string;
  private readonly log: Logger;
  private readonly circuit: CircuitBreaker;
  private readonly now: () => number;
  private readonly memo = new Map<string, { at: number; value: Promise<unknown> }>();
  private readonly branches: InstanceType<typeof Branches<false>>;
  private readonly commits: InstanceType<typeof Commits<false>>;
  private readonly files: InstanceType<typeof RepositoryFiles<false>>;
  private readonly jobs: InstanceType<typeof Jobs<false>>;
  private readonly mergeRequests: InstanceType<typeof MergeRequests<false>>;
  private readonly namespaces: InstanceType<typeof Namespaces<false>>;
  private readonly pipelines: InstanceType<typeof Pipelines<false>>;
  private readonly projects: InstanceType<typeof Projects<false>>;

  constructor(options: GitLabOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.log = options.log.child({ integration: 'gitlab' });
    const now = options.now ?? defaultHttp.now;
    this.now = now;
    this.circuit = new CircuitBreaker({
      ...DEFAULT_CIRCUIT,
      ...options.circuit,
      now,
      name: 'GitLab',
      log: this.log,
      meanwhile: 'actions that need it are refused with the reason',
    });
    const handler = createRequestHandler({
      policy: { ...DEFAULT_POLICY, ...options.policy },
      circuit: this.circuit,
      sleep: options.sleep ?? defaultHttp.sleep,
      random: options.random ?? defaultHttp.random,
      now,
      log: this.log,
    });
    const requesterFn: (resource: ResourceOptions) => RequesterType = createRequesterFn(async (_resource, request) => request, handler);
    const settings = { host: this.url, token: options.token, requesterFn, queryTimeout: null, camelize: false as const };
    this.branches = new Branches(settings);
    this.commits = new Commits(settings);
    this.files = new RepositoryFiles(settings);
    this.jobs = new Jobs(settings);
    this.mergeRequests = new MergeRequests(settings);
    this.namespaces = new Namespaces(settings);
    this.pipelines = new Pipelines(settings);
    this.projects = new Projects(settings);
  }

  /**
   * A short-lived memo for reads (status asks the same questions in bursts). Failures are not
   * kept, so the next ask tries again.
   */
  cached<T>(key: string, maxAgeMs: number, load: () => Promise<T>): Promise<T> {
    const now = this.now();
    const hit = this.memo.get(key);
    if (hit && now - hit.at < maxAgeMs) return hit.value as Promise<T>;
    const value = load();
    this.memo.set(key, { at: now, value });
    value.catch(() => {
      if (this.memo.get(key)?.value === value) this.memo.delete(key);
    });
    if (this.memo.size > 500) this.memo.delete(this.memo.keys().next().value!);
    return value;
  }

  get circuitState(): CircuitState {
    return this.circuit.state;
  }

  projectUrl(project: string): string {
    return `${this.url}/${project}`;
  }

  /** The commit a tag, branch or sha points at; undefined when the ref does not exist. */
  async commit(project: string, ref: string): Promise<Commit | undefined> {
    try {
      return this.parse(commitSchema, await this.commits.show(project, ref), `the commit ${ref}`);
    } catch (error) {
      if (isNotFound(error, /commit|ref|revision/i)) return undefined;
      throw error;
    }
  }

  async project(project: string): Promise<Project | undefined> {
    try {
      return this.parse(projectSchema, await this.projects.show(project), `the project ${project}`);
    } catch (error) {
      if (isNotFound(error, /project/i)) return undefined;
      throw error;
    }
  }

  async namespace(path: string): Promise<Namespace> {
    try {
      return this.parse(namespaceSchema, await this.namespaces.show(path), `the namespace ${path}`);
    } catch (error) {
      if (isNotFound(error)) {
        throw new UserError(`GitLab has no namespace *${path}* that the token can see.`, 'Set AIOPS_GITLAB_NAMESPACE to an existing group, and give the token access to it.');
      }
      throw error;
    }
  }

  /** Newest first. */
  async listPipelines(project: string, query: { ref?: string; sha?: string; status?: 'failed'; perPage: number }): Promise<Pipeline[]> {
    const answer = await this.pipelines.all(project, {
      ...(query.ref ? { ref: query.ref } : {}),
      ...(query.sha ? { sha: query.sha } : {}),
      ...(query.status ? { status: query.status } : {}),
      perPage: query.perPage,
      // an explicit page stops gitbeaker from following the next-page links
      page: 1,
    });
    return this.parseList(pipelineSchema, answer, `the pipelines of ${project}`);
  }

  async pipeline(project: string, id: number): Promise<Pipeline> {
    return this.parse(pipelineSchema, await this.pipelines.show(project, id), `pipeline ${id}`);
  }

  async pipelineJobs(project: string, id: number): Promise<Job[]> {
    const answer = await this.jobs.all(project, { pipelineId: id, perPage: 100, page: 1 });
    return this.parseList(jobSchema, answer, `the jobs of pipeline ${id}`);
  }

  async createPipeline(project: string, ref: string, variables: PipelineVariable[]): Promise<Pipeline> {
    return this.parse(pipelineSchema, await this.pipelines.create(project, ref, { variables }), `the new pipeline on ${ref}`);
  }

  async createProject(input: { name: string; namespaceId: number; description: string }): Promise<Project> {
    const answer = await this.projects.create({ name: input.name, path: input.name, namespaceId: input.namespaceId, description: input.description, defaultBranch: 'main' });
    return this.parse(projectSchema, answer, `the new project ${input.name}`);
  }

  /** Every file in one commit (the branch is created when the project is empty). */
  async commitFiles(project: string, branch: string, message: string, files: Array<{ path: string; content: string }>): Promise<Commit> {
    const actions = files.map((file) => ({ action: 'create' as const, filePath: file.path, content: file.content }));
    return this.parse(commitSchema, await this.commits.create(project, branch, message, actions), `the commit to ${project}`);
  }

  /** The raw log, as GitLab stores it: pass it through cleanTrace before anything else sees it. */
  async jobTrace(project: string, jobId: number): Promise<string> {
    const trace: unknown = await this.jobs.showLog(project, jobId);
    return typeof trace === 'string' ? trace : '';
  }

  /** Runs the job again in its pipeline; GitLab answers with the new job (a new id, the same name). */
  async retryJob(project: string, jobId: number): Promise<Job> {
    return this.parse(jobSchema, await this.jobs.retry(project, jobId), `the retry of job ${jobId}`);
  }

  /** A file's text at a ref; undefined when the file (not the project) does not exist there. */
  async file(project: string, path: string, ref: string): Promise<RepositoryFile | undefined> {
    let answer: unknown;
    try {
      answer = await this.files.show(project, path, ref);
    } catch (error) {
      if (isNotFound(error, /file/i)) return undefined;
      throw error;
    }
    const file = this.parse(repositoryFileSchema, answer, `the file ${path}`);
    const content = file.encoding === 'base64' ? Buffer.from(file.content, 'base64').toString('utf8') : file.content;
    return { path: file.file_path, content, lastCommitId: file.last_commit_id };
  }

  /** A new branch at a ref or sha; GitLab refuses (400) a name that exists. */
  async createBranch(project: string, branch: string, ref: string): Promise<Branch> {
    return this.parse(branchSchema, await this.branches.create(project, branch, ref), `the new branch ${branch}`);
  }

  /** Changes existing files in one commit; `lastCommitId` makes GitLab refuse if a file moved on meanwhile. */
  async updateFiles(project: string, branch: string, message: string, files: Array<{ path: string; content: string; lastCommitId?: string }>): Promise<Commit> {
    const actions = files.map((file) => ({ action: 'update' as const, filePath: file.path, content: file.content, ...(file.lastCommitId ? { lastCommitId: file.lastCommitId } : {}) }));
    return this.parse(commitSchema, await this.commits.create(project, branch, message, actions), `the commit to ${branch}`);
  }

  async createMergeRequest(project: string, request: NewMergeRequest): Promise<MergeRequest> {
    const answer = await this.mergeRequests.create(project, request.sourceBranch, request.targetBranch, request.title, {
      description: request.description,
      labels: request.labels.join(','),
      removeSourceBranch: true,
    });
    return this.parse(mergeRequestSchema, answer, `the merge request from ${request.sourceBranch}`);
  }

  /** Open merge requests from a branch (at most one, normally). */
  async openMergeRequests(project: string, sourceBranch: string): Promise<MergeRequest[]> {
    const answer = await this.mergeRequests.all({ projectId: project, sourceBranch, state: 'opened', perPage: 20, page: 1 });
    return this.parseList(mergeRequestSchema, answer, `the merge requests from ${sourceBranch}`);
  }

  private parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    this.log.error({ what, issues: parsed.error.issues.slice(0, 5) }, 'unexpected GitLab answer');
    throw invalidResponseError(what, parsed.error.issues[0]?.message ?? 'invalid');
  }

  private parseList<S extends z.ZodType>(schema: S, value: unknown, what: string): Array<z.infer<S>> {
    if (!Array.isArray(value)) throw invalidResponseError(what, 'expected a list');
    return value.map((item) => this.parse(schema, item, what));
  }
}
