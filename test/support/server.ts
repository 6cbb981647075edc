import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signSlackRequest } from '../../src/bot/slack/signature.js';
import { loadConfig } from '../../src/config.js';
import { start, type Running } from '../../src/main.js';
import { createDynamoClients } from '../../src/sessions/client.js';
import { initTables } from '../../src/sessions/init-tables.js';
import { FakeSlack } from './fake-slack.js';
import { captureLogs } from './log-capture.js';
import { BOT_TOKEN, SIGNING_SECRET } from './slack.js';
import { interactionForm } from './slack-payloads.js';

/** Creates the tables under `prefix`, as `aiops init-tables` does before replicas point at a real DynamoDB. */
export async function createTables(endpoint: string, prefix: string): Promise<void> {
  const { client } = createDynamoClients({ endpoint, embedded: true });
  try {
    await initTables(client, prefix);
  } finally {
    client.destroy();
  }
}

export interface Response {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * The whole of aiops as `aiops start` composes it (main.ts: ops routes, Slack over HTTP, SNS,
 * shutdown), in this process, on the shared embedded store, with a fake Slack Web API.
 */
export class RunningServer {
  private constructor(
    readonly running: Running,
    readonly slack: FakeSlack,
    /** everything the server logged (at AIOPS_LOG_LEVEL, info by default), as pino JSON lines */
    readonly logs: { lines: string[] },
  ) {}

  static async start(store: { endpoint(): string; prefix(): string }, env: Record<string, string> = {}): Promise<RunningServer> {
    const slack = await FakeSlack.start();
    const prefix = store.prefix();
    await createTables(store.endpoint(), prefix);
    const config = loadConfig({
      PORT: '0',
      AIOPS_DATA_DIR: mkdtempSync(join(tmpdir(), 'aiops-server-')),
      AWS_ENDPOINT_URL_DYNAMODB: store.endpoint(),
      AIOPS_TABLE_PREFIX: prefix,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ...env,
    });
    const logs = captureLogs(config.secrets, config.logLevel);
    const running = await start(config, { mode: 'server', stdin: process.stdin, stdout: process.stdout, log: logs.log });
    return new RunningServer(running, slack, logs);
  }

  get url(): string {
    return this.running.http!.url;
  }

  async grant(user: string, role: string): Promise<void> {
    await this.running.app.store.roles.set(user, role, 'test');
    this.running.app.authorizer.forget(user);
  }

  request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, init).then(async (response) => ({ status: response.status, headers: response.headers, text: await response.text() }));
  }

  /** A request to /slack/events signed like Slack signs it (or with another secret). */
  slackPost(body: string, contentType: string, options: { secret?: string; timestamp?: number } = {}): Promise<Response> {
    const signed = signSlackRequest(body, options.secret ?? SIGNING_SECRET, options.timestamp ?? Math.floor(Date.now() / 1000));
    return this.request('/slack/events', { method: 'POST', headers: { 'content-type': contentType, ...signed }, body });
  }

  event(envelope: unknown, options: { secret?: string } = {}): Promise<Response> {
    return this.slackPost(JSON.stringify(envelope), 'application/json', options);
  }

  interaction(payload: unknown): Promise<Response> {
    return this.slackPost(interactionForm(payload), 'application/x-www-form-urlencoded');
  }

  /** Resolves once no turn is queued or running. */
  async idle(): Promise<void> {
    const { platforms, app } = this.running;
    while (platforms.turns.depth > 0 || app.engine.inflightTurns > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Log lines at error level or worse. */
  errors(): string[] {
    return this.logs.lines.filter((line) => /"level":(50|60)/.test(line));
  }

  async close(): Promise<void> {
    await this.running.shutdown('test');
    await this.slack.close();
  }
}
