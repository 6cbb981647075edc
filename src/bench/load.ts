import { Agent, request } from 'node:http';
import { signSlackRequest } from '../bot/slack/signature.js';

export interface BenchRequest {
  /** the request's own channel, which identifies its reply at the Slack API server */
  channel: string;
  body: string;
  contentType: string;
}

export interface Delivery {
  channel: string;
  sentAt: number;
  ackMs: number;
  status: number;
}

/**
 * The same two requests over and over, each in its own channel: `/aiops status` (a slash
 * command, form body) and an `app_mention` "status" (an Events API envelope, as Slack publishes it).
 */
export function benchRequests(count: number, offset: number, responseUrl: string): BenchRequest[] {
  return Array.from({ length: count }, (_, index) => {
    const n = offset + index;
    if (n % 2 === 0) {
      const channel = `S${n}`;
      const form = new URLSearchParams({
        token: 'bench',
        team_id: 'TBENCH',
        team_domain: 'bench',
        channel_id: channel,
        channel_name: 'bench',
        user_id: 'UBENCH',
        user_name: 'bench',
        command: '/aiops',
        text: 'status',
        response_url: responseUrl,
        trigger_id: `${n}.bench.trigger`,
      });
      return { channel, body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
    }
    const channel = `M${n}`;
    const ts = `${1_700_000_000 + n}.000100`;
    const envelope = {
      token: 'bench',
      team_id: 'TBENCH',
      api_app_id: 'ABENCH',
      event: { type: 'app_mention', user: 'UBENCH', text: '<@UBOT> status', ts, channel, event_ts: ts },
      type: 'event_callback',
      authorizations: [{ team_id: 'TBENCH', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
      event_id: `EvBench${n}`,
      event_time: 1_700_000_000 + n,
    };
    return { channel, body: JSON.stringify(envelope), contentType: 'application/json' };
  });
}

export class LoadClient {
  private readonly agent: Agent;

  constructor(
    private readonly url: string,
    private readonly signingSecret: string,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(item: BenchRequest): Promise<Delivery> {
    const headers = { 'content-type': item.contentType, 'content-length': String(Buffer.byteLength(item.body)), ...signSlackRequest(item.body, this.signingSecret, Math.floor(Date.now() / 1000)) };
    const sentAt = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(this.url, { method: 'POST', agent: this.agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ channel: item.channel, sentAt, ackMs: performance.now() - sentAt, status: res.statusCode ?? 0 }));
      });
      req.on('error', reject);
      req.end(item.body);
    });
  }

  /** Keeps `concurrency` requests in flight until all are sent; `then` may hold a worker (e.g. until the turn's reply). */
  async closedLoop(items: BenchRequest[], concurrency: number, then?: (delivery: Delivery) => Promise<void>): Promise<{ deliveries: Delivery[]; elapsedMs: number }> {
    const deliveries: Delivery[] = [];
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const delivery = await this.send(items[next++]!);
        deliveries.push(delivery);
        if (then) await then(delivery);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { deliveries, elapsedMs: performance.now() - started };
  }

  /** Sends at a fixed rate whatever the answers do (open loop), as Slack would. */
  async fixedRate(items: BenchRequest[], perSecond: number): Promise<{ deliveries: Delivery[]; elapsedMs: number }> {
    const interval = 1000 / perSecond;
    const started = performance.now();
    const pending: Array<Promise<Delivery>> = [];
    for (let index = 0; index < items.length; index += 1) {
      const due = started + index * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(this.send(items[index]!));
    }
    const deliveries = await Promise.all(pending);
    return { deliveries, elapsedMs: performance.now() - started };
  }

  close(): void {
    this.agent.destroy();
  }
}
