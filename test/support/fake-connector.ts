import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CannedResponse } from './fake-slack.js';
import { waitFor } from './wait.js';

export interface ConnectorCall {
  /** send: POST an activity (botbuilder's proactive sends are replyToActivity to the continuation id); update: PUT */
  kind: 'send' | 'update' | 'other';
  method: string;
  conversationId: string;
  activityId: string | undefined;
  activity: Record<string, unknown>;
  authorization: string | undefined;
  /** the id the fake gave a sent activity */
  id?: string;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * A local HTTP server playing the Bot Connector service (the serviceUrl of every activity):
 * it records sends, replies and updates, answers with activity ids, and can answer one call
 * with a canned response first.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private readonly canned: CannedResponse[] = [];
  private activities = 0;

  private constructor(
    private readonly server: Server,
    readonly serviceUrl: string,
  ) {}

  static async start(): Promise<FakeConnector> {
    const holder: { fake?: FakeConnector } = {};
    const server = createServer((req, res) => {
      void holder.fake!.handle(req).then(({ status, headers, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.fake = new FakeConnector(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return holder.fake;
  }

  answerNext(response: CannedResponse): void {
    this.canned.push(response);
  }

  of(kind: ConnectorCall['kind']): ConnectorCall[] {
    return this.calls.filter((call) => call.kind === kind);
  }

  async waitFor(kind: ConnectorCall['kind'], count = 1): Promise<ConnectorCall[]> {
    return waitFor(() => (this.of(kind).length >= count ? this.of(kind) : undefined), `${count} connector ${kind} call(s)`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; headers?: Record<string, string>; body: unknown }> {
    const path = (req.url ?? '/').split('?')[0]!;
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    const activity = await readJson(req);
    const kind: ConnectorCall['kind'] = !match ? 'other' : req.method === 'PUT' ? 'update' : req.method === 'POST' ? 'send' : 'other';
    const call: ConnectorCall = {
      kind,
      method: req.method ?? 'GET',
      conversationId: match ? decodeURIComponent(match[1]!) : path,
      activityId: match?.[2] ? decodeURIComponent(match[2]) : undefined,
      activity,
      authorization: req.headers.authorization,
    };
    this.calls.push(call);
    const canned = this.canned.shift();
    if (canned) return { status: canned.status ?? 200, ...(canned.headers ? { headers: canned.headers } : {}), body: canned.body };
    if (kind === 'update') return { status: 200, body: { id: call.activityId } };
    this.activities += 1;
    call.id = `1700000000${String(this.activities).padStart(3, '0')}`;
    return { status: 200, body: { id: call.id } };
  }
}
