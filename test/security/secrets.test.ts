import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/bot/slack/signature.js';
import { openStore, type OpenedStore } from '../../src/sessions/store.js';
import { AiopsProcess } from '../support/aiops-process.js';
import { reading, unauthorized } from '../support/claude.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { FakeSlack } from '../support/fake-slack.js';
import { LocalService } from '../support/local-services.js';
import { createTables } from '../support/server.js';
import { slackFixtureText } from '../support/slack.js';
import { click, interactionForm, mention, type Envelope } from '../support/slack-payloads.js';
import { awsFixture } from '../support/sns.js';
import { waitFor } from '../support/wait.js';

/**
 * Secrets never leave in logs or messages. A real `aiops start` process gets fake secrets in
 * every secret variable (random, and shaped so the log's token patterns do not catch them: only
 * the value masking can), logs at trace level, and goes through a realistic day: mentions, a
 * slash command, an approval, GitLab refusing the token, Claude answering and then refusing the
 * key, requests with bad signatures and without a Teams token. Then everything it wrote to
 * stdout and stderr, everything it sent to Slack, GitLab and Claude (bodies and URLs) and every
 * HTTP answer it gave is searched for any 8 characters in a row of any secret.
 */

const random = (bytes = 12): string => randomBytes(bytes).toString('hex');
const SECRETS = {
  SLACK_BOT_TOKEN: `xoxb-${random()}`,
  SLACK_SIGNING_SECRET: random(),
  GITLAB_TOKEN: `tok-${random()}`,
  GITLAB_WEBHOOK_SECRET: `hook-${random()}`,
  ANTHROPIC_API_KEY: `key-${random()}`,
  MicrosoftAppPassword: `pw~${random()}`,
  AWS_SECRET_ACCESS_KEY: `aws/${random()}`,
};

const embedded = useEmbeddedStore();
let store: OpenedStore;
let slack: FakeSlack;
let gitlab: LocalService;
let claude: LocalService;
let aiops: AiopsProcess | undefined;
const answers: string[] = [];

beforeAll(async () => {
  const prefix = embedded.prefix();
  await createTables(embedded.endpoint(), prefix);
  store = await openStore({ endpoint: embedded.endpoint(), tablePrefix: prefix });
  await store.roles.set('slack:UALICE', 'devops', 'test');
  await store.roles.set('slack:UBOB', 'devops', 'test');
  slack = await FakeSlack.start();
  // GitLab refuses the token for commits and knows nothing else
  gitlab = await LocalService.start((req) =>
    /\/repository\/commits\//.test(req.url ?? '') ? { status: 401, body: { message: '401 Unauthorized' } } : { status: 404, body: { message: '404 Project Not Found' } },
  );
  // Claude reads the first unclear message, then refuses the key
  const claudeReplies = [reading('status', { service: 'orders' }, 0.9), unauthorized()];
  claude = await LocalService.start(() => {
    const reply = claudeReplies.shift() ?? unauthorized();
    return { status: reply.status, body: reply.body };
  });
});
afterAll(async () => {
  await aiops?.stop();
  await Promise.all([store?.close(), slack?.close(), gitlab?.close(), claude?.close()]);
});

async function send(url: string, path: string, init: RequestInit): Promise<number> {
  const response = await fetch(`${url}${path}`, init);
  answers.push(`${response.status} ${await response.text()}`);
  return response.status;
}

function signed(url: string, body: string, contentType: string, secret = SECRETS.SLACK_SIGNING_SECRET): Promise<number> {
  return send(url, '/slack/events', { method: 'POST', headers: { 'content-type': contentType, ...signSlackRequest(body, secret, Math.floor(Date.now() / 1000)) }, body });
}

async function say(url: string, user: string, text: string): Promise<void> {
  const event: Envelope = mention(text, user);
  expect(await signed(url, JSON.stringify(event), 'application/json')).toBe(200);
  await waitFor(() => slack.of('chat.postMessage').find((call) => call.args.thread_ts === event.event.ts), `the answer to "${text}"`);
}

