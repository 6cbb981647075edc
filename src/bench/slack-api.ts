import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The benchmark's Slack Web API: answers like Slack, and notes when the answer to each request
 * arrives. Every benchmark request uses its own channel, so the channel identifies the turn:
 * a mention's reply is a chat.postMessage there, a slash command's is the chat.update of its root.
 */
export class BenchSlackApi {
  private readonly replies = new Map<string, number>();
  private readonly waiters = new Map<string, () => void>();
  private messages = 0;
  replyCount = 0;

  private constructor(private readonly server: Server, readonly apiUrl: string) {}

  static async start(): Promise<BenchSlackApi> {
    const holder: { api?: BenchSlackApi } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = holder.api!.answer((req.url ?? '').split('?')[0] ?? '', Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.api = new BenchSlackApi(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`);
    return holder.api;
  }

  /** When the reply for this channel arrived (performance.now()), once it has. */
  replyAt(channel: string): number | undefined {
    return this.replies.get(channel);
  }

  /** Resolves when the reply for this channel arrives. */
  reply(channel: string): Promise<void> {
    if (this.replies.has(channel)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(channel, resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private answer(path: string, text: string): Record<string, unknown> {
    const method = path.replace(/^\/api\//, '');
    const channel = new URLSearchParams(text).get('channel') ?? '';
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBENCH', team: 'Bench', team_id: 'TBENCH' };
      case 'users.info':
        return { ok: true, user: { id: 'UBENCH', name: 'bench', profile: { display_name: 'bench' } } };
      case 'chat.postMessage': {
        this.messages += 1;
        if (channel.startsWith('M')) this.noteReply(channel);
        return { ok: true, channel, ts: `${1_700_000_000 + this.messages}.000001` };
      }
      case 'chat.update':
        if (channel.startsWith('S')) this.noteReply(channel);
        return { ok: true, channel, ts: new URLSearchParams(text).get('ts') };
      default:
        return { ok: true };
    }
  }

  private noteReply(channel: string): void {
    if (this.replies.has(channel)) return;
    this.replies.set(channel, performance.now());
    this.replyCount += 1;
    this.waiters.get(channel)?.();
    this.waiters.delete(channel);
  }
}
