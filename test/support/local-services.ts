import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jobs, pipeline } from './gitlab.js';

/** A local HTTP server answering with `answer`, for a child process that nock cannot reach. */
export class LocalService {
  readonly requests: Array<{ method: string; path: string; headers: IncomingMessage['headers']; body: string }> = [];

  private constructor(private readonly server: Server) {}

  static async start(answer: (req: IncomingMessage, body: string) => { status: number; body: unknown; type?: string }): Promise<LocalService> {
    const holder: { service?: LocalService } = {};
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        holder.service!.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        const reply = answer(req, body);
        res.writeHead(reply.status, { 'content-type': reply.type ?? 'application/json' });
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.service = new LocalService(server);
    return holder.service;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/** GitLab with every pipeline running and one job per pipeline, for as long as anyone asks. */
export const runningGitLab = (): Promise<LocalService> =>
  LocalService.start((req) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const found = /\/api\/v4\/projects\/[^/]+\/pipelines\/(\d+)(\/jobs)?$/.exec(path);
    if (!found) return { status: 404, body: { message: '404 Not Found' } };
    const id = Number(found[1]);
    return found[2] ? { status: 200, body: jobs([{ id: id * 10, name: 'deploy', stage: 'deploy', status: 'running' }]) } : { status: 200, body: pipeline({ id, status: 'running' }) };
  });

/** CloudWatch (AWS JSON 1.0) with no alarms at all. */
export const quietCloudWatch = (): Promise<LocalService> =>
  LocalService.start(() => ({ status: 200, body: { MetricAlarms: [], CompositeAlarms: [] }, type: 'application/x-amz-json-1.0' }));
