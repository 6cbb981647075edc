import { randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';
import type { TurnSummary } from '../../src/bot/engine.js';
import type { Reply } from '../../src/bot/reply.js';
import type { MessageRef, Responder } from '../../src/bot/turn.js';
import { startHttpServer, type HttpServer } from '../../src/http/server.js';
import { ManualClock } from '../../src/sessions/clock.js';
import { createGitLabFailures, type GitLabFailures } from '../../src/sources/gitlab/index.js';
import { TestBot } from './bot.js';
import { GITLAB_TOKEN, GITLAB_URL } from './gitlab.js';
import { HOOK_HEADERS } from './autofix.js';
import { ManualSleeper, RecordingNotifier } from './tracking.js';

export const WEBHOOK_SECRET = 'hook-s3cret-for-tests-only';

export interface HookEnv {
  bot: TestBot;
  /** the Slack notifier: payments' channel is C0PAYMENTS in the example catalog */
  slack: RecordingNotifier;
  gitlabFailures: GitLabFailures;
  http: HttpServer;
  sleeper: ManualSleeper;
  /** POSTs a body to /webhooks/gitlab as GitLab would (event header, token) */
  deliver(body: unknown, headers?: Record<string, string | undefined>): Promise<{ status: number; body: Record<string, unknown> }>;
  /** A Slack user clicks a button of a message aiops posted in a channel; replies go to its thread */
  click(user: string, message: { ref: MessageRef; reply: Reply }, label: string): Promise<TurnSummary & { replies: Reply[] }>;
  close(): Promise<void>;
}

/**
 * The app as production wires it for GitLab failures: the real webhook route on a real HTTP
 * server, the processing behind it, the embedded store; nock plays GitLab.
 */
export async function hookEnv(
  store: { endpoint(): string; prefix(): string },
  options: { env?: Record<string, string>; gitlab?: boolean; prefix?: string; clock?: ManualClock } = {},
): Promise<HookEnv> {
  const slack = new RecordingNotifier('s');
  const sleeper = new ManualSleeper();
  const gitlab: Record<string, string> = options.gitlab === false ? {} : { GITLAB_URL, GITLAB_TOKEN };
  const bot = await TestBot.start({
    endpoint: store.endpoint(),
    prefix: options.prefix ?? store.prefix(),
    clock: options.clock ?? new ManualClock(new Date('2026-03-02T14:00:00Z')),
    env: { ...gitlab, GITLAB_WEBHOOK_SECRET: WEBHOOK_SECRET, AIOPS_DRY_RUN: 'false', ...options.env },
    app: { gitlab: { sleep: async () => undefined, random: () => 0.5 }, notifiers: { slack, console: slack } },
  });
  await bot.grant('slack:dana', 'developer');
  await bot.grant('slack:victor', 'viewer');
  const gitlabFailures = createGitLabFailures(bot.app, { notifier: bot.app.notifier, watcher: { sleep: sleeper.sleep } });
  const http = await startHttpServer({ port: 0, host: '127.0.0.1', log: bot.app.log, routes: gitlabFailures.routes });
  return {
    bot,
    slack,
    gitlabFailures,
    http,
    sleeper,
    async deliver(body, headers = {}) {
      const sent: Record<string, string> = { 'content-type': 'application/json', ...HOOK_HEADERS, 'x-gitlab-token': WEBHOOK_SECRET };
      for (const [name, value] of Object.entries(headers)) {
        if (value === undefined) delete sent[name];
        else sent[name] = value;
      }
      const response = await fetch(`${http.url}/webhooks/gitlab`, { method: 'POST', headers: sent, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async click(user, message, label) {
      const button = message.reply.buttons?.find((candidate) => candidate.label === label);
      if (!button) throw new Error(`no "${label}" button on: ${message.reply.text}`);
      const replies: Reply[] = [];
      const thread = { platform: 'slack' as const, channel: message.ref.channel, thread: message.ref.id };
      const responder: Responder = {
        post: async (reply) => {
          replies.push(reply);
          return slack.notify(thread, reply);
        },
        update: (ref, reply) => slack.update(ref, reply),
      };
      const summary = await bot.app.engine.handle(
        {
          platform: 'slack',
          eventId: randomUUID(),
          user: { id: user, name: user },
          conversation: { channel: message.ref.channel, thread: message.ref.id },
          decision: { target: button.target, choice: button.choice, origin: message.ref },
        },
        responder,
      );
      return { ...summary, replies };
    },
    async close() {
      await http.close();
      await gitlabFailures.stop();
      await bot.close();
    },
  };
}

/** A hookEnv per call, all closed after each test. */
export function useHookEnvs(store: Parameters<typeof hookEnv>[0]): (options?: Parameters<typeof hookEnv>[1]) => Promise<HookEnv> {
  const opened: HookEnv[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((env) => env.close()));
  });
  return async (options = {}) => {
    const env = await hookEnv(store, options);
    opened.push(env);
    return env;
  };
}