describe('fake secrets in every secret variable', () => {
  it('appear nowhere in what aiops logs, posts, sends or answers', async () => {
    const started = await AiopsProcess.start({
      ...SECRETS,
      PORT: '0',
      AIOPS_LOG_LEVEL: 'trace',
      AWS_ENDPOINT_URL_DYNAMODB: embedded.endpoint(),
      AIOPS_TABLE_PREFIX: store.tables.keys.replace(/keys$/, ''),
      AWS_ACCESS_KEY_ID: 'AKIDSECRETSTEST',
      AWS_EC2_METADATA_DISABLED: 'true',
      SLACK_API_URL: slack.apiUrl,
      GITLAB_URL: gitlab.url,
      ANTHROPIC_BASE_URL: claude.url,
      MicrosoftAppId: '00000000-0000-0000-0000-00000000a11d',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'tenant-id',
      AIOPS_SNS_TOPICS: 'arn:aws:sns:us-west-2:123456789012:aiops-alarms',
    });
    aiops = started.process;
    const { url } = started;

    // a day in chat: status and help, a prod deploy GitLab refuses, Claude reading and then refusing
    await say(url, 'UALICE', 'status payments');
    await say(url, 'UALICE', 'help');
    await say(url, 'UALICE', 'deploy payments v1.2 to staging');
    await say(url, 'UALICE', 'restart payments in prod');
    const request = slack.of('chat.postMessage').at(-1)!;
    expect(await signed(url, interactionForm(click(request, 'Approve', 'UBOB')), 'application/x-www-form-urlencoded')).toBe(200);
    await waitFor(() => slack.of('chat.update').length > 0, 'the approval settled');
    await say(url, 'UBOB', 'tell me about orders');
    await say(url, 'UBOB', 'tell me about payments');
    const form = new URLSearchParams(slackFixtureText('slash_command_body_bolt_python_test.txt'));
    form.set('command', '/aiops');
    form.set('text', 'whoami');
    form.set('user_id', 'UALICE');
    form.set('response_url', slack.responseUrl());
    expect(await signed(url, form.toString(), 'application/x-www-form-urlencoded')).toBe(200);
    await waitFor(() => slack.of('chat.update').length > 1, 'the /aiops answer');

    // what strangers send: a bad Slack signature, Teams without a token, an unlisted SNS topic, a wrong GitLab token
    expect(await signed(url, JSON.stringify(mention('status', 'UALICE')), 'application/json', 'guessed-secret')).toBe(401);
    expect(await send(url, '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'hi' }) })).toBe(401);
    const sns = { ...awsFixture<Record<string, string>>('sns_http_notification.json'), TopicArn: 'arn:aws:sns:us-west-2:123456789012:other' };
    expect(await send(url, '/webhooks/sns', { method: 'POST', body: JSON.stringify(sns) })).toBe(403);
    await send(url, '/webhooks/gitlab', { method: 'POST', headers: { 'x-gitlab-token': 'wrong', 'x-gitlab-event': 'Pipeline Hook' }, body: '{}' });
    await send(url, '/metrics', {});
    await send(url, '/readyz', {});

    aiops.signal('SIGTERM');
    expect((await aiops.exited).code).toBe(0);

    // the secrets were in use: sent where they belong, as credentials
    expect(slack.calls.every((call) => call.token === SECRETS.SLACK_BOT_TOKEN || call.method === 'response_url')).toBe(true);
    expect(gitlab.requests.length).toBeGreaterThan(0);
    expect(gitlab.requests.every((sent) => sent.headers['private-token'] === SECRETS.GITLAB_TOKEN)).toBe(true);
    expect(claude.requests.map((sent) => sent.headers.authorization)).toEqual([`Bearer ${SECRETS.ANTHROPIC_API_KEY}`, `Bearer ${SECRETS.ANTHROPIC_API_KEY}`]);
    const logged = aiops.output();
    expect(logged).toContain('GitLab answered 401');
    expect(logged).toContain('claude call failed');

    const everything: Record<string, string> = {
      'stdout and stderr': logged,
      'Slack Web API calls': JSON.stringify(slack.calls.map((call) => [call.method, call.args])),
      'GitLab requests': JSON.stringify(gitlab.requests.map((sent) => [sent.method, sent.path, sent.body])),
      'Claude requests': JSON.stringify(claude.requests.map((sent) => [sent.path, sent.body])),
      'HTTP answers': answers.join('\n'),
    };
    for (const [name, secret] of Object.entries(SECRETS)) {
      for (let start = 0; start + 8 <= secret.length; start += 1) {
        const piece = secret.slice(start, start + 8);
        if (!/[0-9a-f]{8}/.test(piece)) continue;
        for (const [where, text] of Object.entries(everything)) expect(text.includes(piece), `${name} (…${piece}…) in ${where}`).toBe(false);
      }
    }
  });
});

describe('a secret the configuration or Slack refuses at start', () => {
  it('is named by its variable, never shown', async () => {
    const malformed = AiopsProcess.launch({ PORT: '0', SLACK_BOT_TOKEN: `xoxp-${SECRETS.SLACK_BOT_TOKEN.slice(5)}`, SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET });
    expect((await malformed.exited).code).toBe(1);
    expect(malformed.output()).toContain('SLACK_BOT_TOKEN: a bot token starts with xoxb-');

    slack.answerOnce('auth.test', { body: { ok: false, error: 'invalid_auth' } });
    const refused = AiopsProcess.launch({
      PORT: '0',
      AWS_ENDPOINT_URL_DYNAMODB: embedded.endpoint(),
      AIOPS_TABLE_PREFIX: store.tables.keys.replace(/keys$/, ''),
      SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    expect((await refused.exited).code).toBe(1);
    expect(refused.output()).toContain('SLACK_BOT_TOKEN: Slack refused it (invalid_auth)');

    for (const output of [malformed.output(), refused.output()]) {
      for (const secret of [SECRETS.SLACK_BOT_TOKEN.slice(5), SECRETS.SLACK_SIGNING_SECRET]) expect(output).not.toContain(secret.slice(0, 8));
    }
  });
});
