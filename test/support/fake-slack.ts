import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait.js';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  /** what the fake answered */
  response?: Record<string, unknown>;
}

export interface CannedResponse {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

const decodeValue = (value: string): unknown => {
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
};

async function readArgs(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries([...new URLSearchParams(text)].map(([key, value]) => [key, decodeValue(value)]));
}

/**
 * A local HTTP server playing the Slack Web API (and response_url webhooks): it answers like
 * Slack, records every call in order, and can be told to answer one call with a canned response
 * (a 429, an error) first.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly displayNames = new Map<string, string>();
  /** what apps.connections.open hands out (Socket Mode) */
  socketUrl = 'ws://127.0.0.1:9/unused';
  private readonly canned = new Map<string, CannedResponse[]>();
  private readonly holds = new Map<string, Array<Promise<void>>>();
  private messages = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeSlack> {
    const holder: { fake?: FakeSlack } = {};
    const server = createServer((req, res) => {
      void holder.fake!.handle(req).then(({ status, headers, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.fake = new FakeSlack(server, `http://127.0.0.1:${port}`);
    return holder.fake;
  }

  /** SLACK_API_URL for the app under test. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  responseUrl(name = 'cmd'): string {
    return `${this.baseUrl}/response/${name}`;
  }

  /** The next call of `method` gets this response instead of the usual one. */
  answerOnce(method: string, response: CannedResponse): void {
    this.canned.set(method, [...(this.canned.get(method) ?? []), response]);
  }

  /** The next call of `method` is recorded at once but answered only once the returned function is called. */
  holdNext(method: string): () => void {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(method, [...(this.holds.get(method) ?? []), gate]);
    return release;
  }

  of(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async waitForCalls(method: string, count = 1, what?: string): Promise<SlackCall[]> {
    return waitFor(() => (this.of(method).length >= count ? this.of(method) : undefined), what ?? `${count} ${method} call(s)`);
  }

  reset(): void {
    this.calls.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; headers?: Record<string, string>; body: unknown }> {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = path.startsWith('/api/') ? path.slice('/api/'.length) : path.startsWith('/response/') ? 'response_url' : path;
    const args = await readArgs(req);
    const auth = req.headers.authorization;
    const call: SlackCall = { method, args, token: typeof args.token === 'string' ? args.token : auth?.replace(/^Bearer /, '') };
    this.calls.push(call);
    const hold = this.holds.get(method)?.shift();
    if (hold) await hold;
    const canned = this.canned.get(method)?.shift();
    if (canned) return { status: canned.status ?? 200, ...(canned.headers ? { headers: canned.headers } : {}), body: canned.body };
    const body = this.answer(method, args);
    call.response = body;
    return { status: 200, body };
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'aiops', team_id: 'T123ABC456', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage': {
        this.messages += 1;
        const ts = `${1_700_000_000 + this.messages}.${String(this.messages).padStart(6, '0')}`;
        return { ok: true, channel: args.channel, ts, message: { type: 'message', text: args.text, ts, bot_id: 'BBOT' } };
      }
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'users.info': {
        const id = String(args.user);
        return { ok: true, user: { id, name: id.toLowerCase(), real_name: `Real ${id}`, profile: { display_name: this.displayNames.get(id) ?? '', real_name: `Real ${id}` } } };
      }
      default:
        return { ok: true };
    }
  }
}
