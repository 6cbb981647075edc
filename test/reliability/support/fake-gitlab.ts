import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { commit, createdPipeline, jobs, pipeline, pipelineList, SHA } from '../../support/gitlab.js';
import { waitFor } from '../../support/wait.js';

export const GITLAB_TOKEN = 'tok-reliability-5ecret';

export interface GitLabRequest {
  method: string;
  /** the decoded project path, e.g. acme/payments */
  project: string | undefined;
  /** what follows /api/v4/projects/:id, e.g. /pipelines/1001 */
  path: string;
  query: string;
  body: unknown;
  status: number;
  response: unknown;
}

type Json = Record<string, unknown>;

const STORM_STATUSES = [500, 502, 503, 504] as const;

/**
 * GitLab REST v4 for bot processes (nock cannot reach a child process): a local HTTP server
 * answering the calls a deploy makes, in GitLab's documented shapes, and recording each one.
 * Every ref resolves to one commit with a green CI pipeline; a pipeline aiops creates runs until
 * the test finishes it. `storm` turns every answer into a 5xx.
 */
export class FakeGitLab {
  readonly requests: GitLabRequest[] = [];
  /** while true, every request is answered 500, 502, 503 or 504 in turn */
  storm = false;
  private readonly statuses = new Map<number, string>();
  private nextPipeline = 1000;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeGitLab> {
    const holder: { fake?: FakeGitLab } = {};
    const server = createServer((req, res) => void holder.fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.fake = new FakeGitLab(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.fake;
  }

  of(project: string, method?: string, path?: RegExp): GitLabRequest[] {
    return this.requests.filter((request) => request.project === project && (!method || request.method === method) && (!path || path.test(request.path)));
  }

  /** Pipelines aiops created in the project (POST /projects/:id/pipeline answered 201). */
  created(project: string): GitLabRequest[] {
    return this.of(project, 'POST', /^\/pipeline$/).filter((request) => request.status === 201);
  }

  async waitForCreated(project: string, count = 1): Promise<number[]> {
    await waitFor(() => this.created(project).length >= count, `${count} pipeline(s) created in ${project}`);
    return this.created(project).map((request) => (request.response as { id: number }).id);
  }

  /** Polls of one pipeline (GET /pipelines/:id) so far. */
  polls(project: string, id: number): number {
    return this.of(project, 'GET', new RegExp(`^/pipelines/${id}$`)).length;
  }

  finish(id: number, status: 'success' | 'failed' | 'canceled'): void {
    this.statuses.set(id, status);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const match = /^\/api\/v4\/projects\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const request: GitLabRequest = {
      method: req.method ?? 'GET',
      project: match?.[1] ? decodeURIComponent(match[1]) : undefined,
      path: match?.[2] ?? url.pathname,
      query: url.search,
      body: text ? (JSON.parse(text) as unknown) : undefined,
      status: 0,
      response: undefined,
    };
    this.requests.push(request);
    const [status, body] = this.answer(req, request);
    request.status = status;
    request.response = body;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private answer(req: IncomingMessage, request: GitLabRequest): [number, unknown] {
    if (this.storm) {
      const status = STORM_STATUSES[this.requests.length % STORM_STATUSES.length]!;
      return [status, { message: `${status} Internal Server Error` }];
    }
    if (req.headers['private-token'] !== GITLAB_TOKEN) return [401, { message: '401 Unauthorized' }];
    const project = request.project;
    if (!project) return [404, { message: '404 Not Found' }];
    const web = (kind: string, id: number): string => `${this.url}/${project}/-/${kind}/${id}`;
    const { method, path } = request;
    if (method === 'GET' && path.startsWith('/repository/commits/')) return [200, commit(SHA)];
    if (method === 'GET' && path === '/pipelines') {
      const ref = new URLSearchParams(request.query).get('ref') ?? 'main';
      return [200, pipelineList([{ id: 90, status: 'success', sha: SHA, ref }]).map((item) => ({ ...item, web_url: web('pipelines', 90) }))];
    }
    if (method === 'POST' && path === '/pipeline') {
      const id = ++this.nextPipeline;
      this.statuses.set(id, 'running');
      const { ref } = request.body as { ref: string };
      return [201, { ...createdPipeline({ id, ref, sha: SHA }), web_url: web('pipelines', id) }];
    }
    const single = /^\/pipelines\/(\d+)(\/jobs)?$/.exec(path);
    const id = Number(single?.[1]);
    const status = this.statuses.get(id);
    if (method === 'GET' && single && status) {
      if (!single[2]) return [200, { ...pipeline({ id, status }), web_url: web('pipelines', id) }];
      return [200, jobs([{ id: id * 10, name: 'deploy', stage: 'deploy', status }]).map((job: Json) => ({ ...job, web_url: web('jobs', id * 10) }))];
    }
    return [404, { message: '404 Not Found' }];
  }
}
