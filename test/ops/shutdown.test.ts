import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/bot/slack/signature.js';
import { systemClock } from '../../src/sessions/clock.js';
import { openStore, type OpenedStore } from '../../src/sessions/store.js';
import { LEASE_KEY } from '../../src/sources/watcher.js';
import { AiopsProcess } from '../support/aiops-process.js';
import { useEmbeddedStore } from '../support/embedded-store.js';
import { FakeSlack } from '../support/fake-slack.js';
import { quietCloudWatch, runningGitLab, type LocalService } from '../support/local-services.js';
import { createTables } from '../support/server.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/slack.js';
import { mention } from '../support/slack-payloads.js';
import { waitFor } from '../support/wait.js';
import { newDeployment } from '../support/tracking.js';

const embedded = useEmbeddedStore();
let store: OpenedStore;
let slack: FakeSlack;
let gitlab: LocalService;
let cloudwatch: LocalService;
let aiops: AiopsProcess | undefined;

beforeAll(async () => {
  const prefix = embedded.prefix();
  await createTables(embedded.endpoint(), prefix);
  store = await openStore({ endpoint: embedded.endpoint(), tablePrefix: prefix, clock: systemClock });
  [slack, gitlab, cloudwatch] = await Promise.all([FakeSlack.start(), runningGitLab(), quietCloudWatch()]);
});
afterAll(async () => {
  await aiops?.stop();
  await Promise.all([store?.close(), slack?.close(), gitlab?.close(), cloudwatch?.close()]);
});

/** A deploy whose pipeline is running, left by a replica that is gone: the new process resumes watching it. */
async function runningDeployment(): Promise<string> {
  const created = await store.deployments.create(
    newDeployment({
      requestedBy: { key: 'slack:UALICE', name: 'alice' },
      correlationId: 'c-shutdown',
      conversation: { platform: 'slack', channel: 'C123ABC456', thread: '1515449522.000001' },
    }),
  );
  await store.deployments.started(created.id, { id: 4242, url: `${gitlab.url}/acme/payments/-/pipelines/4242`, status: 'running', sha: 'a'.repeat(40) });
  // its status message exists, so the resumed tracker edits it (chat.update) rather than posting
  await store.deployments.attachMessage(created.id, { platform: 'slack', channel: 'C123ABC456', id: '1515449522.000002', thread: '1515449522.000001' });
  return created.id;
}

describe('SIGTERM', () => {
  it('stops accepting, lets the in-flight turn finish, hands back every lease and exits 0', async () => {
    const deployment = await runningDeployment();
    const started = await AiopsProcess.start({
      PORT: '0',
      AIOPS_LOG_LEVEL: 'info',
      AWS_ENDPOINT_URL_DYNAMODB: embedded.endpoint(),
      AIOPS_TABLE_PREFIX: store.tables.keys.replace(/keys$/, ''),
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      GITLAB_URL: gitlab.url,
      GITLAB_TOKEN: 'tok-shutdown-test',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
      AWS_ACCESS_KEY_ID: 'AKIDSHUTDOWNTEST',
      AWS_SECRET_ACCESS_KEY: 'shutdown-test-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
      AIOPS_ALARM_POLL_SECONDS: '1',
    });
    aiops = started.process;
    const { url } = started;

    // both kinds of lease are held: the tracker's for the deployment, the alarm watcher's
    await aiops.waitForLog('resuming tracking');
    const tracking = await waitFor(() => store.keys.get(`track:${deployment}`), 'the tracking lease');
    const watching = await waitFor(() => store.keys.get(LEASE_KEY), 'the alarm watcher lease');
    expect(tracking.owner).toMatch(/^r-/);
    expect(watching.owner).toMatch(/^replica-/);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    // a turn in flight: acked, and held at its reply by Slack
    const release = slack.holdNext('chat.postMessage');
    const envelope = mention('status payments', 'UALICE');
    const body = JSON.stringify(envelope);
    const acked = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(body, SIGNING_SECRET, Math.floor(Date.now() / 1000)) },
      body,
    });
    expect(acked.status).toBe(200);
    const reply = () => slack.of('chat.postMessage').find((call) => call.args.thread_ts === envelope.event.ts);
    await waitFor(reply, 'the reply, held');

    aiops.signal('SIGTERM');
    expect(await aiops.waitForLog('shutting down')).toMatchObject({ reason: 'SIGTERM', inFlight: 1 });
    // new connections are refused while the turn is still running
    await waitFor(() => fetch(`${url}/healthz`).then(() => false, () => true), 'the listener to close');
    expect(aiops.logs.some((line) => line.msg === 'stopped')).toBe(false);

    release();
    expect(await aiops.exited).toEqual({ code: 0, signal: null });
    const messages = aiops.logs.map((line) => line.msg);
    expect(messages).toContain('stopped');
    expect(messages.filter((message) => /did not finish|dropped|could not release/.test(String(message)))).toEqual([]);
    expect(aiops.logs.filter((line) => (line.level ?? 0) >= 50)).toEqual([]);
    // the reply went out (Slack answered it) and was the only message posted
    expect(reply()?.response).toMatchObject({ ok: true });
    expect(slack.of('chat.postMessage')).toHaveLength(1);

    // leases handed back: another replica takes over at once, not after they expire
    expect(await store.keys.get(`track:${deployment}`)).toBeUndefined();
    expect(await store.keys.get(LEASE_KEY)).toBeUndefined();
    expect((await store.deployments.get(deployment))?.tracking).toBe('open');
  });
});
