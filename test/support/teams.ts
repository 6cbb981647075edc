import { readFileSync } from 'node:fs';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { startTeams, type TeamsAdapter } from '../../src/bot/teams/adapter.js';
import { startHttpServer, type HttpServer } from '../../src/http/server.js';
import type { ManualClock } from '../../src/sessions/clock.js';
import { TestBot } from './bot.js';
import { FakeConnector } from './fake-connector.js';

export const teamsFixture = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/teams/${name}`, import.meta.url), 'utf8')) as T;

export type ActivityJson = Record<string, unknown> & { conversation: Record<string, unknown>; from: Record<string, unknown>; recipient: Record<string, unknown> };

/**
 * aiops with Teams as in production: botbuilder's CloudAdapter on our HTTP server at
 * 127.0.0.1, the embedded store, and a fake Bot Connector as every activity's serviceUrl.
 */
export class TeamsHarness {
  private sequence = 0;

  private constructor(
    readonly bot: TestBot,
    readonly http: HttpServer,
    readonly connector: FakeConnector,
    readonly adapter: TeamsAdapter,
  ) {}

  static async start(options: {
    endpoint: string;
    prefix: string;
    clock?: ManualClock;
    env?: Record<string, string>;
    authSettings?: ConfigurationBotFrameworkAuthenticationOptions;
  }): Promise<TeamsHarness> {
    const connector = await FakeConnector.start();
    const bot = await TestBot.start({
      endpoint: options.endpoint,
      prefix: options.prefix,
      ...(options.clock ? { clock: options.clock } : {}),
      env: options.env ?? { AIOPS_TEAMS: 'true' },
    });
    const http = await startHttpServer({ port: 0, host: '127.0.0.1', log: bot.app.log });
    const adapter = startTeams({
      config: bot.app.config.teams!,
      engine: bot.app.engine,
      store: bot.app.store,
      authorizer: bot.app.authorizer,
      admins: bot.app.config.admins,
      log: bot.app.log,
      http,
      ...(options.authSettings ? { authSettings: options.authSettings } : {}),
    });
    return new TeamsHarness(bot, http, connector, adapter);
  }

  /** A published activity, pointed at our fake connector, with a fresh id and the given changes. */
  activity(fixture: string, changes: Record<string, unknown> = {}): ActivityJson {
    const base = teamsFixture<ActivityJson>(fixture);
    this.sequence += 1;
    return { ...base, id: `f:${Date.now()}${this.sequence}`, serviceUrl: this.connector.serviceUrl, ...changes };
  }

  async send(activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.http.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof activity === 'string' ? activity : JSON.stringify(activity),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async close(): Promise<void> {
    await this.adapter.close();
    await this.http.close();
    await this.bot.close();
    await this.connector.close();
  }
}
