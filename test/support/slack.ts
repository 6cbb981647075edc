import { readFileSync } from 'node:fs';
import { startSlack, type SlackAdapter } from '../../src/bot/slack/adapter.js';
import { signSlackRequest } from '../../src/bot/slack/signature.js';
import type { TurnQueue } from '../../src/bot/turn-queue.js';
import type { AppOptions } from '../../src/app.js';
import { startHttpServer, type HttpServer } from '../../src/http/server.js';
import type { ManualClock } from '../../src/sessions/clock.js';
import { TestBot } from './bot.js';
import { FakeSlack } from './fake-slack.js';

export const SIGNING_SECRET = 'test-signing-secret-8f742231b10e';
export const BOT_TOKEN = 'xoxb-test-0000-token';

export const slackFixture = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8')) as T;
export const slackFixtureText = (name: string): string => readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8');

export interface Delivery {
  status: number;
  text: string;
}

export interface SendOptions {
  /** seconds since the epoch for X-Slack-Request-Timestamp; now by default */
  timestamp?: number;
  secret?: string;
  headers?: Record<string, string>;
}

/**
 * aiops with Slack over HTTP as in production: the real Bolt app on our HTTP server at
 * 127.0.0.1, the embedded store, and a fake Slack Web API recording every call.
 */
export class SlackHarness {
  private constructor(
    readonly bot: TestBot,
    readonly http: HttpServer,
    readonly slack: FakeSlack,
    readonly adapter: SlackAdapter,
  ) {}

  static async start(options: {
    endpoint: string;
    prefix: string;
    clock?: ManualClock;
    admins?: string[];
    env?: Record<string, string>;
    app?: Partial<AppOptions>;
    turns?: TurnQueue;
  }): Promise<SlackHarness> {
    const slack = await FakeSlack.start();
    const bot = await TestBot.start({
      endpoint: options.endpoint,
      prefix: options.prefix,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.admins ? { admins: options.admins } : {}),
      ...(options.app ? { app: options.app } : {}),
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, ...options.env },
    });
    const http = await startHttpServer({ port: 0, host: '127.0.0.1', log: bot.app.log });
    const adapter = await startSlack({
      config: bot.app.config.slack!,
      engine: bot.app.engine,
      store: bot.app.store,
      log: bot.app.log,
      http,
      clientOptions: { retryConfig: { retries: 0 } },
      ...(options.turns ? { turns: options.turns } : {}),
    });
    return new SlackHarness(bot, http, slack, adapter);
  }

  /** An Events API delivery (JSON), signed like Slack signs it. */
  event(body: unknown, options: SendOptions = {}): Promise<Delivery> {
    return this.post(JSON.stringify(body), 'application/json', options);
  }

  /** A slash command (form body), signed. */
  command(form: string, options: SendOptions = {}): Promise<Delivery> {
    return this.post(form, 'application/x-www-form-urlencoded', options);
  }

  /** An interaction (form body with payload=JSON), signed. */
  interaction(payload: unknown, options: SendOptions = {}): Promise<Delivery> {
    return this.post(`payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded', options);
  }

  async post(body: string, contentType: string, options: SendOptions = {}): Promise<Delivery> {
    const signed = signSlackRequest(body, options.secret ?? SIGNING_SECRET, options.timestamp ?? Math.floor(Date.now() / 1000));
    const response = await fetch(`${this.http.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...signed, ...options.headers },
      body,
    });
    return { status: response.status, text: await response.text() };
  }

  async close(): Promise<void> {
    await this.adapter.close();
    await this.http.close();
    await this.bot.close();
    await this.slack.close();
  }
}
